import csv
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hilfenetz.core import files, page_cache, search
from hilfenetz.core.models import ui_language
from hilfenetz.core.pagination import paginate
from hilfenetz.core.predicates import allowed, require
from hilfenetz.core.spreadsheets import text_cell
from hilfenetz.directory.exports import current_offices_pdf
from hilfenetz.media import services
from hilfenetz.media.forms import (
    CaptionForm,
    ItemCreateForm,
    ItemEditForm,
    LanguageForm,
    SearchForm,
    StatisticsForm,
)
from hilfenetz.media.models import (
    Caption,
    MediaFile,
    MediaItem,
    PlatformDocument,
    Status,
)
from hilfenetz.regions.models import District

PER_PAGE = 20
# the always-current list of coordination offices is made in every interface language
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


# What a page of results shows: the published items with their texts, files, captions, topics
# and publishers, and the search index (written to without quotes, so not seen as read).
RESULT_TABLES = page_cache.model_tables(
    "media.MediaItem",
    "media.MediaFile",
    "media.Caption",
    "core.Topic",
    "regions.District",
    "regions.Municipality",
    "accounts.Organisation",
) | search.index_tables(MediaItem)


@require_GET
def index(request):
    form = SearchForm(request.GET or None)

    def results():
        result = paginate(
            request, services.browse(form.filters(), ui_language()), per_page=PER_PAGE
        )
        # without the context processors: nothing of the viewer reaches what is kept
        return get_template("media/includes/results.html").render(
            {"page": result.page, "items": result.object_list, "request": request}
        )

    # The count, the cards and the pages are the same for everyone who asks for this path.
    kept = page_cache.kept("media-results", request.get_full_path(), results, reads=RESULT_TABLES)
    return render(request, "media/index.html", {"form": form, "results": kept})


def _visible(request):
    return MediaItem.objects.visible_to(request.user)


