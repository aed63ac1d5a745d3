import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.models import MembershipRole
from hilfenetz.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.core import page_cache
from hilfenetz.core.models import OutboundMail
from hilfenetz.directory.models import ContactPerson, Office
from hilfenetz.network import services
from hilfenetz.network.models import (
    BoardReport,
    CalendarFeed,
    Follow,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    Thread,
)
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_home_page_leads_to_the_platforms(client):
    MunicipalityFactory()
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("network:index")}"' in html


def test_proposal_form_reads_times_in_the_meetings_time_zone(client):
    municipality = MunicipalityFactory()
    coordinator = coordinator_of(municipality=municipality)
    client.force_login(coordinator)
    target = platform(municipality.district)
    response = client.post(
        reverse("network:meeting_create", args=[target.pk]),
        {
            "kind": "training",
            "title": "Austausch Kita",
            "language": "de",
            "municipality": municipality.pk,
            "municipalities": [municipality.pk],
            "starts_at": "2031-03-05T18:00",
            "ends_at": "2031-03-05T20:00",
            "time_zone": "Europe/Kyiv",
            "format": "in_person",
            "address": "Rathaus",
            "meeting_languages": ["de", "uk"],
            "reminder_days": 3,
            "agenda": "Begrüßung\n\nAustausch",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at.isoformat() == "2031-03-05T16:00:00+00:00"
    assert meeting.local_start().hour == 18
    assert meeting.is_training
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Begrüßung", "Austausch"]


def test_a_bad_proposal_keeps_what_was_typed(client):
    municipality = MunicipalityFactory()
    client.force_login(coordinator_of(municipality=municipality))
    target = platform(municipality.district)
    response = client.post(
        reverse("network:meeting_create", args=[target.pk]),
        {"title": "Mein Titel", "starts_at": "2031-03-05T18:00", "ends_at": "2031-03-05T17:00"},
    )
    assert response.status_code == 200
    assert "Mein Titel" in response.content.decode()
    assert not Meeting.objects.exists()


def test_online_link_only_for_registered_people(client):
    meeting = MeetingFactory(format="online", online_link="https://meet.example.org/geheim")
    person = UserFactory()
    client.force_login(person)
    url = reverse("network:meeting", args=[meeting.pk])
    assert "geheim" not in client.get(url).content.decode()
    client.post(reverse("network:meeting_rsvp", args=[meeting.pk]), {"answer": "yes", "people": 2})
    assert Invitation.objects.get(user=person).people == 2
    assert "geheim" in client.get(url).content.decode()
    assert (
        "geheim"
        not in client.get(reverse("api-v1:get_meeting", args=[meeting.pk])).content.decode()
    )


def test_online_link_for_a_person_registered_at_another_of_their_addresses(client):
    meeting = MeetingFactory(format="online", online_link="https://meet.example.org/geheim")
    person = UserFactory()
    Invitation.objects.create(meeting=meeting, user=person, email=person.email, reason="follower")
    Invitation.objects.create(
        meeting=meeting, user=person, email=f"work-{person.email}", reason="group", answer="yes"
    )
    client.force_login(person)
    assert "geheim" in client.get(reverse("network:meeting", args=[meeting.pk])).text


def test_one_click_rsvp_link_acts_on_its_button_not_on_get_or_head_and_can_be_undone(client):
    meeting = MeetingFactory()
    invitation = Invitation.objects.create(meeting=meeting, email="a@example.org", reason="group")
    url = services.rsvp_url(invitation, "yes")
    assert client.head(url).status_code == 200
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.answer == ""
    response = client.post(url)
    invitation.refresh_from_db()
    assert invitation.answer == "yes"
    undo = response.context["undo_token"]
    client.post(url, {"undo": undo})
    invitation.refresh_from_db()
    assert invitation.answer == ""
    assert client.post(url, {"undo": "falsch"}).status_code == 400
    assert client.put(url).status_code == 405


def test_minutes_are_never_public_but_reach_groups_by_their_link(client):
    meeting = MeetingFactory(status=MeetingStatus.MINUTES)
    Minutes.objects.create(meeting=meeting, body="Geheimes Protokoll", published_at=timezone.now())
    group = Invitation.objects.create(meeting=meeting, email="g@example.org", reason="group")
    url = reverse("network:minutes", args=[meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    follower = UserFactory()
    Follow.objects.create(platform=meeting.platform, user=follower)
    client.force_login(follower)
    assert "Geheimes Protokoll" in client.get(url).content.decode()
    client.logout()
    assert "Geheimes Protokoll" in client.get(services.minutes_url(group)).content.decode()
    assert (
        "Geheimes Protokoll"
        not in client.get(reverse("network:platform", args=[meeting.platform_id])).content.decode()
    )


def test_board_text_is_escaped_and_marked_with_its_language(client):
    target = platform(MunicipalityFactory().district)
    author = UserFactory(preferred_language="ar")
    Follow.objects.create(platform=target, user=author)
    thread = services.start_thread(
        target, author, kind="tip", title="<script>alert(1)</script>", body="مرحبا"
    )
    client.force_login(author)
    html = client.get(reverse("network:thread", args=[thread.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert '<div lang="ar" dir="auto">مرحبا</div>' in html


def test_board_reports_appear_in_the_exchange_moderation_queue(client):
    municipality = MunicipalityFactory()
    target = platform(municipality.district)
    author = UserFactory()
    Follow.objects.create(platform=target, user=author)
    thread = services.start_thread(target, author, kind="tip", title="Kauft bei uns", body="!")
    services.report_post(UserFactory(), thread, "Werbung im Forum")
    client.force_login(coordinator_of(district=municipality.district))
    with CaptureQueriesContext(connection) as one_report:
        html = client.get(reverse("exchange:moderation")).content.decode()
    assert "Werbung im Forum" in html and target.label() in html
    answer = services.reply(thread, author, "Ruft mich an!")
    services.report_post(UserFactory(), thread, "Telefonnummer im Forum", answer)
    with CaptureQueriesContext(connection) as two_reports:
        html = client.get(reverse("exchange:moderation")).content.decode()
    assert "Telefonnummer im Forum" in html and "Ruft mich an!" in html
    assert len(two_reports) == len(one_report)  # what a report's row shows comes with it
    client.force_login(coordinator_of(municipality=municipality))
    assert "Werbung im Forum" not in client.get(reverse("exchange:moderation")).content.decode()


def test_calendar_address_is_renewed_and_the_old_one_stops_working(client):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("network:feed_renew"))
    old = CalendarFeed.objects.get(user=person).token
    assert client.get(reverse("network:my_feed", args=[old])).status_code == 200
    client.post(reverse("network:feed_renew"))
    assert client.get(reverse("network:my_feed", args=[old])).status_code == 404


def test_attendance_csv_lists_answers(client):
    meeting = MeetingFactory(capacity=1)
    organiser = meeting.organisers.get()
    first = Invitation.objects.create(meeting=meeting, email="a@example.org", reason="follower")
    second = Invitation.objects.create(meeting=meeting, email="b@example.org", reason="follower")
    services.rsvp(first, "yes")
    services.rsvp(second, "yes")
    client.force_login(organiser)
    rows = (
        client.get(reverse("network:attendance_csv", args=[meeting.pk]))
        .content.decode()
        .splitlines()
    )
    assert rows[0].startswith("name,email")
    assert {r.split(",")[1]: r.split(",")[-1] for r in rows[1:]} == {
        "a@example.org": "",
        "b@example.org": "yes",
    }


def test_planning_grid_shows_rhythm_and_platforms_without_plans(client):
    municipality = MunicipalityFactory()
    district = municipality.district
    year = timezone.localdate().year + 1
    housing = platform(district, "wohnen-anschlussunterbringung")
    for month in (3, 7):
        start = timezone.make_aware(timezone.datetime(year, month, 10, 18))
        MeetingFactory(
            municipality=municipality,
            platform=housing,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
    client.force_login(coordinator_of(district=district))
    response = client.get(reverse("network:planning"), {"year": year})
    rows = {row["platform"].slug: row for row in response.context["grid"]}
    assert rows["wohnen-anschlussunterbringung"]["count"] == 2
    assert rows["wohnen-anschlussunterbringung"]["in_rhythm"]
    assert not rows["engagement-ehrenamt"]["in_rhythm"]
    assert rows["engagement-ehrenamt"]["nothing_ahead"]


def _world(n):
    municipality = MunicipalityFactory()
    target = platform(municipality.district)
    organiser = coordinator_of(municipality=municipality)
    people = [UserFactory() for _ in range(n)]
    for person in people:
        Follow.objects.create(platform=target, user=person)
    for i in range(n):
        meeting = MeetingFactory(municipality=municipality, platform=target, organisers=[organiser])
        Invitation.objects.create(
            meeting=meeting, user=people[0], email=f"{i}{people[0].email}", reason="follower"
        )
        Invitation.objects.create(
            meeting=meeting, user=people[i], email=people[i].email, reason="follower", answer="yes"
        )
        thread = Thread.objects.create(
            platform=target, author=people[i], kind="tip", title=f"T{i}", body="x"
        )
        thread.replies.create(author=people[0], body="y")
    guest = UserFactory()  # not a follower: reads the minutes of the meetings invited to
    for _i in range(n):
        past = MeetingFactory(
            municipality=municipality,
            platform=target,
            status=MeetingStatus.MINUTES,
            organisers=[organiser],
        )
        Minutes.objects.create(
            meeting=past,
            body="x",
            published_at=timezone.now(),
            pdf=SimpleUploadedFile("p.pdf", b"%PDF-1.4 x\n", content_type="application/pdf"),
        )
        Invitation.objects.create(
            meeting=past, user=guest, email=guest.email, reason="group", answer="yes"
        )
    OrganisationFactory(municipality=municipality)
    for i in range(n):  # working groups reached through their admins, offices through contacts
        group = OrganisationFactory(municipality=municipality, name=f"Helferkreis {i}")
        MembershipFactory(organisation=group, role=MembershipRole.ADMIN)
        office = Office.objects.create(
            name=f"Koordination {i}", slug=f"koordination-{i}", district=municipality.district
        )
        office.municipalities.add(municipality)
        ContactPerson.objects.create(office=office, name="A. Muster", email=f"k{i}@example.org")
    return target, organiser, people, meeting, thread, guest, past


@pytest.mark.parametrize("n", [2, 12])
def test_list_pages_do_not_grow_with_the_data(client, settings, django_assert_max_num_queries, n):
    settings.PAGE_CACHE_SECONDS = 300  # on, as on the platform: the pages' kept parts are kept
    target, organiser, people, meeting, thread, guest, past = _world(n)
    coordinator = coordinator_of(district=target.district)
    page_cache.versions(connection.introspection.table_names())  # as on a running platform
    platform_url = reverse("network:platform", args=[target.pk])
    meeting_url = reverse("network:meeting", args=[meeting.pk])
    # The most each page may cost, the same with 2 and 12 meetings, threads and followers (the
    # pages for visitors with one query to spare): a logged-in page at most 8, 3 of them the
    # session's; the coordinators' one more, the menu's count of what waits for them.
    pages = [
        (None, reverse("network:index"), 4),
        (None, platform_url, 8),
        (people[0], platform_url, 7),  # a follower: the board and its own follow
        (organiser, platform_url, 8),  # coordinates a municipality of the district
        (coordinator, platform_url, 8),
        (people[0], reverse("network:thread", args=[thread.pk]), 8),  # the board needs a login
        (people[0], reverse("network:my_meetings"), 8),
        (people[0], reverse("network:archive", args=[target.pk]), 8),
        (guest, reverse("network:archive", args=[target.pk]), 8),
        (organiser, reverse("network:attendance", args=[meeting.pk]), 7),
        (organiser, reverse("network:attended", args=[past.pk]), 7),
        (None, reverse("network:index") + "?kind=training", 4),
        (people[0], meeting_url, 6),
        (organiser, meeting_url, 7),
        (coordinator, meeting_url, 8),
        (guest, reverse("network:minutes", args=[past.pk]), 7),  # invited: the rule's last
        (guest, reverse("network:minutes_pdf", args=[past.pk]), 7),
        (coordinator, reverse("network:minutes", args=[past.pk]), 6),
        (organiser, reverse("network:meeting_create", args=[target.pk]), 6),
        (coordinator, reverse("network:meeting_create", args=[target.pk]), 6),
        (organiser, reverse("network:meeting_edit", args=[meeting.pk]), 7),
        (organiser, reverse("network:meeting_invite", args=[meeting.pk]), 12),  # who, and why
        (coordinator, reverse("network:meeting_edit", args=[meeting.pk]), 8),
        (coordinator, reverse("network:planning"), 7),
        (None, reverse("network:platform_feed", args=[target.pk]), 3),
        (None, reverse("api-v1:list_meetings"), 4),
        (None, reverse("api-v1:list_platforms"), 4),
    ]
    for user, url, limit in pages:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        client.get(url)  # what every page keeps, learned
        coordinates = user in (organiser, coordinator)
        with django_assert_max_num_queries(limit + coordinates, info=url):
            assert client.get(url).status_code == 200, url
    client.force_login(guest)
    archive = client.get(reverse("network:archive", args=[target.pk]))
    assert len(archive.context["meetings"]) == n
    client.force_login(UserFactory())
    assert not client.get(reverse("network:archive", args=[target.pk])).context["meetings"]


def test_invitation_mail_links_answer_with_the_button_of_their_page(
    client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=MeetingStatus.AGREED)
    organiser = meeting.organisers.get()
    follower = UserFactory(home_municipality=meeting.municipality)
    Follow.objects.create(platform=meeting.platform, user=follower)
    services.send_invitations(meeting, organiser)
    body = OutboundMail.objects.get(to=follower.email).body
    link = next(line for line in body.splitlines() if "/antwort/" in line and line.strip())
    path = link.strip().split("://", 1)[-1]
    path = path[path.index("/vernetzung/") :]
    assert client.get(path).status_code == 200
    assert Invitation.objects.get(user=follower).answer == ""
    assert client.post(path).status_code == 200
    assert Invitation.objects.get(user=follower).answer == "yes"


@pytest.mark.parametrize("language", ["de", "ar"])
def test_signin_sheet_lists_who_is_coming_in_the_organisers_language(client, language):
    import io

    from pypdf import PdfReader

    meeting = MeetingFactory(title="Austausch Kita")
    organiser = meeting.organisers.get()
    organiser.preferred_language = language
    organiser.save()
    coming = UserFactory(display_name="Jonas Beispiel")
    services.rsvp(
        Invitation.objects.create(
            meeting=meeting, user=coming, email=coming.email, reason="follower"
        ),
        "yes",
        2,
    )
    Invitation.objects.create(
        meeting=meeting, email="nein@example.org", reason="follower", answer="no"
    )
    client.force_login(organiser)
    response = client.get(reverse("network:signin_sheet", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Jonas Beispiel" in text and "Austausch Kita" in text
    assert "nein@example.org" not in text
    assert ("Unterschrift" if language == "de" else "التوقيع") in text


def test_nobody_reports_their_own_board_post(client):
    municipality = MunicipalityFactory()
    target = platform(municipality.district)
    author, replier = UserFactory(), UserFactory()
    for person in (author, replier):
        Follow.objects.create(platform=target, user=person)
    thread = services.start_thread(target, author, kind="tip", title="Tipp", body="!")
    answer = services.reply(thread, replier, "Danke")
    page = reverse("network:thread", args=[thread.pk])
    url = reverse("network:thread_report", args=[thread.pk])
    client.force_login(author)
    assert client.get(page).text.count(url) == 1  # the reply only
    assert client.post(url, {"reason": "Test"}).status_code == 403
    client.force_login(replier)
    assert client.get(page).text.count(url) == 1  # the thread only
    assert client.post(url, {"reason": "Test", "reply": answer.pk}).status_code == 403
    assert not BoardReport.objects.exists()
    assert client.post(url, {"reason": "Werbung"}).status_code == 302
    client.force_login(author)
    assert client.post(url, {"reason": "Werbung", "reply": answer.pk}).status_code == 302
    assert BoardReport.objects.filter(reply=answer).count() == 1
    assert BoardReport.objects.count() == 2


def test_minutes_lead_back_to_their_meeting_and_platform(client):
    meeting = MeetingFactory(status=MeetingStatus.MINUTES, title="Herbsttreffen")
    Minutes.objects.create(meeting=meeting, body="Protokoll", published_at=timezone.now())
    follower = UserFactory()
    Follow.objects.create(platform=meeting.platform, user=follower)
    client.force_login(follower)
    html = client.get(reverse("network:minutes", args=[meeting.pk])).content.decode()
    trail = re.search(
        r'<nav class="breadcrumb[^"]*" aria-label="[^"]+"><ol>(.*?)</ol></nav>', html, re.S
    )
    assert trail, "the minutes page has no breadcrumb"
    links = re.findall(r'<a href="([^"]+)"', trail.group(1))
    assert links == [
        reverse("network:index"),
        reverse("network:platform", args=[meeting.platform_id]),
        reverse("network:meeting", args=[meeting.pk]),
    ]
    assert "Herbsttreffen" in trail.group(1)
    assert '<li aria-current="page">' in trail.group(1)


def test_the_minutes_pdf_follows_the_minutes_rule_and_is_kept_by_no_cache(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = MeetingFactory(status=MeetingStatus.MINUTES)
    pdf = b"%PDF-1.4 Protokoll\n"
    minutes = Minutes.objects.create(
        meeting=meeting,
        body="Protokoll",
        pdf=SimpleUploadedFile("protokoll.pdf", pdf, content_type="application/pdf"),
        published_at=timezone.now(),
    )
    group = Invitation.objects.create(meeting=meeting, email="g@example.org", reason="group")
    url = reverse("network:minutes_pdf", args=[meeting.pk])
    assert client.get(f"/media/{minutes.pdf.name}").status_code == 404
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    follower = UserFactory()
    Follow.objects.create(platform=meeting.platform, user=follower)
    client.force_login(follower)
    response = client.get(url)
    assert b"".join(response.streaming_content) == pdf
    assert "no-store" in response["Cache-Control"]
    assert f"protokoll-{meeting.pk}.pdf" in response["Content-Disposition"]
    client.logout()
    by_link = client.get(services.minutes_url(group) + "?pdf=1")
    assert b"".join(by_link.streaming_content) == pdf
    assert "private" in by_link["Cache-Control"]


def test_organisers_record_who_attended_a_training_and_nothing_else_changes(client):
    organiser = UserFactory()
    training = MeetingFactory(
        kind=MeetingKind.TRAINING,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=2),
        organisers=[organiser],
    )
    came, stayed_away = UserFactory(), UserFactory()
    invitations = {
        person: Invitation.objects.create(
            meeting=training, user=person, email=person.email, reason="registered", answer="yes"
        )
        for person in (came, stayed_away)
    }
    other = MeetingFactory(status=MeetingStatus.HELD, starts_at=training.starts_at)
    foreign = Invitation.objects.create(
        meeting=other, user=came, email=came.email, reason="registered", answer="yes"
    )
    client.force_login(organiser)
    url = reverse("network:attended", args=[training.pk])
    page = client.get(url).content.decode()
    assert came.display_name in page and stayed_away.display_name in page

    response = client.post(url, {"attended": [invitations[came].pk]})
    assert response.status_code == 302
    assert set(Invitation.objects.filter(attended=True)) == {invitations[came]}

    # another meeting's invitation is no choice here: the form says so and nothing changes
    response = client.post(url, {"attended": [foreign.pk]})
    assert response.status_code == 200
    assert set(Invitation.objects.filter(attended=True)) == {invitations[came]}


def test_the_meetings_page_filters_trainings(client):
    training = MeetingFactory(kind=MeetingKind.TRAINING, title="Schulung Asylrecht")
    MeetingFactory(municipality=training.municipality, title="Austausch Kita")
    everything = client.get(reverse("network:index")).content.decode()
    trainings = client.get(reverse("network:index") + "?kind=training").content.decode()
    meetings = client.get(reverse("network:index") + "?kind=meeting").content.decode()
    assert "Schulung Asylrecht" in trainings and "Austausch Kita" not in trainings
    assert "Austausch Kita" in meetings and "Schulung Asylrecht" not in meetings
    assert "Schulung Asylrecht" in everything or "Austausch Kita" in everything


def test_attendance_csv_keeps_a_typed_name_from_running_as_a_formula(client):
    meeting = MeetingFactory()
    person = UserFactory(display_name='=HYPERLINK("http://example.org","x")')
    invitation = Invitation.objects.create(meeting=meeting, user=person, reason="follower")
    services.rsvp(invitation, "yes")
    client.force_login(meeting.organisers.get())
    text = client.get(reverse("network:attendance_csv", args=[meeting.pk])).content.decode()
    assert '"\'=HYPERLINK(""http://example.org"",""x"")"' in text
