"""Who may do what on the networking platform."""

from django.db.models import Q

from hilfenetz.accounts.models import active_organisation_ids
from hilfenetz.accounts.rules import is_authenticated, is_org_admin
from hilfenetz.core.predicates import NOTHING, always, predicate, rule
from hilfenetz.core.roles import (
    coordinates_in_district,
    coordinates_object,
    coordinates_object_district,
    coordinator_in_scope,
    is_administrator,
    is_district_coordinator,
    no_object,
)
from hilfenetz.network.models import (
    ANNOUNCED,
    UPCOMING,
    Follow,
    Invitation,
    Meeting,
    MeetingStatus,
)


def remembered(obj, name: str, user, answer):
    """What a view recorded for this object and person (``remember``), else ``answer()``. Only
    views record, on objects they loaded for one request: a page asks several rules that share
    a question, while a service's objects outlive the changes it makes."""
    memo = obj.__dict__.get("_network_rule_answers", {})
    key = (name, user.pk)
    return memo[key] if key in memo else answer()


def remember(obj, name: str, user, value) -> None:
    """Record an answer a view read with its own query (an annotation, a row it shows)."""
    obj.__dict__.setdefault("_network_rule_answers", {})[(name, user.pk)] = value


@predicate
def is_organiser(user, meeting):
    return (
        user.is_authenticated
        and meeting is not None
        and meeting.pk is not None
        and remembered(
            meeting,
            "organiser",
            user,
            lambda: meeting.organisers.filter(pk=user.pk).exists(),
        )
    )


@is_organiser.filters
def _organised(user, model):
    if not user.is_authenticated:
        return NOTHING
    organised = Meeting.organisers.through.objects.filter(user=user).values("meeting_id")
    return Q(pk__in=organised)


@predicate
def is_announced(user, meeting):
    return meeting is not None and meeting.status in ANNOUNCED


is_announced.filters(lambda user, model: Q(status__in=ANNOUNCED))


@predicate
def is_upcoming(user, meeting):
    return meeting is not None and meeting.status in UPCOMING


def _in_person_or_through_organisation(qs, user) -> bool:
    """Whether ``qs`` (follows, invitations) has a row of ``user`` or of an organisation
    ``user`` is an active member of."""
    return qs.filter(Q(user=user) | Q(organisation__in=active_organisation_ids(user))).exists()


@predicate
def is_invited(user, meeting):
    """Invited in person, or a member of an invited organisation."""
    if not user.is_authenticated or meeting is None or meeting.pk is None:
        return False
    return _in_person_or_through_organisation(Invitation.objects.filter(meeting=meeting), user)


@predicate
def is_registered(user, meeting):
    return (
        user.is_authenticated
        and meeting is not None
        and remembered(
            meeting,
            "registered",
            user,
            lambda: Invitation.objects.attending().filter(meeting=meeting, user=user).exists(),
        )
    )


@predicate
def follows_platform(user, obj):
    """Follows the platform in person or through an organisation they belong to."""
    if not user.is_authenticated or obj is None:
        return False
    platform_id = getattr(obj, "platform_id", None) or obj.pk
    return remembered(
        obj,
        "follows",
        user,
        lambda: _in_person_or_through_organisation(
            Follow.objects.filter(platform_id=platform_id), user
        ),
    )


@predicate
def was_held(user, meeting):
    return meeting is not None and meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES)


@predicate
def minutes_published(user, meeting):
    return meeting is not None and meeting.status == MeetingStatus.MINUTES


@predicate
def is_thread_author(user, thread):
    return user.is_authenticated and thread is not None and thread.author_id == user.pk


@predicate
def is_post_author(user, post):
    """The author of a thread or of a reply."""
    return user.is_authenticated and post is not None and post.author_id == user.pk


@predicate
def is_active_platform(user, platform):
    return platform is not None and platform.is_active


#: Organisers, the coordinators of the hosting municipality and of the district.
manages = is_organiser | coordinates_object | is_administrator
reviews = coordinates_object_district | is_administrator
edits_platform = coordinates_object_district | is_administrator

rule("network.edit_platform", edits_platform)
rule("network.follow", is_authenticated)
# The board is for registered volunteers: visitors see neither threads nor who wrote them.
rule("network.read_board", is_authenticated)
rule("network.follow_for_organisation", is_org_admin)
rule("network.propose_meeting", is_active_platform & (coordinates_in_district | is_administrator))
# Lists of meetings are these rules' rows (``Meeting.objects.visible_to``,
# ``awaiting_agreement``).
rule("network.view_meeting", is_announced | manages | reviews, model="network.Meeting")
rule("network.manage_meeting", manages, model="network.Meeting")
rule("network.review_meeting", reviews, model="network.Meeting")
# "My meetings": those one organises; coordinators find the rest of their scope's in the admin.
rule("network.organised_meeting", is_organiser, model="network.Meeting")
rule("network.record_attendance", was_held & manages)
rule("network.rsvp", is_authenticated & is_announced & is_upcoming)
rule("network.see_online_link", is_registered | manages | reviews)
rule(
    "network.view_minutes",
    minutes_published
    # the questions that need no query first
    & (is_administrator | coordinates_in_district | manages | follows_platform | is_invited),
)
rule("network.planning", is_district_coordinator | is_administrator)
rule("network.post", is_authenticated & (follows_platform | coordinates_in_district))
rule("network.mark_helpful", is_thread_author | coordinates_object_district | is_administrator)
# Asked of the reported post (a thread or a reply): nobody reports their own.
rule("network.report", is_authenticated & ~is_post_author)
rule("network.moderate", coordinates_object_district | is_administrator)

# The admin: district coordinators edit their platforms (names and purposes in every language);
# coordinators see the meetings of their scope; invitations stay with the services.
_edits_platforms = (no_object & is_district_coordinator) | coordinates_object_district
for action in ("view", "change"):
    rule(f"network.platform.{action}", _edits_platforms | is_administrator)
for action in ("add", "delete"):
    rule(f"network.platform.{action}", is_administrator)
# Meetings change only through the workflow pages (the services): the admin shows them.
rule("network.meeting.view", coordinator_in_scope)
for action in ("change", "add", "delete"):
    rule(f"network.meeting.{action}", ~always)
