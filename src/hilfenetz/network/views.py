"""Thin views: parse the request, ask the rules, call a service, render."""

import copy
import csv
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hilfenetz.accounts.models import active_organisation_ids
from hilfenetz.core import files
from hilfenetz.core.pagination import paginate
from hilfenetz.core.predicates import allowed, permitted, require
from hilfenetz.core.signed_links import SignedLinkView
from hilfenetz.core.spreadsheets import text_cell
from hilfenetz.network import exports, ical, rules, services, timeline
from hilfenetz.network.forms import (
    AttendanceForm,
    CancelForm,
    ExpertAnswerForm,
    ExpertForm,
    FollowForm,
    MeetingForm,
    MinutesForm,
    PlatformForm,
    ReasonForm,
    ReplyForm,
    RescheduleForm,
    ReviewForm,
    RsvpForm,
    ThreadForm,
)
from hilfenetz.network.models import (
    ANNOUNCED,
    Answer,
    BoardReport,
    CalendarFeed,
    Expert,
    Follow,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    Platform,
    Reply,
    Thread,
)
from hilfenetz.network.planning import year_grid
from hilfenetz.regions.browsing import browsed_district
from hilfenetz.regions.models import District


def _errors(request, exc: ValidationError):
    for text in exc.messages:
        messages.error(request, text)


def _platform(pk):
    return get_object_or_404(Platform.objects.select_related("district"), pk=pk, is_active=True)


def _meeting(request, pk, rule="network.view_meeting", **annotations):
    user = request.user
    meetings = Meeting.objects.visible_to(user).for_display().annotate(**annotations)
    if user.is_authenticated:
        # asked by most rules of a meeting: read with the meeting
        meetings = meetings.annotate(
            viewer_organises=Exists(
                Meeting.organisers.through.objects.filter(meeting=OuterRef("pk"), user=user)
            )
        )
    meeting = get_object_or_404(meetings, pk=pk)
    if user.is_authenticated:
        rules.remember(meeting, "organiser", user, meeting.viewer_organises)
    require(rule, user, meeting)
    return meeting


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- platforms ---------------------------------------------------------------------------------


def index(request):
    district = browsed_district(request.GET.get("district"), request.user)
    platforms = Platform.objects.active().select_related("district")
    if district is not None:
        platforms = platforms.filter(district=district)
    now = timezone.now()
    upcoming = Meeting.objects.announced().filter(starts_at__gte=now, status=MeetingStatus.INVITED)
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        upcoming = upcoming.filter(kind=kind)
    else:
        kind = ""
    platforms = platforms.annotate(follower_count=Count("follows", distinct=True)).prefetch_related(
        Prefetch("meetings", queryset=upcoming.order_by("starts_at"), to_attr="upcoming")
    )
    return render(
        request,
        "network/index.html",
        {
            "platforms": platforms,
            "district": district,
            "kind": kind,
            "kinds": MeetingKind.choices,
        },
    )


