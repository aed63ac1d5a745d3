from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.page_cache import public_page
from hilfenetz.core.pagination import paginate
from hilfenetz.core.predicates import allowed, permitted, require
from hilfenetz.directory import exports, services
from hilfenetz.directory.forms import (
    ContactFinderForm,
    ContactForm,
    ImportForm,
    MemberForm,
    OfficeCreateForm,
    OfficeForm,
    ProfileForm,
    SearchForm,
    TeamForm,
)
from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    ImportRun,
    Office,
    TeamMember,
)

IMPORT_SESSION_KEY = "directory_import"


@require_GET
@public_page
def index(request):
    form = SearchForm(request.GET or None)
    result = paginate(request, services.office_window(form.filters()), per_page=25)
    return render(
        request,
        "directory/index.html",
        {
            "form": form,
            "page": result.page,
            "offices": result.object_list,
        },
    )


@require_GET
def contact_finder(request):
    form = ContactFinderForm(request.GET or None)
    local = district = None
    municipality = None
    if form.is_valid():
        municipality = form.cleaned_data["municipality"]
        local, district = services.offices_for_municipality(municipality)
    return render(
        request,
        "directory/contact_finder.html",
        {
            "form": form,
            "municipality": municipality,
            "local_offices": local,
            "district_offices": district,
        },
    )


@require_GET
def office_detail(request, slug):
    # Not ``with_details``: the card is kept (the office_card tag) and reads what it shows only
    # when it is rendered again.
    office = get_object_or_404(Office.objects.active().select_related("district"), slug=slug)
    return render(
        request,
        "directory/office_detail.html",
        {"office": office, "may_edit": allowed("directory.office.edit", request.user, office)},
    )


def _editable(request, entries, rule, **lookup):
    """An entry in the user's scope that the rule lets them edit; entries outside their scope
    do not exist for them (404), entries in scope they may not edit are refused (403)."""
    entry = get_object_or_404(
        entries.coordinated_by(request.user).select_related("district"), **lookup
    )
    require(rule, request.user, entry)
    return entry


