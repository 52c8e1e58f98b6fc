"""The plan is kept in its file and loaded with `a4p plan load`; the admin only shows it."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from plans.models import Assignment, Deliverable, DeliverableEntity, Plan


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PartInline(admin.TabularInline):
    model = DeliverableEntity
    extra = 0
    fields = ["entity", "role", "scope", "level"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "period_start", "period_end", "loaded_at"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["code", "plan", "lead_text"]
    list_filter = ["plan", "result__priority__number", "markers__code"]
    search_fields = ["code", "text", "lead_text"]
    inlines = [PartInline]
    fields = ["plan", "result", "code", "text", "lead_text", "footnotes", "markers"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Work plans are edited on the work-plan pages, which write the audit trail."""

    list_display = ["deliverable", "entity", "role", "via", "active"]
    list_filter = ["role", "active", "entity__kind"]
    search_fields = ["deliverable__code", "entity__code", "entity__acronym"]
    list_select_related = ["deliverable", "entity", "via"]
