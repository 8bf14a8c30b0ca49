from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.measurement.models import (
    EntryWindow,
    MonitoringNote,
    QuarterReport,
    Realization,
    Transition,
    VariableValue,
)


class ValueInline(admin.TabularInline):
    model = VariableValue
    extra = 0


def _editable(realization: Realization | None) -> bool:
    if realization is None:
        return True
    report = QuarterReport.objects.filter(
        agreement_id=realization.pk_indicator.agreement_id, quarter=realization.quarter
    ).first()
    return report is None or report.editable


@admin.register(Realization)
class RealizationAdmin(HistoryAdmin):
    """A closed quarter is read-only here; the models refuse such writes on every other path too."""

    list_display = ["pk_indicator", "quarter", "updated_by", "updated_at"]
    inlines = [ValueInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(obj)

    has_delete_permission = has_change_permission


@admin.register(VariableValue)
class VariableValueAdmin(HistoryAdmin):
    list_display = ["realization", "symbol", "value"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(
            obj.realization if obj else None
        )

    has_delete_permission = has_change_permission


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason"]


@admin.register(QuarterReport)
class QuarterReportAdmin(HistoryAdmin):
    list_display = ["agreement", "quarter", "status"]
    readonly_fields = ["status", "return_reason"]
    inlines = [TransitionInline]


@admin.register(EntryWindow)
class EntryWindowAdmin(HistoryAdmin):
    list_display = ["region", "year", "quarter", "opens", "closes"]


admin.site.register(MonitoringNote, HistoryAdmin)