def _embed_url(url: str) -> str:
    """The privacy-friendly player address of a YouTube or Vimeo video, or ''."""
    parts = urlparse(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtube.com" and parts.path == "/watch":
        video_id = parse_qs(parts.query).get("v", [""])[0]
    elif host == "youtu.be":
        video_id = parts.path.strip("/")
    elif host == "vimeo.com" and parts.path.strip("/").isdigit():
        return f"https://player.vimeo.com/video/{parts.path.strip('/')}"
    if video_id and video_id.replace("-", "").replace("_", "").isalnum():
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return ""


@require_GET
def detail(request, slug):
    item = get_object_or_404(_visible(request).for_display().prefetch_related("topics"), slug=slug)
    language = ui_language()
    chosen = request.GET.get("lang") or language
    media_file = item.file_for(chosen)
    text = item.texts(
        media_file.language if media_file and chosen not in item.languages() else chosen
    )
    embed = _embed_url(media_file.url) if media_file and media_file.url else ""
    captions = list(media_file.captions.all()) if media_file else []
    default_caption = next((c for c in captions if c.language == language), None)
    return render(
        request,
        "media/detail.html",
        {
            "item": item,
            "chosen": chosen,
            "text": text,
            "media_file": media_file,
            "captions": captions,
            "default_caption": default_caption,
            "embed": embed,
            "embed_agreed": bool(embed) and request.GET.get("extern") == "1",
            "may_edit": allowed("media.edit_item", request.user, item),
            "may_moderate": allowed("media.moderate", request.user, item),
            "generated_languages": LANGUAGE_CODES
            if item.platform_document == PlatformDocument.OFFICES
            else (),
        },
    )


def _counts(request) -> bool:
    """A download or the start of playing (not each further part of a seeking player)."""
    header = request.headers.get("Range", "")
    return request.method == "GET" and (not header or header.replace(" ", "") == "bytes=0-")


def _granted(media_file):
    """Files of a published item are anyone's; those of drafts only their editors'."""
    return files.access(True, public=media_file.item.is_published)


@require_http_methods(["GET", "HEAD"])
def file(request, pk):
    media_file = get_object_or_404(
        MediaFile.objects.filter(item__in=_visible(request)).select_related("item"), pk=pk
    )
    if _counts(request):
        services.count_download(media_file.item, media_file.language)
    if media_file.url:
        return redirect(media_file.url)
    name = ""
    if request.GET.get("download"):
        extension = media_file.file.name.rsplit(".", 1)[-1]
        name = f"{media_file.item.slug}-{media_file.language}.{extension}"
    return files.serve(
        request,
        media_file.file,
        _granted(media_file),
        content_type=media_file.content_type,
        modified=media_file.created_at,
        filename=name,
        attachment=bool(name),
    )


@require_GET
def caption(request, pk):
    track = get_object_or_404(
        Caption.objects.filter(media_file__item__in=_visible(request)).select_related(
            "media_file__item"
        ),
        pk=pk,
    )
    return files.serve(
        request,
        track.file,
        _granted(track.media_file),
        content_type="text/vtt; charset=utf-8",
        modified=track.media_file.created_at,
    )


@require_GET
def thumbnail(request, pk):
    media_file = get_object_or_404(
        MediaFile.objects.filter(item__in=_visible(request))
        .exclude(thumbnail="")
        .select_related("item"),
        pk=pk,
    )
    return files.serve(
        request,
        media_file.thumbnail,
        _granted(media_file),
        content_type="image/jpeg",
        modified=media_file.created_at,
    )


@require_GET
def offices_pdf(request, language):
    """The directory's list of coordination offices in one language, counted for the district's
    "always current" item."""
    if language not in LANGUAGE_CODES:
        raise Http404
    item = (
        MediaItem.objects.published()
        .filter(platform_document=PlatformDocument.OFFICES)
        .order_by("pk")
        .first()
    )
    if item is not None and _counts(request):
        services.count_download(item, language)
    with translation.override(language):
        pdf = current_offices_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="koordinationsstellen-{language}.pdf"'
    return response


@require_GET
def platform_document(request, district, document):
    """A stable address that always leads to a district's current document."""
    if document not in PlatformDocument.values:
        raise Http404
    district = get_object_or_404(District, slug=district)
    item = services.platform_document(district, document)
    if item is None:
        raise Http404
    return redirect("media:detail", slug=item.slug)


def _editable(request, slug):
    """An item the user may edit; items of others do not exist for them (404)."""
    item = get_object_or_404(MediaItem.objects.editable_by(request.user), slug=slug)
    require("media.edit_item", request.user, item)
    return item


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    require("media.publish_for", request.user)
    form = ItemCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_item(
                request.user,
                **form.publisher_fields(),
                **form.item_data(),
                language=data["language"],
                title=data["title"],
                description=data["description"],
                transcript=data["transcript"],
                upload=form.upload(),
                publish=data["publish"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if item.status == Status.PENDING:
                messages.success(
                    request, _("Saved. A coordinator checks the item before it appears.")
                )
            else:
                messages.success(request, _("The item was saved."))
            return redirect("media:detail", slug=item.slug)
    return render(request, "media/item_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    item = _editable(request, slug)
    form = ItemEditForm(request.POST or None, item=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(request.user, item, **form.item_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("media:detail", slug=item.slug)
    return render(request, "media/item_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def add_language(request, slug):
    item = _editable(request, slug)
    form = LanguageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_language(
                request.user,
                item,
                language=data["language"],
                title=data["title"],
                description=data["description"],
                transcript=data["transcript"],
                upload=form.upload(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The language was saved."))
            return redirect("media:detail", slug=item.slug)
    return render(request, "media/language_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def add_captions(request, slug):
    item = _editable(request, slug)
    form = CaptionForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_captions(
                request.user, data["media_file"], data["language"], data["captions"]
            )
        except ValidationError as exc:
            form.add_error("captions", exc)
        else:
            messages.success(request, _("The captions were saved."))
            return redirect("media:detail", slug=item.slug)
    return render(request, "media/caption_form.html", {"form": form, "item": item})


STATUS_ACTIONS = {
    "publish": services.publish,
    "withdraw": services.withdraw,
    "approve": services.approve,
    "review": services.mark_reviewed,
}


@login_required
@require_POST
def change_status(request, slug):
    item = _editable(request, slug)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect("media:detail", slug=item.slug)
    try:
        item = action(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": item.get_status_display()})
    return redirect("media:detail", slug=item.slug)


@login_required
@require_POST
def delete_file(request, pk):
    media_file = get_object_or_404(
        MediaFile.objects.filter(item__in=MediaItem.objects.editable_by(request.user)), pk=pk
    )
    slug = media_file.item.slug
    services.delete_file(request.user, media_file)
    messages.success(request, _("The file was removed."))
    return redirect("media:detail", slug=slug)


@login_required
@require_GET
def manage(request):
    require("media.manage", request.user)
    items = (
        MediaItem.objects.editable_by(request.user)
        .select_related("district", "municipality", "organisation")
        .order_by("-updated_at")
    )
    result = paginate(request, items, per_page=PER_PAGE)
    items = list(result.object_list)
    pending, review_due = services.needing_attention(request.user)
    return render(
        request,
        "media/manage.html",
        {"page": result.page, "items": items, "pending": pending, "review_due": review_due},
    )


def _statistics(request):
    require("media.statistics", request.user)
    form = StatisticsForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else 30
    since = timezone.localdate() - timedelta(days=days)
    languages, rows = services.download_statistics(request.user, since)
    return form, languages, rows


@login_required
@require_GET
def statistics(request):
    form, languages, rows = _statistics(request)
    top = max([r["total"] for r in rows] or [1])
    for row in rows:
        row["percent"] = round(100 * row["total"] / top)
        row["title"] = str(row["item"])
    return render(
        request,
        "media/statistics.html",
        {"form": form, "languages": languages, "rows": rows},
    )


@login_required
@require_GET
def statistics_csv(request):
    _form, languages, rows = _statistics(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="medien-downloads.csv"'
    writer = csv.writer(response)
    writer.writerow(["item", "title", "total", *languages])
    for row in rows:
        writer.writerow(
            [row["item"].slug, text_cell(str(row["item"])), row["total"], *row["languages"]]
        )
    return response


@require_GET
def easy_language(request):
    items = services.browse(services.Filters(easy_language=True), "de")[:12]
    return render(request, "media/easy_language.html", {"items": items})


@require_GET
def sign_language(request):
    items = services.browse(services.Filters(sign_language=True), "de")[:12]
    return render(request, "media/sign_language.html", {"items": items})
