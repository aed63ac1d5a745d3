"""The networking platform in the access matrix. In this world the organisation (a working
group without speaker in ``here``) follows the platform, so ``org_member`` and ``org_admin`` are
followers and ``org_member`` is also invited in person as a group member; ``person`` is
unrelated; ``coordinator_here`` organises the meetings, ``coordinator_other`` coordinates a
municipality of the same district."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.tests.access import LOGIN, ROLES, Case, Effect, expect, unchanged
from hilfenetz.network import services
from hilfenetz.network.models import (
    Answer,
    BoardReport,
    CalendarFeed,
    Expert,
    Follow,
    Invitation,
    InvitationReason,
    Meeting,
    MeetingStatus,
    Minutes,
    Platform,
    Reply,
    Thread,
)
from hilfenetz.network.tests.factories import MeetingFactory, platform

LOGGED_IN_200 = expect(200, anonymous=LOGIN)
PDF = b"%PDF-1.4\n%%EOF\n"
MANAGERS = ("coordinator_here", "district_coordinator", "administrator")
REVIEWERS = ("district_coordinator", "administrator")
IN_DISTRICT = ("coordinator_here", "coordinator_other", *REVIEWERS)


def rsvp_answer(w):
    return Invitation.objects.values_list("answer", flat=True).get(pk=w.invitation.pk)


def extend_world(world):
    users = world.users
    target = platform(world.district)
    Follow.objects.create(platform=target, organisation=world.organisation)
    meeting = MeetingFactory(
        platform=target,
        municipality=world.here,
        capacity=10,
        format="hybrid",
        online_link="https://meet.example.org/abc",
        organisers=[users["coordinator_here"]],
    )
    invitation = Invitation.objects.create(
        meeting=meeting,
        user=users["org_member"],
        organisation=world.organisation,
        email=users["org_member"].email,
        reason=InvitationReason.GROUP,
    )
    proposed = MeetingFactory(
        platform=target,
        municipality=world.here,
        status=MeetingStatus.PROPOSED,
        organisers=[users["coordinator_here"]],
    )
    past = MeetingFactory(
        platform=target,
        municipality=world.here,
        status=MeetingStatus.MINUTES,
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30, hours=-2),
        organisers=[users["coordinator_here"]],
    )
    past_invitation = Invitation.objects.create(
        meeting=past, email="gruppe@example.org", reason=InvitationReason.GROUP, answer=Answer.NO
    )
    attendee = UserFactory()
    past_attendee = Invitation.objects.create(
        meeting=past,
        user=attendee,
        email=attendee.email,
        reason=InvitationReason.REGISTERED,
        answer=Answer.YES,
    )
    Minutes.objects.create(
        meeting=past,
        body="# Begrüßung\nAlle da.",
        pdf=SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf"),
        published_at=timezone.now(),
    )
    thread = Thread.objects.create(
        platform=target, author=users["org_member"], kind="question", title="Frage", body="?"
    )
    reply = Reply.objects.create(thread=thread, author=users["org_admin"], body="Antwort")
    world.extra.update(
        platform=target,
        meeting=meeting,
        proposed=proposed,
        past=past,
        thread=thread,
        reply=reply,
        report=BoardReport.objects.create(thread=thread, reporter=users["person"], reason="?"),
        rsvp_token=services.RSVP_LINKS.token(invitation.pk, "yes"),
        invitation=invitation,
        past_invitation=past_invitation,
        past_attendee=past_attendee,
        minutes_token=services.MINUTES_LINKS.token(past_invitation.pk, "read"),
        expert=(
            expert := Expert.objects.create(
                meeting=meeting, name="Erika", field="Recht", email="e@example.org"
            )
        ),
        expert_token=services.EXPERT_LINKS.token(expert.pk, "answer"),
        feed=CalendarFeed.objects.create(user=users["person"]),
    )


def stored_minutes_pdf(world):
    """The PDF's address; the world outlives the media folder of the case that built it, so
    the file is put back where this case's storage looks for it."""
    minutes = Minutes.objects.get(meeting=world.past)
    if not minutes.pdf.storage.exists(minutes.pdf.name):
        minutes.pdf.storage.save(minutes.pdf.name, ContentFile(PDF))
    return reverse("network:minutes_pdf", args=[world.past.pk])


def url(name, attr=None):
    if attr is None:
        return lambda w: reverse(f"network:{name}")
    return lambda w: reverse(f"network:{name}", args=[getattr(w, attr).pk])


def only(default, roles, value, **more):
    return expect(default, anonymous=LOGIN, **{r: value for r in roles}, **more)


def api(name, *args):
    return lambda w: reverse(f"api-v1:{name}", args=[getattr(w, a).pk for a in args])


def post(name, path, expected, data=None, label="", effect=None):
    return Case(
        f"network:{name}", path, expected, method="POST", data=data, label=label, effect=effect
    )


