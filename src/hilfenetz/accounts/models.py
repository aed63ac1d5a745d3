import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.scoping import ScopedQuerySet
from hilfenetz.regions.models import District, Municipality


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_superuser=True, is_staff=True)
        extra.setdefault("display_name", "Admin")
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A registered person. Only a display name and an e-mail address are required."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown to others. It does not need to be your real name."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    home_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("home municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("registered"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name or self.email

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def scope_keys(self):
        # A person's own history (e.g. a reset second factor) is for administrators only.
        return None, None


class OrganisationKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Company")
    WORKING_GROUP = "working_group", _("Working group (Helferkreis)")
    MUNICIPALITY = "municipality", _("Municipality")
    WELFARE = "welfare", _("Welfare organisation")


class OrganisationQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_active_member(self, user):
        # A subquery, not a join over memberships: a join repeats each row per member.
        return self.filter(pk__in=active_organisation_ids(user))


class Organisation(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("district")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for organisations working in the whole district."),
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    description = models.TextField(_("description"), blank=True)
    has_speaker = models.BooleanField(
        _("has a speaker"),
        default=False,
        help_text=_(
            "Working groups without a speaker are invited to exchange meetings all the same."
        ),
    )
    public_email = models.EmailField(_("public e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Organisation admin")


def _invitation_token():
    return secrets.token_urlsafe(24)


class MembershipQuerySet(ScopedQuerySet):
    scope_parent = "organisation"

    def active(self):
        return self.filter(status=MembershipStatus.ACTIVE)

    def admins(self):
        return self.active().filter(role=MembershipRole.ADMIN)


def active_organisation_ids(user):
    """A subquery of the organisations ``user`` is an active member of (for ``__in`` filters,
    which never repeat a row, whatever the number of members)."""
    return Membership.objects.active().filter(user=user).values("organisation_id")


def admin_organisation_ids(user):
    """A subquery of the organisations ``user`` is an active admin of."""
    return Membership.objects.admins().filter(user=user).values("organisation_id")


class Membership(models.Model):
    """A person's tie to an organisation: requested by them, invited by an admin, or active.

    An invitation to an address without an account keeps ``invited_email`` and waits until
    someone confirms that address.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    invited_email = models.EmailField(_("invited e-mail address"), blank=True)
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default="member"
    )
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices)
    token = models.CharField(max_length=64, default=_invitation_token, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="membership_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["organisation", "invited_email"],
                condition=Q(user__isnull=True),
                name="membership_one_invitation_per_address",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(invited_email=""),
                name="membership_has_person_or_address",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user or self.invited_email} @ {self.organisation}"

    @property
    def is_admin(self) -> bool:
        return self.status == MembershipStatus.ACTIVE and self.role == MembershipRole.ADMIN