def _editable_office(request, slug):
    # the municipalities it serves: read by the rule, the form and the page
    offices = Office.objects.prefetch_related("municipalities")
    return _editable(request, offices, "directory.office.edit", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request, slug):
    office = _editable_office(request, slug)
    form = OfficeForm(request.POST or None, instance=office, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.OFFICE_FIELDS}
        data["municipalities"] = list(form.cleaned_data["municipalities"])
        # the form changed the instance in place; the service compares with the stored row
        try:
            services.update_office(request.user, Office.objects.get(pk=office.pk), data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The office was saved and marked as current."))
            return redirect("directory:office", slug=office.slug)
    contacts = office.contacts.all()
    # a form that was sent changed the instance: the page shows the stored office
    shown = Office.objects.get(pk=office.pk) if form.is_bound else office
    return render(
        request,
        "directory/office_form.html",
        {"office": shown, "form": form, "contacts": contacts},
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_create(request):
    require("directory.office.create", request.user)
    form = OfficeCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.OFFICE_FIELDS}
        data["municipalities"] = list(form.cleaned_data["municipalities"])
        data["kind"] = form.cleaned_data.get("kind")
        try:
            office = services.create_office(request.user, form.cleaned_data["district"], data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The office was created."))
            return redirect("directory:office_edit", slug=office.slug)
    return render(request, "directory/office_create.html", {"form": form})


@login_required
@require_POST
def office_verify(request, slug):
    office = _editable_office(request, slug)
    services.verify(request.user, office)
    messages.success(request, _("Thank you. The entry is marked as current."))
    return redirect("directory:office", slug=office.slug)


@login_required
@require_GET
def office_history(request, slug):
    return _history_page(request, _editable_office(request, slug))


def _history_page(request, subject):
    result = paginate(request, services.history(subject), per_page=50)
    return render(
        request,
        "directory/history.html",
        {"subject": subject, "page": result.page, "changes": result.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, slug):
    office = _editable_office(request, slug)
    return _contact_form(request, office, None)


def _editable_contact(request, pk):
    contact = get_object_or_404(
        ContactPerson.objects.coordinated_by(request.user).select_related("office"), pk=pk
    )
    return _editable_office(request, contact.office.slug), contact


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    office, contact = _editable_contact(request, pk)
    return _contact_form(request, office, contact)


def _contact_form(request, office, contact):
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.CONTACT_FIELDS}
        data["consent_date"] = form.cleaned_data["consent_date"]
        stored = ContactPerson.objects.get(pk=contact.pk) if contact else None
        services.save_contact(request.user, office, data, stored)
        messages.success(request, _("The contact person was saved."))
        return redirect("directory:office_edit", slug=office.slug)
    return render(
        request,
        "directory/contact_form.html",
        {"office": office, "contact": contact, "form": form},
    )


@login_required
@require_POST
def contact_delete(request, pk):
    _office, contact = _editable_contact(request, pk)
    services.delete_contact(request.user, contact)
    messages.success(request, _("The contact person was removed."))
    return redirect("directory:office_edit", slug=contact.office.slug)


@require_GET
def organisations(request):
    form = SearchForm(request.GET or None)
    result = paginate(request, services.search_organisations(form.filters()), per_page=25)
    return render(
        request,
        "directory/organisations.html",
        {"form": form, "page": result.page, "organisations": result.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_profile(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality", "district"), slug=slug
    )
    profile = services.profile_for(organisation)
    require("directory.organisation.edit", request.user, profile)
    initial = {"phone": profile.phone, "how_to_reach": profile.how_to_reach}
    if profile.pk:
        initial["topics"] = list(profile.topics.all())
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, organisation, **form.cleaned_data)
        messages.success(request, _("The directory entry was saved and marked as current."))
        return redirect("directory:organisation_profile", slug=slug)
    changes = services.history(profile)[:20] if profile.pk else []
    return render(
        request,
        "directory/organisation_profile.html",
        {"organisation": organisation, "profile": profile, "form": form, "changes": changes},
    )


@require_GET
def teams(request):
    team_list = CompetenceTeam.objects.select_related("district").prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.public(), to_attr="public_members")
    )
    return render(request, "directory/teams.html", {"teams": team_list})


def _editable_team(request, pk):
    return _editable(request, CompetenceTeam.objects, "directory.team.edit", pk=pk)


@login_required
@require_POST
def team_verify(request, pk):
    team = _editable_team(request, pk)
    services.verify(request.user, team)
    messages.success(request, _("Thank you. The entry is marked as current."))
    return redirect("directory:teams")


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk):
    team = _editable_team(request, pk)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.TEAM_FIELDS}
        services.update_team(request.user, CompetenceTeam.objects.get(pk=team.pk), data)
        messages.success(request, _("The competence team was saved and marked as current."))
        return redirect("directory:team_edit", pk=team.pk)
    return render(
        request,
        "directory/team_form.html",
        {
            "team": CompetenceTeam.objects.get(pk=team.pk),
            "form": form,
            "members": team.members.all(),
        },
    )


@login_required
@require_GET
def team_history(request, pk):
    team = get_object_or_404(CompetenceTeam.objects.of_coordinated_districts(request.user), pk=pk)
    require("directory.team.history", request.user, team)
    return _history_page(request, team)


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request, pk):
    return _member_form(request, _editable_team(request, pk), None)


def _editable_member(request, pk):
    member = get_object_or_404(TeamMember.objects.coordinated_by(request.user), pk=pk)
    return _editable_team(request, member.team_id), member


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    team, member = _editable_member(request, pk)
    return _member_form(request, team, member)


def _member_form(request, team, member):
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEMBER_FIELDS}
        stored = TeamMember.objects.get(pk=member.pk) if member else None
        services.save_member(request.user, team, data, stored)
        messages.success(request, _("The team member was saved."))
        return redirect("directory:team_edit", pk=team.pk)
    return render(
        request, "directory/member_form.html", {"team": team, "member": member, "form": form}
    )


@login_required
@require_POST
def member_delete(request, pk):
    team, member = _editable_member(request, pk)
    services.delete_member(request.user, member)
    messages.success(request, _("The team member was removed."))
    return redirect("directory:team_edit", pk=team.pk)


@login_required
@require_GET
def overdue(request):
    require("directory.overdue.view", request.user)
    return render(request, "directory/overdue.html", services.overdue_entries(request.user))


def _public_offices():
    return services.search_offices(services.Filters())


