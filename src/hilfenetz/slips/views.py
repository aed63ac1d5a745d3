"""The coordinator's slips (list, print, revoke) and the pages of the person holding one."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hilfenetz.core.client_ip import client_ip
from hilfenetz.core.pagination import paginate
from hilfenetz.core.predicates import require
from hilfenetz.exchange.models import Conversation, Message
from hilfenetz.exchange.ratelimit import RateLimited
from hilfenetz.slips import pdf, services, session
from hilfenetz.slips.forms import AddListingForm, CodeForm, ReplyForm, SlipForm
from hilfenetz.slips.models import Slip


def _managed_slip(request, pk) -> Slip:
    slip = get_object_or_404(services.slips_for(request.user), pk=pk)
    require("slips.manage_slip", request.user, slip)
    return slip


def _printable_slip(request, pk) -> Slip:
    """A revoked or expired slip is not printed again: its code opens nothing."""
    slip = _managed_slip(request, pk)
    if not slip.is_active():
        raise Http404
    return slip


def _errors(request, exc: ValidationError):
    for text in exc.messages:
        messages.error(request, text)


@login_required
def slip_list(request):
    require("slips.list", request.user)
    slips = (
        services.slips_for(request.user).select_related("municipality").prefetch_related("listings")
    )
    return render(request, "slips/list.html", {"result": paginate(request, slips, per_page=50)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def slip_create(request):
    require("slips.list", request.user)
    initial = {"listing": request.GET.get("listing"), "language": translation.get_language()}
    form = SlipForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slip = services.create_slip(
                request.user,
                data["listing"],
                pseudonym=data["pseudonym"],
                language=data["language"],
                valid_until=data["valid_until"],
                phone=data.get("phone", ""),
                sms_consent=data.get("sms_consent", False),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The slip is ready to print."))
            return redirect("slips:detail", slip.pk)
    return render(request, "slips/form.html", {"form": form})


@login_required
@never_cache
def slip_detail(request, pk):
    slip = _managed_slip(request, pk)
    return _detail(request, slip, AddListingForm(user=request.user, slip=slip))


def _detail(request, slip: Slip, add_form: AddListingForm, status=200):
    context = {**_slip_context(slip), "active": slip.is_active(), "add_form": add_form}
    return render(request, "slips/detail.html", context, status=status)


@login_required
@require_POST
def slip_add_listing(request, pk):
    slip = _managed_slip(request, pk)
    form = AddListingForm(request.POST, user=request.user, slip=slip)
    if form.is_valid():
        try:
            services.add_listing(slip, form.cleaned_data["listing"], request.user)
        except ValidationError as exc:
            form.add_error("listing", exc)
        else:
            messages.success(request, _("The listing is on the slip. Its code stays the same."))
            return redirect("slips:detail", slip.pk)
    return _detail(request, slip, form, status=400)


def _slip_context(slip: Slip) -> dict:
    return {
        "slip": slip,
        "code": services.code_of(slip),
        "address": services.short_address(reverse("slips:enter")),
        "listings": list(slip.listings.all()),
    }


@login_required
@never_cache
def slip_print(request, pk):
    """The slip as a page to print: the slip in the person's language, marked as such, in the
    site's frame in the coordinator's."""
    slip = _printable_slip(request, pk)
    qr = segno.make(services.slip_url(slip), error="m")
    with translation.override(slip.language):
        context = _slip_context(slip)
        context["texts"] = pdf.slip_texts(slip, context["code"], context["address"])
        svg = qr.svg_inline(scale=6, omitsize=True, title=_("QR code of your slip"))
        # segno's own markup of the slip's address (no user text); role=img with its title
        context["qr_svg"] = mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
        context["slip_dir"] = "rtl" if translation.get_language_bidi() else "ltr"
    return render(request, "slips/print.html", context)


@login_required
@never_cache
def slip_pdf(request, pk):
    slip = _printable_slip(request, pk)
    with translation.override(slip.language):
        document = pdf.slip_pdf(**_slip_context(slip), url=services.slip_url(slip))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{slip.pk}.pdf"'
    return response


@login_required
@require_POST
def slip_revoke(request, pk):
    slip = _managed_slip(request, pk)
    services.revoke(slip, request.user)
    messages.success(request, _("The slip is revoked: its code no longer works."))
    return redirect("slips:detail", slip.pk)


# The person holding a slip: no account, no login. Every page asks session.current_slip.


def _begin(request, slip: Slip):
    session.begin(request, slip)
    response = redirect("slips:home")
    # the slip's language from now on, set as Django's language switch sets it
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        slip.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _rate_limited(request, exc):
    return render(request, "slips/rate_limited.html", {"error": exc}, status=429)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enter(request):
    """The short address on the slip: type the code, one button opens the page."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slip = services.find_slip(form.cleaned_data["code"], client_ip(request))
        except RateLimited as exc:
            return _rate_limited(request, exc)
        if slip is not None:
            return _begin(request, slip)
        form.add_error("code", _("This code is not valid (any more). Please check it."))
    return render(request, "slips/enter.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def open_slip(request, code):
    """The address in the QR code. GET and HEAD only say what the button does (a scanner
    or a link preview opens nothing); the button POSTs and opens the page."""
    if request.method == "POST":
        try:
            slip = services.find_slip(code, client_ip(request))
        except RateLimited as exc:
            return _rate_limited(request, exc)
        if slip is not None:
            return _begin(request, slip)
        messages.error(request, _("This code is not valid (any more). Please check it."))
        return redirect("slips:enter")
    return render(request, "slips/open.html")


def _held_slip(request):
    slip = session.current_slip(request)
    if slip is None:
        messages.info(request, _("Please enter the code of your slip."))
    return slip


def _home(request, slip: Slip, failed: tuple[int, ReplyForm] | None = None, status=200):
    """The person's listings with their state and every answer; ``failed``: the conversation
    whose answer could not be sent, with what was typed."""
    conversations = Conversation.objects.select_related("helper").prefetch_related(
        Prefetch("messages", queryset=Message.objects.order_by("created_at", "pk"))
    )
    listings = slip.listings.select_related("category").prefetch_related(
        Prefetch("conversations", queryset=conversations)
    )
    failed_pk, failed_form = failed or (None, None)
    return render(
        request,
        "slips/home.html",
        {"slip": slip, "listings": listings, "failed_pk": failed_pk, "failed_form": failed_form},
        status=status,
    )


@never_cache
def home(request):
    slip = _held_slip(request)
    if slip is None:
        return redirect("slips:enter")
    return _home(request, slip)


@require_POST
def reply(request, pk):
    slip = _held_slip(request)
    if slip is None:
        return redirect("slips:enter")
    conversation = get_object_or_404(
        Conversation.objects.select_related("listing__author").filter(
            listing__in=slip.listings.all()
        ),
        pk=pk,
    )
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(slip, conversation, form.cleaned_data["body"])
        except RateLimited as exc:
            return _rate_limited(request, exc)
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect(f"{reverse('slips:home')}#conversation-{conversation.pk}")
    return _home(request, slip, (conversation.pk, form), status=400)


@require_POST
def leave(request):
    session.end(request)
    messages.success(request, _("You have left the page of your slip."))
    return redirect("slips:enter")