def platform_detail(request, pk):
    user = request.user
    now = timezone.now()
    shown_meetings = Meeting.objects.filter(platform=OuterRef("pk"), status__in=ANNOUNCED)
    platform = get_object_or_404(
        Platform.objects.select_related("district").annotate(
            follower_count=Subquery(
                Follow.objects.filter(platform=OuterRef("pk"))
                .values("platform")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            # The next meetings change with time only when the first of them ends: the kept
            # part of the page (platform.html) is kept until then.
            next_end=Subquery(
                shown_meetings.filter(ends_at__gte=now).order_by("ends_at").values("ends_at")[:1]
            ),
        ),
        pk=pk,
        is_active=True,
    )
    # Announced and past meetings are shown to everyone (``visible_to`` adds none of them).
    meetings = Meeting.objects.filter(platform=platform)
    follow = None
    if user.is_authenticated:
        # The viewer's own follow and those of their organisations, in one query: they answer
        # the rules that ask whether the viewer follows the platform.
        follows = list(
            Follow.objects.filter(platform=platform).filter(
                Q(user=user) | Q(organisation__in=active_organisation_ids(user))
            )
        )
        follow = next((f for f in follows if f.user_id == user.pk), None)
        rules.remember(platform, "follows", user, bool(follows))
    may_read_board = allowed("network.read_board", user, platform)
    threads = (
        Thread.objects.shown()
        .filter(platform=platform)
        .select_related("author")
        .annotate(reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)))
        .order_by("-last_activity_at", "-pk")
        if may_read_board
        else Thread.objects.none()
    )
    follow_form = FollowForm(user=user) if user.is_authenticated else None
    context = {
        "platform": platform,
        # read only where the kept parts of the page are rendered (platform.html)
        "upcoming": meetings.filter(status__in=ANNOUNCED, ends_at__gte=now)
        .for_display()
        .order_by("starts_at")[:5],
        "past": meetings.filter(status__in=(MeetingStatus.HELD, MeetingStatus.MINUTES))
        .for_display()
        .order_by("-starts_at")[:10],
        "experts": Expert.objects.filter(
            meeting__platform=platform,
            meeting__status__in=ANNOUNCED,
            status="confirmed",
            consents_to_publication=True,
        ).order_by("name")[:20],
        "follower_count": platform.follower_count or 0,
        "follow": follow,
        "follow_form": follow_form,
        "follows_for_organisation": follow_form is not None
        and follow_form.fields["organisation"].queryset.exists(),
        "result": SimpleLazyObject(lambda: paginate(request, threads, per_page=20)),
        "may_post": allowed("network.post", user, platform),
        "may_read_board": may_read_board,
    }
    return render(request, "network/platform.html", context)


