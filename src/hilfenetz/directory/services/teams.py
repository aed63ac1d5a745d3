"""Organisation profiles and the district's competence teams."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hilfenetz.accounts.models import Organisation
from hilfenetz.core import audit
from hilfenetz.core.predicates import require
from hilfenetz.directory.models import CompetenceTeam, OrganisationProfile, TeamMember
from hilfenetz.directory.services.editing import apply_changes, plain
from hilfenetz.directory.services.history import created_changes, forget_people, record_member


def profile_for(organisation: Organisation) -> OrganisationProfile:
    try:
        return organisation.directory_profile
    except OrganisationProfile.DoesNotExist:
        return OrganisationProfile(organisation=organisation)


@transaction.atomic
def update_profile(user, organisation: Organisation, *, phone: str, how_to_reach: str, topics):
    profile = profile_for(organisation)
    require("directory.organisation.edit", user, profile)
    created = profile.pk is None
    diff = apply_changes(
        profile, {"phone": phone, "how_to_reach": how_to_reach}, ["phone", "how_to_reach"]
    )
    profile.verified_at, profile.verified_by = timezone.now(), user
    profile.save()
    old = set() if created else set(profile.topics.all())
    if set(topics) != old:
        diff["topics"] = [plain(old), plain(topics)]
        profile.topics.set(topics)
    audit.record(profile, "create" if created else "update", actor=user, changes=diff)
    return profile


TEAM_FIELDS = ["description", "email"]
MEMBER_FIELDS = ["name", "affiliation", "consent_given"]


@transaction.atomic
def update_team(user, team: CompetenceTeam, data: dict) -> dict:
    """Save a competence team's description and e-mail address; saving confirms it."""
    team = CompetenceTeam.objects.select_for_update().get(pk=team.pk)
    require("directory.team.edit", user, team)
    diff = apply_changes(team, data, TEAM_FIELDS)
    team.verified_at, team.verified_by = timezone.now(), user
    team.full_clean()
    team.save()
    audit.record(team, "update" if diff else "verify", actor=user, changes=diff)
    return diff


@transaction.atomic
def save_member(user, team: CompetenceTeam, data: dict, member: TeamMember | None = None):
    """Add a member to a team or change one; the member is listed publicly only with consent."""
    require("directory.team.edit", user, team)
    created = member is None
    if created:
        member = TeamMember(team=team)
    elif member.team_id != team.pk:
        raise PermissionDenied
    diff = apply_changes(member, data, MEMBER_FIELDS)
    member.full_clean()
    member.save()
    record_member(user, team, member, created_changes(member, MEMBER_FIELDS) if created else diff)
    return member


@transaction.atomic
def delete_member(user, member: TeamMember):
    team = member.team
    require("directory.team.edit", user, team)
    forget_people(team, [member])
    audit.record(team, "update", actor=user, changes={f"member #{member.pk}": "deleted"})
    member.delete()
