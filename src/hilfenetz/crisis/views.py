"""Thin views: parse the request, ask the rules, call a service, render."""

import csv
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hilfenetz.core.pagination import paginate
from hilfenetz.core.predicates import allowed, permitted, require
from hilfenetz.core.spreadsheets import text_cell
from hilfenetz.crisis import services
from hilfenetz.crisis.forms import (
    CategoryForm,
    OfferForm,
    StatusForm,
    SwitchOnForm,
    TemplateCategoryForm,
    TemplateForm,
)
from hilfenetz.crisis.models import (
    AccommodationOffer,
    AlertRequest,
    CrisisMode,
    CrisisTemplate,
    TemplateCategory,
)
from hilfenetz.regions.models import District

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _errors(request, exc: ValidationError):
    for text in exc.messages:
        messages.error(request, text)


def _add_named(request, form, add, done):
    """Hand a posted name with its translations to the service ``add``; what it saved (with
    ``done(saved)`` as the message), or None with the form saying why (nothing typed is lost)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = add(name=form.cleaned_data["name"], translations=form.instance.translations)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, done(saved))
    return saved


def _district(request, pk, rule):
    district = get_object_or_404(District, pk=pk)
    require(rule, request.user, district)
    return district


def _open_modes():
    return CrisisMode.objects.filter(is_on=True).select_related("district")


@require_http_methods(["GET", "HEAD"])
def index(request):
    """What crisis mode means for everyone: the districts in crisis mode, how to offer
    accommodation, the alert to ask for, and (for coordinators) their districts' switches."""
    user = request.user
    context = {"modes": list(_open_modes().order_by("district__name"))}
    if user.is_authenticated:
        context["asked"] = AlertRequest.objects.filter(user=user).exists()
        context["managed"] = permitted("crisis.view_state", user, District.objects.all())
        context["sees_offers"] = allowed("crisis.view_offers", user)
    return render(request, "crisis/index.html", context)


@login_required
@require_POST
def alerts(request):
    if request.POST.get("alert") == "on":
        services.ask_for_alert(request.user)
        messages.success(request, _("You will get a mail when a district turns crisis mode on."))
    else:
        services.stop_alert(request.user)
        messages.success(request, _("You will get no mail about crisis mode."))
    return redirect("crisis:index")


