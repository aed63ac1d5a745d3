"""Thin views: parse the request, ask the rules, call a service, render."""

import csv
import functools
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hilfenetz.accounts.rules import in_any_organisation
from hilfenetz.core import files, moderation, search
from hilfenetz.core.page_cache import (
    public_page,
    render_around,
    same_for_everyone,
    same_within,
)
from hilfenetz.core.pagination import Window, paginate
from hilfenetz.core.predicates import allowed, permitted, require
from hilfenetz.core.scoping import coordinator_scope
from hilfenetz.core.signed_links import SignedLinkView
from hilfenetz.exchange import services, tasks
from hilfenetz.exchange.alerts import apply_filters, find
from hilfenetz.exchange.forms import (
    FilterForm,
    ListingForm,
    MessageForm,
    PledgeForm,
    ReasonForm,
    SavedSearchForm,
)
from hilfenetz.exchange.models import (
    Conversation,
    Listing,
    ListingPhoto,
    Message,
    Pledge,
    PledgeStatus,
    Report,
    Ride,
    SavedSearch,
    Status,
)
from hilfenetz.exchange.ratelimit import RateLimited
from hilfenetz.regions.browsing import browsed_district


def _visible_listing(request, pk):
    listing = get_object_or_404(Listing.objects.visible_to(request.user).for_display(), pk=pk)
    require("exchange.view_listing", request.user, listing)
    return listing


def _error_messages(request, exc: ValidationError):
    for text in exc.messages:
        messages.error(request, text)


def _rate_limited(request, exc):
    return render(request, "exchange/rate_limited.html", {"error": exc}, status=429)


def _pk(row):
    return row.pk if row is not None else None


# About 12 KB each with its compiled search (measured): at most about 3 MB per worker.
@functools.lru_cache(maxsize=256)
def _narrowed(district, kind="", category=None, area=None, municipality=None, since=None):
    """The published listings of the filters (keys), newest first: one queryset per process
    and filters, whose search is compiled once (core.search), not on every search of them."""
    qs = Listing.objects.published().order_by("-published_at", "-pk")
    if district is not None:
        qs = qs.in_district(district)
    return apply_filters(
        qs, kind=kind, category=category, area=area, municipality=municipality, since=since
    )


def _matches(form) -> tuple:
    """What the filters find, the same on every page of them: the filter fields, rendered, the
    keys of the first matches in order (newest first, or best first for a ranked search), and
    whether a ranked search left out older matches (``search.Ranked.more``)."""
    # The district being browsed, even if a filter is invalid; none for the only one of the
    # installation, which holds every listing: a filter less to plan and check on every search.
    district = None if form.only_district else _pk(form.district)
    if not form.is_valid():
        qs = _narrowed(district)
    else:
        data = form.cleaned_data
        filters = {
            "kind": data["kind"],
            "category": _pk(data["category"]),
            "area": _pk(data["area"]),
            "municipality": _pk(data["municipality"]),
        }
        qs = find(
            _narrowed(district, since=data["since"], **filters),
            data["q"],
            by_relevance=(data["sort"] or "relevance") == "relevance",
            category=filters["category"],
            area=filters["area"],
            municipality=filters["municipality"],
        )
    # Newest first: the keys of one index walk (a ranked search is a sequence already). A tuple
    # of text and numbers: kept as it is, not copied on each reading (core.cache.InProcessCache).
    if isinstance(qs, search.Ranked):
        return form.rendered_fields(), tuple(qs.keys), qs.more
    return form.rendered_fields(), tuple(Window(qs).keys), False


@functools.cache
def _published():
    """The published listings, whose rows a list page loads: one queryset per process (never
    evaluated itself), so that the query of its cards' rows is compiled once."""
    return Listing.objects.published()


@public_page
def listing_list(request):
    # built only when used: kept results need it only for a chosen district's link
    form = SimpleLazyObject(lambda: FilterForm(request.GET or None))

    def results():
        # Every page of the same filters counts and pages the same matches: they are kept
        # per filters, and a page loads only the rows of its cards that are not kept.
        query = request.GET.copy()
        query.pop("page", None)
        filters, keys, more = same_for_everyone(
            request,
            "exchange-matches",
            lambda: _matches(form),
            query=query.urlencode(),
            store="matches",
        )
        rows = Window(_published(), keys=keys)
        result = paginate(request, rows, per_page=20, more=more)
        # without the context processors (user, messages, nonce): nothing of the viewer reaches
        # what is kept; the request serves the pages' links (the path's own query)
        return get_template("exchange/_results.html").render(
            {"filters": filters, "result": result, "request": request}
        )

    # The filters, the count, the cards and the pages are the same for every viewer; the page
    # around them (the actions: own listings, saved searches, moderation) for everyone who sees
    # the same layout, and it links to the saved searches with the district chosen.
    context = {"form": form, "results": same_for_everyone(request, "exchange-results", results)}
    district = request.GET.get("district", "")
    return render_around(request, "exchange/list.html", context, "results", parts=(district,))


