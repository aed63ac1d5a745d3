from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hilfenetz.accounts.models import User
from hilfenetz.core.pagination import paginate
from hilfenetz.core.predicates import require
from hilfenetz.engagement import services
from hilfenetz.engagement.forms import (
    CertificateForm,
    IntentForm,
    MessageForm,
    PlaceForm,
    PlatformsForm,
)


@login_required
@require_http_methods(["GET", "HEAD"])
def start(request):
    """Where a login leads: the welcome until it is finished or skipped, then the profile."""
    if services.needs_welcome(request.user):
        return redirect("engagement:welcome")
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request):
    """The welcome, one step at a time; it resumes at the first step not answered, and
    ``?step=`` goes back to an earlier one."""
    user = request.user
    require("engagement.welcome", user)
    onboarding = services.onboarding_of(user)
    step = services.step_to_show(onboarding, request.POST.get("step") or request.GET.get("step"))
    if request.method == "POST" and "skip" in request.POST:
        services.skip_welcome(user)
        messages.info(request, _("You can continue the welcome at any time from your account."))
        return redirect("accounts:profile")
    offered = services.platforms_offered(user).select_related("district")
    data = request.POST if request.method == "POST" else None
    if step == "intent":
        form = IntentForm(data, initial={"intent": onboarding.intent if onboarding else None})
    elif step == "place":
        form = PlaceForm(data, initial={"municipality": user.home_municipality_id})
    else:
        form = PlatformsForm(
            data, offered=offered, initial={"platforms": services.followed_platform_ids(user)}
        )
    if request.method == "POST" and form.is_valid():
        if step == "intent":
            services.answer_intent(user, form.cleaned_data["intent"])
            services.remember_volunteer(request, user)
        elif step == "place":
            services.choose_place(user, form.cleaned_data["municipality"])
        else:
            services.choose_platforms(user, form.cleaned_data["platforms"])
            messages.success(request, _("Welcome! Your start is saved."))
            return redirect(
                "engagement:standards" if services.standards_pending(user) else "accounts:profile"
            )
        return redirect("engagement:welcome")
    return render(
        request,
        "engagement/welcome.html",
        {
            "form": form,
            "step": step,
            "step_number": services.STEPS.index(step) + 1,
            "step_count": len(services.STEPS),
            "offices": services.offices_for(user.home_municipality) if step == "platforms" else (),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def standards(request):
    """The district's current standards of civic engagement, to read and acknowledge."""
    user = request.user
    require("engagement.acknowledge", user)
    current = services.standards_for(user)
    acknowledged = current is not None and services.has_acknowledged(user, current)
    if request.method == "POST":
        try:
            services.acknowledge_standards(user, request.POST.get("version", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you. Your acknowledgement was recorded."))
        return redirect("engagement:standards")
    return render(
        request,
        "engagement/standards.html",
        {"standards": current, "acknowledged": acknowledged},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def my_certificates(request):
    """A volunteer's own records of the certificate of conduct their coordinator saw."""
    require("engagement.own_certificates", request.user)
    return render(
        request,
        "engagement/my_certificates.html",
        {
            "certificates": services.certificates_of(request.user, request.user),
            "due_soon": services.due_soon_date(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def confirmation(request):
    """What one's own confirmation lists, and the language to download it in. Only one's own:
    the address names nobody."""
    require("engagement.own_confirmation", request.user)
    return render(
        request,
        "engagement/confirmation.html",
        {
            "confirmation": services.confirmation_of(request.user),
            "languages": services.confirmation_languages(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def confirmation_pdf(request):
    require("engagement.own_confirmation", request.user)
    offered = dict(services.confirmation_languages(request.user))
    language = request.GET.get("language", "de")
    if language not in offered:
        language = "de"
    response = HttpResponse(
        services.confirmation_pdf(request.user, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="bestaetigung-{language}.pdf"'
    return response


def _person(request, pk, rule):
    person = get_object_or_404(
        User.objects.select_related("home_municipality"), pk=pk, is_active=True
    )
    require(rule, request.user, person)
    return person


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_certificate(request, pk):
    """A coordinator records that they saw a volunteer's certificate of conduct."""
    person = _person(request, pk, "engagement.record_certificate")
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_certificate(request.user, person, form.cleaned_data["seen_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Recorded. It is due again in five years."))
            return redirect("engagement:person_certificate", pk=person.pk)
    return render(
        request,
        "engagement/person_certificate.html",
        {
            "person": person,
            "form": form,
            "certificates": services.certificates_of(request.user, person),
            "due_soon": services.due_soon_date(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def overview(request):
    """The volunteers of the coordinator's municipalities: who is new, who acknowledged the
    standards, whose certificate of conduct is due."""
    require("engagement.overview", request.user)
    return render(
        request,
        "engagement/overview.html",
        {
            "result": paginate(request, services.volunteers_overview(request.user), per_page=50),
            "new_since": services.new_since(),
            "due_soon": services.due_soon_date(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def write(request, pk):
    """A coordinator writes to a volunteer of their municipalities."""
    person = _person(request, pk, "engagement.write_to")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_to_volunteer(request.user, person, form.cleaned_data["message"])
        except ValidationError as exc:
            form.add_error("message", exc)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("engagement:overview")
    return render(request, "engagement/write.html", {"person": person, "form": form})
