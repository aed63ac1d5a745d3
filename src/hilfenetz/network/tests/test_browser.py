"""A meeting's life in a real Chromium, in German and Arabic: a municipal coordinator proposes
it, the district coordinator agrees, an invited volunteer answers from the link in the mail,
the organiser publishes the minutes and a working group without speaker receives them. axe-core
checks every page on the way; the pages fit a 320 px screen."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory, coordinator_of
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.tests.browser import fits_320, page_for
from hilfenetz.network.models import Follow, Invitation, Meeting, MeetingKind, MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, text):
    page.get_by_role("button", name=text, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_meeting_from_proposal_to_minutes(browser, live_server, axe_check, language):
    area = AreaFactory(name="Nordkreis")
    here = MunicipalityFactory(name="Birkenfeld", area=area, district=area.district)
    target = platform(area.district, "kinderbetreuung-bildung")
    organiser = coordinator_of(municipality=here, display_name="Koordination Birkenfeld")
    reviewer = coordinator_of(district=area.district, display_name="Kreis")
    volunteer = UserFactory(display_name="Rana", preferred_language="ar", home_municipality=here)
    Follow.objects.create(platform=target, user=volunteer)
    group = OrganisationFactory(
        name="Helferkreis Birkenfeld", municipality=here, public_email="hk-birkenfeld@example.org"
    )

    # 1. The municipal coordinator proposes a meeting.
    page = page_for(browser, live_server, organiser, language)
    page.goto(f"{live_server.url}{reverse('network:platform', args=[target.pk])}")
    axe_check(page, f"platform {language}")
    fits_320(page, "platform")
    page.goto(f"{live_server.url}{reverse('network:meeting_create', args=[target.pk])}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    axe_check(page, f"proposal form {language}")
    fits_320(page, "proposal form")
    start = timezone.localtime() + timedelta(days=21)
    page.fill("input[name=title]", "Hausaufgabenhilfe organisieren")
    page.check(f"input[name=municipalities][value='{here.pk}']")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT18:00"))
    page.fill("input[name=ends_at]", start.strftime("%Y-%m-%dT20:00"))
    page.fill("textarea[name=address]", "Rathaus Birkenfeld")
    page.fill("textarea[name=agenda]", "Begrüßung\nAustausch")
    page.locator("main form.narrow button[type=submit]").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.PROPOSED
    assert page.url.endswith(reverse("network:meeting", args=[meeting.pk]))
    axe_check(page, f"meeting (proposed) {language}")

    # 2. The district coordinator agrees.
    review = page_for(browser, live_server, reviewer, language)
    review.goto(f"{live_server.url}{reverse('network:meeting', args=[meeting.pk])}")
    axe_check(review, f"meeting for review {language}")
    submit(review, "Zustimmen" if language == "de" else "موافقة")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGREED

    # 3. The organiser sees who will be invited and why, then sends the invitations.
    page.reload()
    send = "Einladungen verschicken" if language == "de" else "إرسال الدعوات"
    page.get_by_role("link", name=send, exact=True).click()
    page.wait_for_load_state()
    axe_check(page, f"who will be invited {language}")
    fits_320(page, "who will be invited")
    submit(page, send)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    assert Invitation.objects.filter(meeting=meeting).count() == 2
    fits_320(page, "meeting")

    # 4. The volunteer answers yes from the link in the (Arabic) invitation mail: the link only
    # shows a page (mail scanners open every link), its one button gives the answer.
    mail = OutboundMail.objects.get(to=volunteer.email)
    assert mail.language == "ar"
    yes_link = re.search(r"https?://\S+/vernetzung/antwort/\S+", mail.body).group(0)
    path = yes_link[yes_link.index("/vernetzung/") :]
    guest = page_for(browser, live_server, None, language)
    guest.goto(f"{live_server.url}{path}")
    assert not Invitation.objects.get(user=volunteer).is_attending
    axe_check(guest, f"answer link {language}")
    fits_320(guest, "answer link")
    submit(guest, "Ja, ich komme" if language == "de" else "نعم، سأحضر")
    assert Invitation.objects.get(user=volunteer).is_attending
    thanks = "Danke, Sie sind angemeldet." if language == "de" else "شكرًا، أنت مسجل."
    assert guest.locator("main .message--success").inner_text() == thanks
    axe_check(guest, f"answer given {language}")
    fits_320(guest, "answer given")

    # 5. After the meeting the organiser publishes the minutes.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    submit(page, "Als stattgefunden markieren" if language == "de" else "تحديد كمنعقد")
    page.goto(f"{live_server.url}{reverse('network:minutes_edit', args=[meeting.pk])}")
    axe_check(page, f"minutes form {language}")
    page.fill("textarea[name=body]", "# Ergebnis\n- Hausaufgabenhilfe startet im Mai")
    page.fill("textarea[name=decisions]", "Treffen jeden Dienstag")
    submit(page, "Speichern und veröffentlichen" if language == "de" else "حفظ ونشر")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES
    page.goto(f"{live_server.url}{reverse('network:minutes', args=[meeting.pk])}")
    assert page.locator("h3:has-text('Ergebnis')").count() == 1
    axe_check(page, f"minutes {language}")
    fits_320(page, "minutes")

    # 6. The working group without speaker receives them, with a link that needs no account.
    minutes_mail = OutboundMail.objects.get(
        to=group.public_email, key__startswith="network-minutes"
    )
    assert "Treffen jeden Dienstag" in minutes_mail.body
    link = re.search(r"https?://\S+/vernetzung/protokoll/\S+", minutes_mail.body).group(0)
    guest.goto(f"{live_server.url}{link[link.index('/vernetzung/') :]}")
    assert guest.locator("text=Hausaufgabenhilfe startet im Mai").count() == 1
    axe_check(guest, f"minutes by link {language}")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_organiser_records_who_attended_a_training(browse, login_as, axe_check, language):
    area = AreaFactory()
    here = MunicipalityFactory(area=area, district=area.district)
    organiser = coordinator_of(municipality=here)
    training = MeetingFactory(
        municipality=here,
        kind=MeetingKind.TRAINING,
        title="Schulung Asylrecht",
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=1),
        organisers=[organiser],
    )
    came, stayed_away = UserFactory(display_name="Amal"), UserFactory(display_name="Bohdan")
    for person in (came, stayed_away):
        Invitation.objects.create(
            meeting=training, user=person, email=person.email, reason="registered", answer="yes"
        )
    login_as(organiser)

    page = browse(reverse("network:meeting", args=[training.pk]), language)
    page.locator(f"a[href='{reverse('network:attended', args=[training.pk])}']").click()
    page.wait_for_load_state()
    axe_check(page, f"attendance {language}")
    page.get_by_label("Amal").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url.endswith(reverse("network:meeting", args=[training.pk]))
    axe_check(page, f"training after attendance {language}")
    attended = Invitation.objects.filter(meeting=training, attended=True)
    assert [inv.user for inv in attended] == [came]