@login_required
def platform_edit(request, pk):
    platform = _platform(pk)
    require("network.edit_platform", request.user, platform)
    form = PlatformForm(request.POST or None, instance=Platform.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_platform(platform, request.user, **form.service_fields())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The platform is saved."))
            return redirect("network:platform", platform.pk)
    return render(request, "network/platform_form.html", {"platform": platform, "form": form})


@login_required
@require_POST
def platform_follow(request, pk):
    platform = _platform(pk)
    action = request.POST.get("action")
    form = FollowForm(request.POST, user=request.user)
    if not form.is_valid():
        raise PermissionDenied
    organisation = form.cleaned_data["organisation"]
    if action == "follow":
        services.follow(platform, request.user, organisation=organisation)
        messages.success(
            request, _("You follow this platform. You will be invited to its meetings.")
        )
    elif action == "unfollow":
        services.unfollow(platform, request.user, organisation=organisation)
        messages.success(request, _("You no longer follow this platform."))
    elif action in ("digest", "no_digest"):
        services.set_digest(platform, request.user, action == "digest")
        messages.success(request, _("Your choice is saved."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("network:platform", platform.pk)


def platform_feed(request, pk):
    """The subscribable calendar of a platform's announced meetings (no online links)."""
    platform = _platform(pk)
    meetings = Meeting.objects.announced().filter(
        platform=platform, ends_at__gte=timezone.now() - timedelta(days=365)
    )
    return _ics(ical.calendar(meetings, platform.label()), f"{platform.slug}.ics")


@login_required
def archive(request, pk):
    """The minutes of a platform, for its followers, the invited and coordinators."""
    platform = _platform(pk)
    meetings = Meeting.objects.filter(platform=platform, status=MeetingStatus.MINUTES)
    user = request.user
    # The rule "network.view_minutes", asked once for the platform rather than per meeting:
    # followers and the district's coordinators read all minutes, others those they were
    # invited to (in person or through their organisation) or organised.
    if not (
        rules.follows_platform(user, platform)
        or rules.coordinates_in_district(user, platform)
        or rules.is_administrator(user, platform)
    ):
        meetings = meetings.filter(
            Q(invitations__user=user)
            | Q(invitations__organisation__in=active_organisation_ids(user))
            | Q(organisers=user)
        ).distinct()
    shown = meetings.for_display().order_by("-starts_at")[:200]
    return render(request, "network/archive.html", {"platform": platform, "meetings": shown})


# --- meetings ------------------------------------------------------------------------------


@login_required
def meeting_create(request, pk):
    platform = _platform(pk)
    require("network.propose_meeting", request.user, platform)
    form = MeetingForm(request.POST or None, platform=platform, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            meeting = services.propose(request.user, platform, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Your proposal was sent to the district for agreement."))
            return redirect("network:meeting", meeting.pk)
    return render(request, "network/meeting_form.html", {"platform": platform, "form": form})


def meeting_detail(request, pk):
    meeting = _meeting(
        request,
        pk,
        places_taken=services.attending_people_column(),
    )
    user = request.user
    invitation = None
    if user.is_authenticated:
        # A person may be invited at several addresses: the first invitation is shown, and
        # all of them answer whether the viewer registered (the online link).
        invitations = list(meeting.invitations.filter(user=user))
        invitation = invitations[0] if invitations else None
        rules.remember(
            meeting,
            "registered",
            user,
            any(i.answer == Answer.YES and not i.is_waiting for i in invitations),
        )
    manages = allowed("network.manage_meeting", user, meeting)
    reviews = allowed("network.review_meeting", user, meeting)
    context = {
        "meeting": meeting,
        # read only where the kept part of the page is rendered (meeting.html)
        "agenda": meeting.agenda.select_related("expert"),
        "experts": SimpleLazyObject(
            lambda: [e for e in meeting.experts.all() if e.is_public or manages]
        ),
        "invitation": invitation,
        "rsvp_form": RsvpForm(
            initial={"answer": invitation.answer, "people": invitation.people}
            if invitation
            else None
        ),
        "manages": manages,
        "reviews": reviews,
        "may_rsvp": allowed("network.rsvp", user, meeting),
        "see_link": allowed("network.see_online_link", user, meeting),
        "may_see_minutes": allowed("network.view_minutes", user, meeting),
        "places_taken": (meeting.places_taken or 0) if meeting.capacity else None,
    }
    if manages or reviews:
        context["steps"] = timeline.steps(meeting)
        context["review_form"] = ReviewForm()
    return render(request, "network/meeting.html", context)


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    form = MeetingForm(
        request.POST or None,
        # a copy: the form writes what was sent into its instance before the service checks it
        instance=copy.copy(meeting),
        platform=meeting.platform,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        data.pop("municipality", None)
        try:
            services.update_meeting(meeting, request.user, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("network:meeting", meeting.pk)
    return render(
        request,
        "network/meeting_form.html",
        {"platform": meeting.platform, "form": form, "meeting": meeting},
    )


@login_required
@require_POST
def meeting_review(request, pk):
    meeting = _meeting(request, pk, "network.review_meeting")
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "agree":
            services.agree(meeting, request.user, comment)
            messages.success(request, _("Agreed. The organisers can send the invitations now."))
        elif request.POST.get("action") == "send_back":
            services.send_back(meeting, request.user, comment)
            messages.success(request, _("Sent back to the organisers with your comment."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("network:meeting", meeting.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_invite(request, pk):
    """Who the invitations will reach and why, before one button sends them."""
    meeting = _meeting(request, pk, "network.manage_meeting")
    if request.method != "POST":
        return render(
            request,
            "network/invite_preview.html",
            {"meeting": meeting, "recipients": services.new_recipients(meeting)},
        )
    try:
        count = services.send_invitations(meeting, request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s invitations were sent.") % {"n": count})
    return redirect("network:meeting", meeting.pk)


@login_required
def meeting_reschedule(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    form = RescheduleForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule(meeting, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The meeting is moved; everyone invited is told."))
            return redirect("network:meeting", meeting.pk)
    return render(
        request,
        "network/meeting_step.html",
        {"meeting": meeting, "form": form, "step": "reschedule"},
    )


@login_required
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(meeting, request.user, form.cleaned_data["note"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The meeting is cancelled; everyone invited is told."))
            return redirect("network:meeting", meeting.pk)
    return render(
        request, "network/meeting_step.html", {"meeting": meeting, "form": form, "step": "cancel"}
    )


@login_required
@require_POST
def meeting_held(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    try:
        services.mark_held(meeting, request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The meeting is marked as held. Now write the minutes."))
    return redirect("network:meeting", meeting.pk)


def meeting_ics(request, pk):
    meeting = _meeting(request, pk)
    linked = {meeting.pk} if allowed("network.see_online_link", request.user, meeting) else set()
    return _ics(ical.calendar([meeting], meeting.title, linked_ids=linked), f"meeting-{pk}.ics")


@login_required
@require_POST
def meeting_rsvp(request, pk):
    meeting = _meeting(request, pk, "network.rsvp")
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please answer yes, maybe or no."))
        return redirect("network:meeting", meeting.pk)
    try:
        invitation = services.register(meeting, request.user)
        invitation = services.rsvp(
            invitation, form.cleaned_data["answer"], form.cleaned_data["people"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if invitation.is_waiting:
            messages.success(request, _("The meeting is full: you are on the waiting list."))
        else:
            messages.success(request, _("Thank you, your answer is saved."))
    return redirect("network:meeting", meeting.pk)


class RsvpLinkView(SignedLinkView):
    """A one-click answer from the invitation mail: no login, only this invitation and this
    answer."""

    links = services.RSVP_LINKS
    template_name = "network/rsvp_link.html"

    def get_subject(self, pk):
        return Invitation.objects.filter(pk=pk).select_related("meeting__platform").first()

    def is_done(self, subject, action):
        return subject.answer == action

    def act(self, subject, action):
        return services.rsvp_by_link(subject, action)

    def undo(self, subject, action, state):
        services.undo_rsvp_by_link(subject, state)

    def get_context_data(self, subject, action):
        return {"invitation": subject, "meeting": subject.meeting, "answer": action}


def _attendance(meeting):
    return meeting.invitations.select_related("user", "organisation").order_by(
        "answer", "waiting_since", "email"
    )


@login_required
def attendance(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    invitations = _attendance(meeting)
    return render(
        request,
        "network/attendance.html",
        {
            "meeting": meeting,
            "result": paginate(request, invitations, per_page=100),
            "totals": services.attendance_totals(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attended(request, pk):
    """After a held meeting (a training above all) its organisers mark who attended."""
    meeting = _meeting(request, pk, "network.record_attendance")
    invitations = (
        meeting.invitations.filter(Q(answer=Answer.YES) | Q(attended=True))
        .select_related("user")
        .order_by("email")
    )
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.record_attendance(
                meeting, request.user, [inv.pk for inv in form.cleaned_data["attended"]]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Attendance saved. Attended: %(count)s") % {"count": count})
            return redirect("network:meeting", meeting.pk)
    return render(
        request,
        "network/attended.html",
        {"meeting": meeting, "form": form, "has_any": bool(invitations)},
    )


@login_required
def attendance_csv(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="teilnahme-{meeting.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["name", "email", "organisation", "reason", "answer", "people", "waiting"])
    for inv in _attendance(meeting):
        writer.writerow(
            [
                text_cell(inv.user.display_name) if inv.user else "",
                text_cell(inv.email),
                text_cell(inv.organisation.name) if inv.organisation else "",
                inv.reason,
                inv.answer,
                inv.people,
                "yes" if inv.is_waiting else "",
            ]
        )
    return response


@login_required
def signin_sheet(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    content = exports.signin_sheet(
        meeting, meeting.invitations.attending().select_related("user", "organisation")
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="unterschriften-{meeting.pk}.pdf"'
    return response


@login_required
def experts(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    form = ExpertForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_expert(meeting, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The expert is invited by mail."))
            return redirect("network:experts", meeting.pk)
    return render(
        request,
        "network/experts.html",
        {"meeting": meeting, "form": form, "experts": meeting.experts.all()},
    )


def expert_link(request, pk, token):
    """The expert's own page (from their invitation mail): confirm or decline, and consent."""
    expert = None
    if services.EXPERT_LINKS.action(pk, token):
        expert = Expert.objects.filter(pk=pk).select_related("meeting__platform").first()
    if expert is None:
        return render(request, "network/expert_link.html", {"invalid": True}, status=404)
    form = ExpertAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_answer(expert, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Thank you, your answer is saved."))
    return render(
        request,
        "network/expert_link.html",
        {"expert": expert, "meeting": expert.meeting, "form": form},
    )


# --- minutes ---------------------------------------------------------------------------------


@login_required
def minutes_edit(request, pk):
    meeting = _meeting(request, pk, "network.manage_meeting")
    instance = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(meeting, request.user, **form.cleaned_data)
            if request.POST.get("publish"):
                count = services.publish_minutes(meeting, request.user)
                messages.success(
                    request,
                    _("The minutes are published and were sent to %(n)s addresses.") % {"n": count},
                )
            else:
                messages.success(request, _("The minutes are saved."))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("network:meeting", meeting.pk)
    return render(request, "network/minutes_form.html", {"meeting": meeting, "form": form})


def _show_minutes(request, meeting, *, pdf_url=None):
    minutes = get_object_or_404(Minutes, meeting=meeting, published_at__isnull=False)
    return render(
        request,
        "network/minutes.html",
        {"meeting": meeting, "minutes": minutes, "pdf_url": pdf_url},
    )


@login_required
def minutes(request, pk):
    meeting = _meeting(request, pk, "network.view_minutes")
    return _show_minutes(request, meeting, pdf_url=reverse("network:minutes_pdf", args=[pk]))


@login_required
def minutes_pdf(request, pk):
    meeting = _meeting(request, pk, "network.view_minutes")
    return _pdf_response(request, meeting)


def _pdf_response(request, meeting):
    """The minutes' PDF, for whom the minutes page's rule (or the mail's link) lets in: never a
    public file, so no cache keeps it."""
    minutes_obj = get_object_or_404(Minutes, meeting=meeting, published_at__isnull=False)
    return files.serve(
        request,
        minutes_obj.pdf,
        files.Access.PRIVATE,
        content_type="application/pdf",
        modified=minutes_obj.updated_at,
        filename=f"protokoll-{meeting.pk}.pdf",
    )


def minutes_link(request, pk, token):
    """The minutes through the link in the minutes mail (for groups without an account)."""
    invitation = None
    if services.MINUTES_LINKS.action(pk, token):
        invitation = (
            Invitation.objects.filter(pk=pk, meeting__status=MeetingStatus.MINUTES)
            .select_related("meeting__platform")
            .first()
        )
    if invitation is None:
        return render(request, "network/rsvp_link.html", {"invalid": True}, status=404)
    if request.GET.get("pdf"):
        return _pdf_response(request, invitation.meeting)
    return _show_minutes(request, invitation.meeting, pdf_url=f"{request.path}?pdf=1")


# --- planning and personal calendar ----------------------------------------------------------


@login_required
def planning(request):
    require("network.planning", request.user)
    district = browsed_district(request.GET.get("district"), request.user)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    platforms = Platform.objects.coordinated_by(request.user).active()
    if district is not None:
        platforms = platforms.filter(district=district)
    return render(
        request,
        "network/planning.html",
        {
            "grid": year_grid(platforms, year),
            "year": year,
            "months": [date(year, month, 1) for month in range(1, 13)],
        },
    )


@login_required
def my_meetings(request):
    invitations = (
        Invitation.objects.filter(user=request.user)
        .select_related("meeting__platform", "meeting__municipality")
        .order_by("-meeting__starts_at")
    )
    organised = permitted(
        "network.organised_meeting",
        request.user,
        Meeting.objects.for_display().order_by("-starts_at"),
    )
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "network/my_meetings.html",
        {
            "result": paginate(request, invitations, per_page=30),
            "organised": organised[:30],
            "feed": feed,
        },
    )


@login_required
@require_POST
def feed_renew(request):
    feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if not created:
        feed.renew()
    messages.success(request, _("Your calendar address is new; the old one no longer works."))
    return redirect("network:my_meetings")


def my_feed(request, token):
    """The personal calendar: the meetings one said yes or maybe to, and organises."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active:
        raise Http404
    answered = Invitation.objects.filter(user=user, answer__in=["yes", "maybe"])
    meetings = Meeting.objects.filter(
        Q(pk__in=answered.values("meeting"), status__in=ANNOUNCED) | Q(organisers=user)
    ).distinct()
    linked = set(answered.attending().values_list("meeting_id", flat=True)) | set(
        Meeting.objects.filter(organisers=user).values_list("pk", flat=True)
    )
    return _ics(ical.calendar(meetings, _("My meetings"), linked_ids=linked), "meetings.ics")


# --- the board -------------------------------------------------------------------------------


@login_required
def thread_create(request, pk):
    platform = _platform(pk)
    require("network.post", request.user, platform)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(platform, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("network:thread", thread.pk)
    return render(request, "network/thread_form.html", {"platform": platform, "form": form})


def _thread(pk):
    return get_object_or_404(
        Thread.objects.shown().select_related("platform", "author"), pk=pk, platform__is_active=True
    )


@login_required
def thread_detail(request, pk):
    thread = _thread(pk)
    require("network.read_board", request.user, thread.platform)
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        require("network.post", request.user, thread.platform)
        if form.is_valid():
            try:
                services.reply(thread, request.user, form.cleaned_data["body"])
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("network:thread", thread.pk)
    replies = thread.replies.filter(hidden_at__isnull=True).select_related("author")
    result = paginate(request, replies, per_page=50)
    return render(
        request,
        "network/thread.html",
        {
            "thread": thread,
            "result": result,
            # The thread and each reply come with their own form to report them.
            "replies": list(
                zip(
                    result.object_list,
                    ReasonForm.blank_rows(
                        [
                            (f"reply-{answer.pk}", answer.body, answer.language)
                            for answer in result.object_list
                        ]
                    ),
                    strict=True,
                )
            ),
            "form": form,
            "report_form": ReasonForm(row="thread", about=thread.title, language=thread.language),
            "may_post": allowed("network.post", request.user, thread.platform),
            "may_mark": allowed("network.mark_helpful", request.user, thread),
        },
    )


@login_required
@require_POST
def reply_helpful(request, pk):
    answer = get_object_or_404(Reply.objects.select_related("thread__platform"), pk=pk)
    require("network.mark_helpful", request.user, answer.thread)
    services.mark_helpful(answer, request.user, request.POST.get("helpful") != "0")
    return redirect("network:thread", answer.thread_id)


@login_required
@require_POST
def thread_report(request, pk):
    thread = _thread(pk)
    answer = None
    if request.POST.get("reply"):
        answer = get_object_or_404(Reply, pk=request.POST["reply"], thread=thread)
    require("network.report", request.user, answer or thread)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.report_post(request.user, thread, form.cleaned_data["reason"], answer)
        messages.success(request, _("Thank you. A coordinator will look at it."))
    else:
        messages.error(request, _("Please tell us what is wrong."))
    return redirect("network:thread", thread.pk)


@login_required
@require_POST
def report_resolve(request, pk):
    report = get_object_or_404(
        BoardReport.objects.coordinated_by(request.user).open().select_related("thread__platform"),
        pk=pk,
    )
    hide = request.POST.get("action") == "hide"
    services.resolve_report(report, request.user, hide=hide)
    messages.success(request, _("The post is hidden.") if hide else _("The report is closed."))
    return redirect("exchange:moderation")


@require_GET
def kag(request):
    """The Kreisarbeitsgemeinschaft „Netzwerk Flüchtlinge“ and how the district's refugee work
    fits together, drawn from the live entries; with several districts, first the choice."""
    district = browsed_district(request.GET.get("district"), request.user)
    if district is None:
        return render(request, "network/kag.html", {"districts": District.objects.order_by("name")})
    return render(request, "network/kag.html", {"structure": services.structure(district)})
