"""The figures page, its CSV and its PDF: the same figures of one place and period."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hilfenetz.core import page_cache
from hilfenetz.core.predicates import require
from hilfenetz.core.scoping import coordinator_scope
from hilfenetz.figures import report, services
from hilfenetz.figures.forms import FiguresForm

# Everything the figures are read from: what is kept is used again until one of them changes.
READS = (
    "exchange.Listing",
    "exchange.ListingEvent",
    "exchange.Conversation",
    "exchange.Pledge",
    "exchange.Category",
    "accounts.User",
    "network.Meeting",
    "network.Invitation",
    "network.Platform",
    "media.MediaItem",
    "media.MediaFile",
    "media.DownloadCount",
    "regions.Municipality",
    "engagement.Onboarding",
    "engagement.StandardsAcknowledgement",
    "engagement.ConductCertificate",
)
PLACES = ("regions.Municipality", "regions.Area", "regions.District")


def _figures(request):
    """The form and, when it is valid, the figures it asks for (kept per place and period:
    the same for every coordinator who may read that place)."""
    require("figures.view", request.user)
    places = page_cache.kept(
        "figures-places",
        coordinator_scope(request.user).key,
        lambda: services.places_for(request.user),
        reads=page_cache.model_tables(*PLACES),
    )
    form = FiguresForm(request.GET, places)
    place = form.chosen_place
    if place is None:
        raise PermissionDenied  # a place the person does not coordinate
    if not form.is_valid():
        return form, None
    period = form.cleaned_data["period"]
    figures = page_cache.kept(
        "figures",
        (place.key, period.key),
        lambda: services.compute(place, period),
        reads=page_cache.model_tables(*READS),
    )
    return form, figures


def _page(request, form, figures, status=200):
    context = {"form": form, "figures": figures}
    if figures is not None:
        context["period"] = report.period_label(figures)
        context["sections"] = [
            {"section": section, "chart": report.chart(section.bars)}
            for section in report.sections(figures)
        ]
    return render(request, "figures/index.html", context, status=status)


@login_required
@require_GET
def index(request):
    form, figures = _figures(request)
    return _page(request, form, figures)


def _filename(figures, extension):
    return f'attachment; filename="kennzahlen-{figures.place.key}-{figures.period.key}.{extension}"'


@login_required
@require_GET
def figures_csv(request):
    form, figures = _figures(request)
    if figures is None:
        return _page(request, form, None, status=400)
    response = HttpResponse(report.csv_text(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(figures, "csv")
    return response


@login_required
@require_GET
def figures_pdf(request):
    form, figures = _figures(request)
    if figures is None:
        return _page(request, form, None, status=400)
    response = HttpResponse(report.pdf_bytes(figures), content_type="application/pdf")
    response["Content-Disposition"] = _filename(figures, "pdf")
    return response
