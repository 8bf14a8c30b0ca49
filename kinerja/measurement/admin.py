from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.measurement.models import (
    EDITABLE,
    EntryWindow,
    MonitoringNote,
    QuarterReport,
    Realization,
    Transition,
    VariableValue,
    quarter_closed,
)


class ValueInline(admin.TabularInline):
    model = VariableValue
    extra = 0


def _editable(realization: Realization | None) -> bool:
    # Closed quarter or superseded PK: read-only (the models and the database refuse it anyway).
    return realization is None or not quarter_closed(
        realization.pk_indicator_id, realization.quarter
    )


@admin.register(Realization)
class RealizationAdmin(HistoryAdmin):
    """A closed quarter is read-only here; the models refuse such writes on every other path too."""

    list_display = ["pk_indicator", "quarter", "updated_by", "updated_at"]
    inlines = [ValueInline]

    def get_readonly_fields(self, request, obj=None):
        # A row stays where it is: moving it would change two periods at once.
        return ["pk_indicator", "quarter", "month"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(obj)

    has_delete_permission = has_change_permission

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletes by queryset, past the per-row rule
        return actions


@admin.register(VariableValue)
class VariableValueAdmin(HistoryAdmin):
    list_display = ["realization", "symbol", "value"]

    def get_readonly_fields(self, request, obj=None):
        return ["realization"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(
            obj.realization if obj else None
        )

    has_delete_permission = has_change_permission

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class TransitionInline(admin.TabularInline):
    """The workflow log, read-only: it is only appended to by the workflow itself."""

    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuarterReport)
class QuarterReportAdmin(HistoryAdmin):
    """Status moves only through the workflow; a report is never moved to another PK or quarter,
    and one with a log (or not a draft) is never deleted."""

    list_display = ["agreement", "quarter", "status"]
    inlines = [TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "return_reason"]
        return ["agreement", "quarter", "status", "return_reason"]

    def has_change_permission(self, request, obj=None):
        # A closed report is read-only: nothing on it may change outside the workflow.
        if obj is not None and obj.status not in EDITABLE:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.status not in EDITABLE or obj.transitions.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk "delete selected" action deletes through the queryset, past the per-row rules.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(EntryWindow)
class EntryWindowAdmin(HistoryAdmin):
    list_display = ["region", "year", "quarter", "opens", "closes"]


admin.site.register(MonitoringNote, HistoryAdmin)
