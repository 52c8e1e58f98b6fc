from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry, Entity, MemberState, Mission


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "iso3", "iso2", "m49", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_fr", "iso3", "iso2", "formal_name"]


class MissionInline(admin.StackedInline):
    model = Mission
    fk_name = "entity"
    extra = 0
    filter_horizontal = ["host_states"]
    autocomplete_fields = ["regional_asg", "division"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["code", "acronym", "name", "kind", "parent", "uncertain"]
    list_filter = ["kind", "uncertain"]
    search_fields = ["code", "acronym", "name", "name_fr"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
    inlines = [MissionInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail can be read, never edited."""

    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_id", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


admin.site.site_header = _("A4P+ Monitor administration")
admin.site.site_title = _("A4P+ Monitor")
