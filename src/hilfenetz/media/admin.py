from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.admin_base import RuleAdmin, still_to_translate
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.forms import translation_field_names, translation_form
from hilfenetz.media import services
from hilfenetz.media.models import MediaFile, MediaItem, MediaPolicy
from hilfenetz.regions.models import District


class FileInline(admin.TabularInline):
    """Files are uploaded through the media centre's pages, where they are checked."""

    model = MediaFile
    extra = 0
    fields = ["language", "stored_file", "url", "content_type", "size", "pages", "duration"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("file"))
    def stored_file(self, obj):
        # Through the view that checks access: no address serves the upload folder.
        if not obj.file:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("media:file", args=[obj.pk]), obj.file.name
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MediaItem, site=admin_site)
class MediaItemAdmin(RuleAdmin):
    rule_prefix = "media.mediaitem"
    list_display = ["__str__", "kind", "status", "district", "review_by", still_to_translate]
    list_filter = ["kind", "status", "easy_language", "sign_language", "district"]
    search_fields = ["slug", "search_text"]
    form = translation_form(MediaItem)
    fields = [
        "slug",
        "district",
        "municipality",
        "organisation",
        "kind",
        "status",
        "easy_language",
        "sign_language",
        "platform_document",
        "topics",
        "licence",
        "published_on",
        "review_by",
        "created_by",
        *translation_field_names(MediaItem),
    ]
    readonly_fields = ["slug", "district", "municipality", "organisation", "status", "created_by"]
    filter_horizontal = ["topics"]
    inlines = [FileInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reindex(form.instance)


@admin.register(MediaPolicy, site=admin_site)
class MediaPolicyAdmin(RuleAdmin):
    rule_prefix = "media.mediapolicy"
    list_display = ["district", "moderate_organisation_items"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is District:
            kwargs["queryset"] = District.objects.coordinated_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
