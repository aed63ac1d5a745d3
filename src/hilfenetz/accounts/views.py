import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hilfenetz.accounts import services
from hilfenetz.accounts.forms import DeleteAccountForm, InviteForm, OrganisationForm, ProfileForm
from hilfenetz.accounts.models import Membership, MembershipStatus, Organisation
from hilfenetz.core.predicates import allowed, require


def _set_language_cookie(response, language):
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return _set_language_cookie(redirect("accounts:profile"), request.user.preferred_language)
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def export_data(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="hilfenetz-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data were deleted."))
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality", "district"), slug=slug, is_active=True
    )
    membership = None
    if request.user.is_authenticated:
        membership = Membership.objects.filter(organisation=organisation, user=request.user).first()
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "may_manage": allowed("organisation.manage", request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    require("organisation.create", request.user)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(request.user, **form.cleaned_data)
        messages.success(request, _("The organisation was created. You are its admin."))
        return redirect("accounts:organisation", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form})


def _managed_organisation(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("municipality"), slug=slug)
    require("organisation.manage", request.user, organisation)
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = _managed_organisation(request, slug)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(request.user, organisation, **form.cleaned_data)
        messages.success(request, _("The organisation was saved."))
        return redirect("accounts:organisation", slug=organisation.slug)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug):
    organisation = _managed_organisation(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(request.user, organisation, form.cleaned_data["email"])
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect("accounts:organisation_members", slug=slug)
    memberships = organisation.memberships.select_related("user").order_by(
        "status", "user__display_name"
    )
    return render(
        request,
        "accounts/organisation_members.html",
        {"organisation": organisation, "memberships": memberships, "form": form},
    )


@login_required
@require_POST
def membership_action(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    action = request.POST.get("action")
    organisation = membership.organisation
    try:
        if action == "accept":
            services.decide_request(request.user, membership, accept=True)
        elif action == "decline":
            services.decide_request(request.user, membership, accept=False)
        elif action in ("make_admin", "make_member"):
            services.set_role(
                request.user, membership, "admin" if action == "make_admin" else "member"
            )
        elif action == "remove":
            services.remove_member(request.user, membership)
        else:
            messages.error(request, _("Unknown action."))
            return redirect("accounts:organisation_members", slug=organisation.slug)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def organisation_join(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    try:
        membership = services.request_membership(request.user, organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if membership.status == MembershipStatus.ACTIVE:
            messages.success(request, _("You are now a member."))
        else:
            messages.success(request, _("Your request was sent to the organisation's admins."))
    return redirect("accounts:organisation", slug=slug)


@login_required
@require_POST
def organisation_leave(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        services.leave(request.user, organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You left the organisation."))
    return redirect("accounts:organisation", slug=slug)


@login_required
@require_POST
def invitation_answer(request, pk):
    membership = get_object_or_404(
        Membership, pk=pk, user=request.user, status=MembershipStatus.INVITED
    )
    if request.POST.get("action") == "accept":
        services.accept_invitation(request.user, membership)
        messages.success(request, _("You are now a member."))
    else:
        services.decline_invitation(request.user, membership)
        messages.success(request, _("The invitation was declined."))
    return redirect("accounts:profile")


@login_required
def second_factor_required(request):
    """Why an administrator or district coordinator must set up an authenticator app first."""
    from hilfenetz.accounts.second_factor import is_required

    if not is_required(request.user):
        return redirect("mfa_index")
    return render(request, "accounts/second_factor_required.html")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request, pk):
    from hilfenetz.accounts import second_factor
    from hilfenetz.accounts.models import User

    person = get_object_or_404(User, pk=pk)
    require("accounts.reset_second_factor", request.user, person)
    if request.method == "POST":
        second_factor.reset(request.user, person)
        messages.success(
            request,
            _("The second factor of %(name)s was reset. They set up a new one at their next login.")
            % {"name": person.display_name},
        )
        return redirect("admin:accounts_user_change", person.pk)
    return render(
        request,
        "accounts/second_factor_reset.html",
        {"person": person, "has_second_factor": second_factor.has_totp(person)},
    )
