from django.contrib import admin

from hilfenetz.core.admin_base import RuleAdmin, still_to_translate
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.forms import translation_field_names, translation_form
from hilfenetz.core.predicates import allowed
from hilfenetz.core.roles import coordinates_object_district
from hilfenetz.exchange import services
from hilfenetz.exchange.models import Category, Listing, ListingEvent, Report
from hilfenetz.regions.models import District


@admin.register(Category, site=admin_site)
class CategoryAdmin(RuleAdmin):
    """A district coordinator sees and edits the categories of their districts only (rows by
    ``coordinated_by``, objects by the rules) and adds categories only to them."""

    rule_prefix = "exchange.category"
    list_display = ["name", "slug", "district", "position", "is_active", still_to_translate]
    list_editable = ["position", "is_active"]
    list_filter = ["district"]
    list_select_related = ["district"]
    form = translation_form(Category)
    fields = [
        "district",
        "name",
        *translation_field_names(Category),
        "slug",
        "position",
        "is_active",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Listings point to a category of their district: it never moves to another one.
        return ["district"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            # the districts whose categories the user edits (``exchange.category.*``)
            kwargs["queryset"] = District.objects.filter(
                coordinates_object_district.q(request.user, District)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ListingEventInline(admin.TabularInline):
    model = ListingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Listing, site=admin_site)
class ListingAdmin(RuleAdmin):
    rule_prefix = "exchange.listing"
    list_display = ["title", "kind", "category", "municipality", "status", "created_at"]
    list_filter = ["status", "kind", ("category", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["category", "municipality"]
    search_fields = ["title"]
    # Status and the reason for a block change through moderation (services.block), only.
    readonly_fields = [
        "author",
        "organisation",
        "consent",
        "status",
        "blocked_reason",
        "remaining",
        "published_at",
    ]
    fields = [
        "title",
        "description",
        "language",
        "kind",
        "category",
        "municipality",
        "quantity",
        "unit",
        "remaining",
        "transport_needed",
        "valid_until",
        "status",
        "blocked_reason",
        "author",
        "organisation",
        "consent",
        "published_at",
    ]
    inlines = [ListingEventInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "category" in form.base_fields:
            # The categories of the listing's district (Listing.clean refuses any other).
            form.base_fields["category"].queryset = Category.objects.for_district(
                obj.municipality.district_id
            )
        return form

    def has_add_permission(self, request):
        # Listings are posted on the site, through the service, by their author.
        return False

    def has_change_permission(self, request, obj=None):
        # Closed listings stay as they were closed; open ones change by the service's rules.
        return super().has_change_permission(request, obj) and (
            obj is None or allowed("exchange.edit_listing", request.user, obj)
        )

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_listing(obj, request.user, **changed)


@admin.register(Report, site=admin_site)
class ReportAdmin(RuleAdmin):
    rule_prefix = "exchange.report"
    list_display = ["listing", "created_at", "resolved_at"]
    list_select_related = ["listing"]
    readonly_fields = ["listing", "message", "reporter", "reason", "created_at"]