@public_page
def listing_detail(request, pk):
    listing = _visible_listing(request, pk)
    context = {
        "listing": listing,
        "photos": list(listing.photos.all()),
        "pledge_form": PledgeForm(),
    }
    if listing.is_open:
        context["deliveries"] = services.deliveries(listing, request.user)
    if request.user.is_authenticated and listing.author_id == request.user.pk:
        context["matches"] = list(services.matches(listing, limit=5))
        context["drivers"] = services.ride_offers(listing)
    return render(request, "exchange/detail.html", context)


@login_required
def listing_create(request):
    require("exchange.create_listing", request.user)
    may_post_on_behalf = allowed("exchange.post_on_behalf", request.user)
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        may_post_on_behalf=may_post_on_behalf,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation", None)
        agreement = data.pop("on_behalf_agreement", "") or ""
        try:
            listing = services.create_listing(
                request.user, organisation=organisation, consent_agreement=agreement, **data
            )
        except RateLimited as exc:
            return _rate_limited(request, exc)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            if listing.status == Status.PENDING:
                messages.success(request, _("Thank you! A coordinator will check your listing."))
            else:
                messages.success(request, _("Your listing is published."))
            return redirect("exchange:detail", listing.pk)
    return render(request, "exchange/form.html", {"form": form})