def attended(w):
    return Invitation.objects.values_list("attended", flat=True).get(pk=w.past_attendee.pk)


def plus_one(n):
    return n + 1


CASES = [
    Case("network:index", url("index"), expect(200)),
    Case("network:index", lambda w: reverse("network:index") + "?kind=training", expect(200)),
    Case("network:kag", url("kag"), expect(200)),
    Case("network:planning", url("planning"), only(403, REVIEWERS, 200)),
    Case("network:my_meetings", url("my_meetings"), LOGGED_IN_200),
    post("feed_renew", url("feed_renew"), expect(302, anonymous=LOGIN)),
    Case(
        "network:my_feed",
        lambda w: reverse("network:my_feed", args=[w.feed.token]),
        expect(200),
    ),
    Case(
        "network:my_feed",
        lambda w: "/vernetzung/kalender/falsch.ics",
        expect(404),
        label="bad token",
    ),
    Case("network:platform", url("platform", "platform"), expect(200)),
    Case("network:platform_edit", url("platform_edit", "platform"), only(403, REVIEWERS, 200)),
    post(
        "platform_edit",
        url("platform_edit", "platform"),
        only(403, REVIEWERS, 200),
        data=lambda w: {"name": ""},
        label="invalid form",
        effect=unchanged(lambda w: Platform.objects.get(pk=w.platform.pk).name),
    ),
    post(
        "platform_follow",
        url("platform_follow", "platform"),
        expect(302, anonymous=LOGIN),
        data=lambda w: {"action": "follow"},
        effect=Effect(lambda w: Follow.objects.filter(platform=w.platform).count(), plus_one),
    ),
    Case("network:platform_feed", url("platform_feed", "platform"), expect(200)),
    Case("network:archive", url("archive", "platform"), LOGGED_IN_200),
    Case("network:meeting_create", url("meeting_create", "platform"), only(403, IN_DISTRICT, 200)),
    post(
        "meeting_create",
        url("meeting_create", "platform"),
        only(403, IN_DISTRICT, 200),
        data=lambda w: {"title": ""},
        label="invalid form",
    ),
    Case("network:meeting", url("meeting", "meeting"), expect(200)),
    Case(
        "network:meeting",
        url("meeting", "proposed"),
        expect(404, **{r: 200 for r in MANAGERS}),
        label="proposed",
    ),
    Case("network:meeting_edit", url("meeting_edit", "meeting"), only(403, MANAGERS, 200)),
    post(
        "meeting_edit",
        url("meeting_edit", "meeting"),
        only(403, MANAGERS, 200),
        data=lambda w: {"title": ""},
        label="invalid form",
    ),
    post(
        "meeting_review",
        url("meeting_review", "proposed"),
        only(404, REVIEWERS, 302, coordinator_here=403),
        data=lambda w: {"action": "agree"},
        effect=Effect(lambda w: Meeting.objects.get(pk=w.proposed.pk).status, "agreed"),
    ),
    # who will be invited and why, before one button sends
    Case("network:meeting_invite", url("meeting_invite", "meeting"), only(403, MANAGERS, 200)),
    post("meeting_invite", url("meeting_invite", "meeting"), only(403, MANAGERS, 302)),
    Case(
        "network:meeting_reschedule",
        url("meeting_reschedule", "meeting"),
        only(403, MANAGERS, 200),
    ),
    post(
        "meeting_reschedule",
        url("meeting_reschedule", "meeting"),
        only(403, MANAGERS, 200),
        data=lambda w: {"starts_at": "gestern"},
        label="invalid form",
    ),
    Case("network:meeting_cancel", url("meeting_cancel", "meeting"), only(403, MANAGERS, 200)),
    post(
        "meeting_cancel",
        url("meeting_cancel", "meeting"),
        only(403, MANAGERS, 200),
        data=lambda w: {"note": ""},
        label="invalid form",
    ),
    post(
        "meeting_held",
        url("meeting_held", "meeting"),
        only(403, MANAGERS, 302),
        label="not started yet",
        effect=unchanged(lambda w: Meeting.objects.get(pk=w.meeting.pk).status),
    ),
    Case("network:meeting_ics", url("meeting_ics", "meeting"), expect(200)),
    post(
        "meeting_rsvp",
        url("meeting_rsvp", "meeting"),
        expect(302, anonymous=LOGIN),
        data=lambda w: {"answer": "yes", "people": 1},
        effect=Effect(
            lambda w: Invitation.objects.filter(meeting=w.meeting, answer="yes").count(), plus_one
        ),
    ),
    Case(
        "network:rsvp_link",
        lambda w: reverse("network:rsvp_link", args=[w.invitation.pk, w.rsvp_token]),
        expect(200),
        label="the page of the link only shows the button",
        effect=unchanged(rsvp_answer),
    ),
    Case(
        "network:rsvp_link",
        lambda w: reverse("network:rsvp_link", args=[w.invitation.pk, w.rsvp_token]),
        expect(200),
        method="POST",
        label="answer with its button",
        effect=Effect(rsvp_answer, after="yes", roles=ROLES),
    ),
    Case(
        "network:rsvp_link",
        lambda w: reverse("network:rsvp_link", args=[w.past_invitation.pk, w.rsvp_token]),
        expect(404),
        label="token of another invitation",
    ),
    Case("network:attendance", url("attendance", "meeting"), only(403, MANAGERS, 200)),
    # Attendance is recorded after a meeting was held, by its organisers and coordinators.
    Case("network:attended", url("attended", "past"), only(403, MANAGERS, 200)),
    Case("network:attended", url("attended", "meeting"), only(403, (), 403), label="not held"),
    post(
        "attended",
        url("attended", "past"),
        only(403, MANAGERS, 302),
        data=lambda w: {"attended": [w.past_attendee.pk]},
        effect=Effect(attended, after=True),
    ),
    post(
        "attended",
        url("attended", "meeting"),
        only(403, (), 403),
        data=lambda w: {"attended": [w.invitation.pk]},
        label="not held",
        effect=unchanged(lambda w: Invitation.objects.filter(attended=True).count()),
    ),
    Case("network:attendance_csv", url("attendance_csv", "meeting"), only(403, MANAGERS, 200)),
    Case("network:signin_sheet", url("signin_sheet", "meeting"), only(403, MANAGERS, 200)),
    Case("network:experts", url("experts", "meeting"), only(403, MANAGERS, 200)),
    post(
        "experts",
        url("experts", "meeting"),
        only(403, MANAGERS, 200),
        data=lambda w: {"email": "kaputt"},
        label="invalid form",
    ),
    Case(
        "network:expert_link",
        lambda w: reverse("network:expert_link", args=[w.expert.pk, w.expert_token]),
        expect(200),
    ),
    Case(
        "network:minutes",
        url("minutes", "past"),
        expect(200, anonymous=LOGIN, person=403),
    ),
    Case(
        "network:minutes_pdf",
        stored_minutes_pdf,
        expect(200, anonymous=LOGIN, person=403),
    ),
    Case("network:minutes_edit", url("minutes_edit", "past"), only(403, MANAGERS, 200)),
    Case(
        "network:minutes_link",
        lambda w: reverse("network:minutes_link", args=[w.past_invitation.pk, w.minutes_token]),
        expect(200),
    ),
    Case("network:thread", url("thread", "thread"), expect(200, anonymous=LOGIN)),
    post(
        "thread",
        url("thread", "thread"),
        expect(302, anonymous=LOGIN, person=403),
        data=lambda w: {"body": "Danke!"},
        label="reply",
        effect=Effect(lambda w: Reply.objects.filter(thread=w.thread).count(), plus_one),
    ),
    Case(
        "network:thread_create",
        url("thread_create", "platform"),
        expect(200, anonymous=LOGIN, person=403),
    ),
    post(
        "thread_report",
        url("thread_report", "thread"),
        expect(302, anonymous=LOGIN, org_member=403),  # org_member wrote the thread
        data=lambda w: {"reason": "Werbung"},
        effect=Effect(lambda w: BoardReport.objects.filter(thread=w.thread).count(), plus_one),
    ),
    post(
        "reply_helpful",
        url("reply_helpful", "reply"),
        only(403, ("org_member", *REVIEWERS), 302),
        effect=Effect(lambda w: Reply.objects.get(pk=w.reply.pk).is_helpful, True),
    ),
    post(
        "report_resolve",
        url("report_resolve", "report"),
        only(404, REVIEWERS, 302),
        effect=Effect(
            lambda w: BoardReport.objects.get(pk=w.report.pk).resolved_at is not None, True
        ),
    ),
    Case("api-v1:list_platforms", api("list_platforms"), expect(200)),
    Case("api-v1:list_meetings", api("list_meetings"), expect(200)),
    Case("api-v1:get_meeting", api("get_meeting", "meeting"), expect(200)),
    Case("api-v1:get_meeting", api("get_meeting", "proposed"), expect(404), label="proposed"),
    Case(
        "admin:network_platform_changelist",
        lambda w: reverse("admin:network_platform_changelist"),
        expect(302, coordinator_here=403, coordinator_other=403, **{r: 200 for r in REVIEWERS}),
    ),
    Case(
        "admin:network_meeting_change",
        lambda w: reverse("admin:network_meeting_change", args=[w.meeting.pk]),
        expect(302, coordinator_here=200, district_coordinator=200, administrator=200),
        label="meeting in scope",
    ),
]