def _manage_page(request, district, form=None, status=200):
    mode = services.state_of(district)
    may_switch = allowed("crisis.switch", request.user, district)
    if form is None and may_switch and not mode.is_on:
        form = SwitchOnForm(district=district)
    return render(
        request,
        "crisis/manage.html",
        {
            "district": district,
            "mode": mode,
            "may_switch": may_switch,
            "form": form,
            "added": list(mode.added_categories.all()) if mode.is_on else [],
            "history": services.history(mode)[:50],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def manage(request, pk):
    """The district's switch: its state and history for the district's coordinators, the
    switch itself for its district coordinators."""
    return _manage_page(request, _district(request, pk, "crisis.view_state"))


@login_required
@require_POST
def switch_on(request, pk):
    """Checks the form, shows what will happen, and acts once that is confirmed."""
    district = _district(request, pk, "crisis.switch")
    form = SwitchOnForm(request.POST, district=district)
    if not form.is_valid():
        return _manage_page(request, district, form)
    if not form.cleaned_data["confirmed"]:
        template = form.cleaned_data["template"]
        return render(
            request,
            "crisis/confirm_on.html",
            {
                "district": district,
                "form": form,
                "data": form.cleaned_data,
                "categories": list(template.categories.all()) if template else [],
            },
        )
    try:
        services.switch_on(district, request.user, **form.service_arguments())
    except ValidationError as exc:
        _errors(request, exc)
        return _manage_page(request, district, form)
    messages.success(request, _("Crisis mode is on."))
    return redirect("crisis:manage", district.pk)


@login_required
@GET_POST
def switch_off(request, pk):
    district = _district(request, pk, "crisis.switch")
    mode = services.state_of(district)
    if request.method != "POST":
        added = list(mode.added_categories.all()) if mode.is_on else []
        return render(
            request,
            "crisis/confirm_off.html",
            {"district": district, "mode": mode, "added": added},
        )
    try:
        services.switch_off(district, request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Crisis mode is off."))
    return redirect("crisis:manage", district.pk)


@login_required
@GET_POST
def templates(request, pk):
    district = _district(request, pk, "crisis.switch")
    form = TemplateForm(request.POST or None)
    add = partial(services.add_template, district, request.user)
    if template := _add_named(request, form, add, lambda _saved: _("The template is saved.")):
        return redirect("crisis:template", template.pk)
    rows = CrisisTemplate.objects.filter(district=district).prefetch_related("categories")
    return render(
        request,
        "crisis/templates.html",
        {"district": district, "templates": rows, "form": form},
    )


def _template(request, pk):
    template = get_object_or_404(CrisisTemplate.objects.select_related("district"), pk=pk)
    require("crisis.edit_template", request.user, template)
    return template


@login_required
@GET_POST
def template(request, pk):
    """A template's categories: add one with its name in every language, remove one."""
    template = _template(request, pk)
    form = TemplateCategoryForm(request.POST or None)
    add = partial(services.add_template_category, template, request.user)
    if _add_named(request, form, add, lambda _saved: _("The category is added to the template.")):
        return redirect("crisis:template", template.pk)
    return render(
        request,
        "crisis/template.html",
        {"template": template, "entries": template.categories.all(), "form": form},
    )


@login_required
@require_POST
def template_remove(request, pk):
    entry = get_object_or_404(TemplateCategory.objects.select_related("template"), pk=pk)
    services.remove_template_category(entry, request.user)
    messages.success(request, _("The category is removed from the template."))
    return redirect("crisis:template", entry.template_id)


@login_required
@GET_POST
def category_add(request, pk):
    """One new category of the help exchange, named in every language."""
    district = _district(request, pk, "crisis.add_category")
    form = CategoryForm(request.POST or None)
    add = partial(services.add_category, district, request.user)
    if _add_named(
        request,
        form,
        add,
        lambda saved: _("The category %(name)s is added.") % {"name": saved.label()},
    ):
        return redirect("crisis:manage", district.pk)
    return render(request, "crisis/category_form.html", {"district": district, "form": form})


@login_required
@GET_POST
def offer(request):
    """Offer accommodation, while a district takes offers."""
    require("crisis.offer_accommodation", request.user)
    districts = [mode.district for mode in _open_modes()]
    form = OfferForm(request.POST or None, districts=districts) if districts else None
    if form is not None and request.method == "POST" and form.is_valid():
        details = {k: v for k, v in form.cleaned_data.items() if k != "municipality"}
        try:
            services.offer_accommodation(
                request.user, municipality=form.cleaned_data["municipality"], **details
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. A coordinator will contact you."))
            return redirect("crisis:index")
    return render(request, "crisis/offer_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD"])
def offers(request):
    """The offers of accommodation the viewer's scope holds, newest first."""
    require("crisis.view_offers", request.user)
    result = paginate(request, services.offers_for(request.user), per_page=30)
    rows = [
        (o, StatusForm(initial={"status": o.status}, row=o.pk, about=o.municipality.name))
        for o in result.page
    ]
    return render(request, "crisis/offers.html", {"result": result, "rows": rows})


CSV_COLUMNS = [
    "id",
    "municipality",
    "people",
    "from",
    "until",
    "accessible",
    "note",
    "status",
    "name",
    "email",
    "created",
]


@login_required
@require_http_methods(["GET", "HEAD"])
def offers_csv(request):
    require("crisis.view_offers", request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="unterkunftsangebote.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for o in services.offers_for(request.user).iterator():
        writer.writerow(
            [
                o.pk,
                o.municipality.name,
                o.people,
                o.available_from.isoformat(),
                o.available_until.isoformat() if o.available_until else "",
                "yes" if o.accessible else "no",
                text_cell(o.note),
                o.status,
                text_cell(o.offered_by.display_name),
                text_cell(o.offered_by.email),
                o.created_at.isoformat(),
            ]
        )
    return response


@login_required
@require_POST
def offer_status(request, pk):
    found = get_object_or_404(AccommodationOffer.objects.select_related("municipality"), pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered states."))
    else:
        services.mark_offer(found, request.user, form.cleaned_data["status"])
        messages.success(request, _("The offer is updated."))
    return redirect("crisis:offers")


@login_required
@require_POST
def offer_delete(request, pk):
    found = get_object_or_404(AccommodationOffer.objects.select_related("municipality"), pk=pk)
    services.delete_offer(found, request.user)
    messages.success(request, _("The offer is deleted."))
    return redirect("crisis:offers")
