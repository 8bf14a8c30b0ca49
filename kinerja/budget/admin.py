from django.contrib import admin

from kinerja.budget.models import (
    BudgetScore,
    DipaLine,
    EmonevMonth,
    IkpaRule,
    PaguRevision,
    SpendingMonth,
    TarjaItem,
    YearSpending,
)
from kinerja.core.history_admin import HistoryAdmin


class SpendingMonthInline(admin.TabularInline):
    model = SpendingMonth
    extra = 0


class PaguRevisionInline(admin.TabularInline):
    model = PaguRevision
    extra = 0
    can_delete = False
    readonly_fields = ["revised_on", "old_pagu", "new_pagu", "reason", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False  # a revision is made with `pagu_revise`, which keeps old and new pagu


@admin.register(DipaLine)
class DipaLineAdmin(HistoryAdmin):
    list_display = ["__str__", "unit", "year", "level", "spending_type", "pagu", "blocked"]
    list_filter = ["year", "level", "spending_type", "unit"]
    search_fields = ["code", "name"]
    filter_horizontal = ["funds"]
    raw_id_fields = ["parent"]
    inlines = [SpendingMonthInline, PaguRevisionInline]

    def get_readonly_fields(self, request, obj=None):
        # Once a line exists, its pagu changes only through a recorded revision.
        return ["pagu"] if obj is not None and obj.pagu is not None else []


@admin.register(IkpaRule)
class IkpaRuleAdmin(HistoryAdmin):
    list_display = [
        "regulation",
        "valid_from",
        "kind",
        "component",
        "spending_type",
        "quarter",
        "value",
    ]
    list_filter = ["valid_from", "kind"]


for model in (BudgetScore, YearSpending, EmonevMonth, TarjaItem):
    admin.site.register(model, HistoryAdmin)