@login_required
def listing_edit(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.edit_listing", request.user, listing)
    form = ListingForm(
        request.POST or None, request.FILES or None, instance=listing, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.update_listing(
                Listing.objects.get(pk=listing.pk), request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            if updated.status == Status.PENDING and listing.status == Status.PUBLISHED:
                messages.success(
                    request, _("Your changes are saved. A coordinator will check them.")
                )
            else:
                messages.success(request, _("Your changes are saved."))
            return redirect("exchange:detail", listing.pk)
    return render(
        request,
        "exchange/form.html",
        {"form": form, "listing": listing, "photos": list(listing.photos.all())},
    )


@require_GET
def photo(request, pk, photo_pk):
    """A listing's photo, for whoever may see the listing; anyone's once it is published."""
    listing = _visible_listing(request, pk)
    photo = get_object_or_404(ListingPhoto, pk=photo_pk, listing=listing)
    return files.serve(
        request,
        photo.image,
        files.access(True, public=listing.is_open),
        content_type="image/jpeg",
        modified=photo.created_at,
    )


@login_required
@require_POST
def photo_delete(request, pk, photo_pk):
    listing = _visible_listing(request, pk)
    require("exchange.edit_listing", request.user, listing)
    photo = get_object_or_404(ListingPhoto, pk=photo_pk, listing=listing)
    services.delete_photo(photo, request.user)
    messages.success(request, _("The photo was removed."))
    return redirect("exchange:edit", listing.pk)


@login_required
def listing_answer(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.answer", request.user, listing)
    existing = Conversation.objects.filter(listing=listing, helper=request.user).first()
    if existing is not None and request.method == "GET":
        return redirect("exchange:conversation", existing.pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.answer(listing, request.user, form.cleaned_data["body"])
        except RateLimited as exc:
            return _rate_limited(request, exc)
        messages.success(request, _("Your message was sent."))
        return redirect("exchange:conversation", conversation.pk)
    return render(request, "exchange/answer.html", {"listing": listing, "form": form})


@login_required
@require_POST
def listing_pledge(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.pledge", request.user, listing)
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge(listing, request.user, form.cleaned_data["quantity"])
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Thank you! The author has been told."))
    else:
        messages.error(request, _("Please enter a number."))
    return redirect("exchange:detail", listing.pk)


def _promise_step(request, pk, step, done: str):
    """Carry out one step on a promise of the listing (``step(listing)``), then back to it."""
    listing = _visible_listing(request, pk)
    try:
        step(listing)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect("exchange:detail", listing.pk)


@login_required
@require_POST
def ride_pledge(request, pk, pledge_pk):
    def step(listing):
        goods = get_object_or_404(Pledge, pk=pledge_pk, listing=listing)
        goods.listing = listing
        require("exchange.pledge_ride", request.user, goods)
        services.pledge_ride(goods, request.user)

    return _promise_step(
        request, pk, step, _("Thank you! You drive it; the others have been told.")
    )


@login_required
@require_POST
def pledge_withdraw(request, pk, pledge_pk):
    def step(listing):
        promised = get_object_or_404(Pledge, pk=pledge_pk, listing=listing)
        promised.listing = listing
        require("exchange.withdraw_pledge", request.user, promised)
        services.withdraw_pledge(promised, request.user)

    return _promise_step(
        request, pk, step, _("Your promise is withdrawn; the author has been told.")
    )


@login_required
@require_POST
def ride_withdraw(request, pk, ride_pk):
    def step(listing):
        ride = get_object_or_404(
            Ride.objects.select_related("pledge"), pk=ride_pk, pledge__listing=listing
        )
        ride.pledge.listing = listing
        require("exchange.withdraw_ride", request.user, ride)
        services.withdraw_ride(ride, request.user)

    return _promise_step(request, pk, step, _("Your ride is withdrawn; the others have been told."))


@login_required
def listing_answers(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.view_answers", request.user, listing)
    conversations = (
        Conversation.objects.filter(listing=listing)
        .select_related("helper")
        .annotate(message_count=Count("messages"))
    )
    pledges = Pledge.objects.filter(listing=listing).select_related("helper")
    is_participant_author = listing.author_id == request.user.pk
    return render(
        request,
        "exchange/answers.html",
        {
            "listing": listing,
            "conversations": conversations if is_participant_author else [],
            "pledges": pledges,
        },
    )


@login_required
@require_POST
def listing_fulfil(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.close_listing", request.user, listing)
    pledge = None
    if request.POST.get("pledge"):
        pledge = get_object_or_404(
            Pledge, pk=request.POST["pledge"], listing=listing, status=PledgeStatus.ACTIVE
        )
    try:
        services.mark_fulfilled(listing, request.user, pledge=pledge)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Marked as fulfilled. Thank you!"))
    return redirect("exchange:detail", listing.pk)


@login_required
@require_POST
def listing_withdraw(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.close_listing", request.user, listing)
    try:
        services.withdraw(listing, request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Your listing was withdrawn."))
    return redirect("exchange:detail", listing.pk)


@login_required
def listing_report(request, pk):
    listing = _visible_listing(request, pk)
    require("exchange.report", request.user, listing)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(request.user, listing, form.cleaned_data["reason"])
        except RateLimited as exc:
            return _rate_limited(request, exc)
        messages.success(request, _("Thank you. A coordinator will look at it."))
        return redirect("exchange:detail", listing.pk)
    return render(request, "exchange/report.html", {"listing": listing, "form": form})


@login_required
@require_POST
def message_report(request, pk):
    message = get_object_or_404(Message.objects.select_related("conversation__listing"), pk=pk)
    conversation = message.conversation
    require("exchange.report_message", request.user, message)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.report(
                request.user, conversation.listing, form.cleaned_data["reason"], message=message
            )
        except RateLimited as exc:
            return _rate_limited(request, exc)
        messages.success(request, _("Thank you. A coordinator will look at it."))
    else:
        messages.error(request, _("Please tell us what is wrong."))
    return redirect("exchange:conversation", conversation.pk)


@login_required
def conversation(request, pk):
    conv = get_object_or_404(
        Conversation.objects.select_related("listing__municipality", "listing__author", "helper"),
        pk=pk,
    )
    require("exchange.view_conversation", request.user, conv)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(conv, request.user, form.cleaned_data["body"])
        except RateLimited as exc:
            return _rate_limited(request, exc)
        return redirect("exchange:conversation", conv.pk)
    other = conv.other_side(request.user)
    return render(
        request,
        "exchange/conversation.html",
        {
            "conversation": conv,
            "listing": conv.listing,
            "other": other,
            "i_share": conv.shares_contact(request.user),
            "other_shares": conv.shares_contact(other),
            "other_email": services.contact_of_other_side(conv, request.user),
            "thread": _with_report_forms(request, conv.messages.select_related("sender")),
            "form": form,
        },
    )


def _with_report_forms(request, conversation_messages):
    """``(message, form)``: each message of the other side comes with its own form to report
    it (the markup, rendered once for all of them), one's own with None."""
    conversation_messages = list(conversation_messages)
    others = [message for message in conversation_messages if message.sender_id != request.user.pk]
    forms = dict(
        zip(
            others,
            ReasonForm.blank_rows(
                [(f"message-{message.pk}", message.body, message.language) for message in others]
            ),
            strict=True,
        )
    )
    return [(message, forms.get(message)) for message in conversation_messages]


@login_required
@require_POST
def conversation_contact(request, pk):
    """Agree (or no longer agree) to share one's e-mail address in a conversation."""
    conv = get_object_or_404(Conversation.objects.select_related("listing"), pk=pk)
    require("exchange.view_conversation", request.user, conv)
    share = request.POST.get("share") == "1"
    services.share_contact(conv, request.user, share=share)
    if share and conv.contacts_shared:
        messages.success(request, _("You both agreed: your e-mail addresses are now shown."))
    elif share:
        messages.success(
            request, _("Thank you. Your address is shown once the other side agrees too.")
        )
    else:
        messages.success(request, _("Your e-mail address is no longer shown."))
    return redirect("exchange:conversation", conv.pk)


@login_required
def moderation_queue(request):
    require("core.moderation_queue", request.user)
    refused = request.session.pop(REFUSED_BLOCK, None)

    def queue(csrf_token):
        pending = services.waiting_listings(request.user)
        reports = services.open_reports(request.user)
        result = paginate(request, pending, per_page=20)
        # Each row comes with its own form to block the listing (ids unique per row).
        rows = _with_block_forms(
            request,
            [(listing, f"block-{listing.pk}", listing) for listing in result.object_list]
            + [
                (report, f"report-{report.pk}-{report.listing_id}", report.listing)
                for report in reports[:100]
            ],
            refused,
        )
        shown = len(result.object_list)
        # without the context processors: nothing of the viewer but their scope reaches it
        return get_template("exchange/_moderation_queue.html").render(
            {
                "result": result,
                "pending": rows[:shown],
                "reports": rows[shown:],
                "other_sections": moderation.sections(request.user),
                "csrf_token": csrf_token,
                "request": request,
            }
        )

    # The queue is what the coordinator's scope holds, the same for every coordinator of that
    # scope; a block just refused is shown in its row to the one who tried it.
    if refused:
        content = queue(get_token(request))
    else:
        scope = coordinator_scope(request.user).key
        content = same_within(request, "moderation-queue", scope, queue)
    return render(request, "exchange/moderation.html", {"queue": content})


# A refused block (listing_moderate): its row, what was typed and why it was refused.
REFUSED_BLOCK = "exchange:refused-block"


def _with_block_forms(request, rows, refused):
    """``(item, row, form)`` for each ``(item, row, listing)``: the markup of the form to block
    the listing, rendered once for all rows; a block just ``refused`` is shown again in its
    row, with its message and the text typed."""
    forms = ReasonForm.blank_rows(
        [(row, listing.title, listing.language) for _item, row, listing in rows]
    )
    result = []
    for (item, row, listing), form in zip(rows, forms, strict=True):
        if refused and refused["row"] == row:
            bound = ReasonForm(
                {"reason": refused["reason"]},
                row=row,
                about=listing.title,
                language=listing.language,
            )
            bound.is_valid()
            bound.errors.clear()  # the service's reasons, said once
            bound.add_error("reason", refused["errors"])
            form, refused = bound.as_div(), None
        result.append((item, row, form))
    if refused:  # its row is gone (moderated meanwhile) or on another page
        for text in refused["errors"]:
            messages.error(request, text)
    return result


@login_required
@require_POST
def listing_moderate(request, pk):
    listing = get_object_or_404(Listing.objects.coordinated_by(request.user), pk=pk)
    require("exchange.moderate", request.user, listing)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.approve(listing, request.user)
            messages.success(request, _("The listing is published."))
        elif action == "block":
            services.block(listing, request.user, request.POST.get("reason", ""))
            messages.success(request, _("The listing is blocked; the author was told why."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        if action == "block" and request.POST.get("row"):
            request.session[REFUSED_BLOCK] = {
                "row": request.POST["row"],
                "reason": request.POST.get("reason", ""),
                "errors": exc.messages,
            }
        else:
            _error_messages(request, exc)
    page = request.POST.get("page", "")
    return redirect(reverse("exchange:moderation") + (f"?page={page}" if page.isdigit() else ""))


@login_required
@require_POST
def report_dismiss(request, pk):
    report = get_object_or_404(Report.objects.coordinated_by(request.user).open(), pk=pk)
    services.dismiss_report(report, request.user)
    messages.success(request, _("The report is closed."))
    return redirect("exchange:moderation")


class ReminderView(SignedLinkView):
    """A one-click link of the "still needed?" mail: no login, only for that listing and that
    action."""

    links = tasks.REMINDER_LINKS
    template_name = "exchange/reminder.html"

    def get_subject(self, pk):
        return Listing.objects.filter(pk=pk).select_related("municipality__district").first()

    def is_done(self, subject, action):
        return services.reminder_done(subject, action)

    def act(self, subject, action):
        return services.reminder_action(subject, action)

    def undo(self, subject, action, state):
        services.undo_reminder_action(subject, action, state)

    def get_context_data(self, subject, action):
        return {"listing": subject, "action": action}


@login_required
def my_listings(request):
    listings = permitted(
        "exchange.my_listing", request.user, Listing.objects.for_display().order_by("-created_at")
    )
    conversations = (
        Conversation.objects.filter(helper=request.user)
        .select_related("listing")
        .order_by("-created_at")
    )
    result = paginate(request, listings, per_page=30)
    return render(
        request,
        "exchange/mine.html",
        {
            "result": result,
            "conversations": conversations,
            "in_organisation": in_any_organisation(request.user),
        },
    )


@login_required
def saved_searches(request):
    district = browsed_district(request.GET.get("district"), request.user)
    form = SavedSearchForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.user = request.user
        saved.save()
        messages.success(request, _("Your search is saved."))
        return redirect("exchange:saved_searches")
    searches = SavedSearch.objects.filter(user=request.user).select_related(
        "category", "area", "municipality"
    )
    return render(
        request,
        "exchange/saved_searches.html",
        {"form": form, "searches": searches, "district": district},
    )


@login_required
@require_POST
def saved_search_delete(request, pk):
    get_object_or_404(SavedSearch, pk=pk, user=request.user).delete()
    messages.success(request, _("The saved search was deleted."))
    return redirect("exchange:saved_searches")


def _statistics(request):
    require("exchange.statistics", request.user)
    level = request.GET.get("level", "municipality")
    field = {
        "municipality": "municipality__name",
        "area": "municipality__area__name",
        "district": "municipality__district__name",
    }.get(level, "municipality__name")
    since = timezone.now() - timedelta(days=365)
    rows = (
        Listing.objects.coordinated_by(request.user)
        .filter(created_at__gte=since)
        .values(field)
        .annotate(
            total=Count("pk"),
            needs=Count("pk", filter=Q(kind="need")),
            offers=Count("pk", filter=Q(kind="offer")),
            fulfilled=Count("pk", filter=Q(status=Status.FULFILLED)),
        )
        .order_by(field)
    )
    table = [
        {
            "name": r[field],
            "total": r["total"],
            "needs": r["needs"],
            "offers": r["offers"],
            "fulfilled": r["fulfilled"],
        }
        for r in rows
    ]
    return level, table


@login_required
def statistics(request):
    level, table = _statistics(request)
    top = max([row["total"] for row in table] or [1])
    bar_height, chart_width, label_width, total_width = 22, 400, 214, 640
    rtl = get_language_bidi()
    bars = []
    for index, row in enumerate(table):
        width = round(chart_width * row["total"] / top) if top else 0
        # Left to right: label | bar → value. Right to left the same, mirrored; the text's
        # direction is set on the SVG, so "start" is the right-hand side there.
        if rtl:
            label_x, bar_x = total_width, total_width - label_width - 6 - width
            value_x = bar_x - 6
        else:
            label_x, bar_x = 0, label_width + 6
            value_x = bar_x + width + 6
        bars.append(
            {
                **row,
                "y": index * (bar_height + 6),
                "width": width,
                "text_y": index * (bar_height + 6) + 16,
                "label_x": label_x,
                "bar_x": bar_x,
                "value_x": value_x,
            }
        )
    return render(
        request,
        "exchange/statistics.html",
        {
            "level": level,
            "table": table,
            "bars": bars,
            "direction": "rtl" if rtl else "ltr",
            "chart_height": max(len(bars) * (bar_height + 6), bar_height),
            "bar_height": bar_height,
        },
    )


@login_required
def statistics_csv(request):
    level, table = _statistics(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hilfeboerse-{level}.csv"'
    writer = csv.writer(response)
    writer.writerow([level, "total", "needs", "offers", "fulfilled"])
    for row in table:
        writer.writerow([row["name"], row["total"], row["needs"], row["offers"], row["fulfilled"]])
    return response