def _filename(extension):
    return f"koordinationsstellen-{timezone.localdate().isoformat()}.{extension}"


@require_GET
def export_csv(request):
    response = HttpResponse(
        exports.offices_csv(_public_offices()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_GET
def export_vcard(request):
    response = HttpResponse(
        exports.offices_vcard(_public_offices()), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("vcf")}"'
    return response


@require_GET
def export_pdf(request):
    pdf = exports.current_offices_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename("pdf")}"'
    return response


def _import_districts(request):
    require("directory.import", request.user)
    districts = services.import_districts(request.user)
    if not districts:
        raise PermissionDenied
    return districts


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    districts = _import_districts(request)
    form = ImportForm(request.POST or None, request.FILES or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            rows = services.read_table(form.cleaned_data["file"], kind)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "district": form.chosen_district().pk,
                "kind": kind,
                "duplicates": form.cleaned_data["duplicates"],
                "rows": rows,
            }
            return redirect("directory:import_preview")
    runs = permitted("directory.import.run", request.user, ImportRun.objects.all())[:10]
    return render(
        request,
        "directory/import_upload.html",
        {"form": form, "district": districts[0] if len(districts) == 1 else None, "runs": runs},
    )


def _stored_import(request):
    """The district of the uploaded rows, if it is still the user's, and what was uploaded
    (``kind``, ``rows`` and what to do with ``duplicates``)."""
    districts = {d.pk: d for d in _import_districts(request)}
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("district") not in districts:
        return None, None
    stored = {
        "kind": services.ImportKind.OFFICES,
        "duplicates": services.Duplicates.UPDATE,
        **stored,
    }
    return districts[stored["district"]], stored


@login_required
@require_GET
def import_preview(request):
    district, stored = _stored_import(request)
    if stored is None:
        messages.info(request, _("Please upload a file first."))
        return redirect("directory:import_upload")
    plan = services.plan_for(
        request.user, district, stored["rows"], stored["kind"], stored["duplicates"]
    )
    return render(request, "directory/import_preview.html", {"plan": plan, "district": district})


@login_required
@require_POST
def import_confirm(request):
    district, stored = _stored_import(request)
    if stored is None:
        messages.info(request, _("Please upload a file first."))
        return redirect("directory:import_upload")
    kind, rows = stored["kind"], stored["rows"]
    try:
        if kind == services.ImportKind.ORGANISATIONS:
            run = services.start_organisation_import(
                request.user, district, rows, stored["duplicates"]
            )
        else:
            plan = services.apply_import(request.user, district, rows, kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory:import_preview")
    del request.session[IMPORT_SESSION_KEY]
    if kind == services.ImportKind.ORGANISATIONS:
        return redirect("directory:import_run", pk=run.pk)
    n = len(plan.changed_rows)
    if kind == services.ImportKind.CONTACTS:
        text = ngettext(
            "%(n)d contact person was updated or created.",
            "%(n)d contact persons were updated or created.",
            n,
        )
    else:
        text = ngettext(
            "%(n)d office was updated or created.", "%(n)d offices were updated or created.", n
        )
    messages.success(request, text % {"n": n})
    return redirect("directory:index")


SAMPLE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def import_sample(request):
    """A sample file for organisations and working groups, to fill in and upload."""
    district = _import_districts(request)[0]
    extension = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    content = services.sample_table(
        services.ORGANISATION_IMPORT_COLUMNS,
        services.organisation_sample(request.user, district),
        extension,
    )
    response = HttpResponse(content, content_type=SAMPLE_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="organisationen.{extension}"'
    return response


def _import_run(request, pk):
    runs = ImportRun.objects.select_related("district")
    return get_object_or_404(permitted("directory.import.run", request.user, runs), pk=pk)


@login_required
@require_GET
def import_run(request, pk):
    """How far an import of organisations is; htmx asks again every few seconds while it runs
    and stops when told so (286)."""
    run = _import_run(request, pk)
    status = 286 if request.headers.get("HX-Request") and not run.is_running else 200
    return render(request, "directory/import_run.html", {"run": run}, status=status)


@login_required
@require_POST
def import_undo(request, pk):
    run = _import_run(request, pk)
    try:
        services.undo_import(request.user, run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import was undone."))
    return redirect("directory:import_run", pk=run.pk)
