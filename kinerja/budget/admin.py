from django import forms
from django.contrib import admin

from kinerja.budget.models import (
    BudgetScore,
    DipaLine,
    EmonevMonth,
    IkpaRule,
    MonthClosed,
    PaguRevision,
    SpendingMonth,
    TarjaItem,
    YearSpending,
    closed_month_report,
    refuse_closed_month,
)
from kinerja.core.history_admin import HistoryAdmin


class SpendingMonthFormSet(forms.BaseInlineFormSet):
    """Months of a closed quarter refuse changes and deletion here with a message (the model and
    the database refuse them on every other path)."""

    def clean(self):
        super().clean()
        problems = []
        for form in self.forms:
            deleting = self.can_delete and self._should_delete_form(form)
            if not (form.has_changed() or deleting) or not hasattr(form, "cleaned_data"):
                continue
            try:
                if form.instance.pk:  # where the row is now
                    refuse_closed_month(self.instance.pk, form.initial.get("month"))
                if not deleting:  # where it would go
                    refuse_closed_month(self.instance.pk, form.cleaned_data.get("month"))
            except MonthClosed as exc:
                problems.append(str(exc))
        if problems:
            raise forms.ValidationError(problems)


class SpendingMonthInline(admin.TabularInline):
    model = SpendingMonth
    formset = SpendingMonthFormSet
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

    def has_delete_permission(self, request, obj=None):
        # Deleting a line deletes its months: not while one of them lies in a closed quarter.
        if obj is not None:
            lines, todo = [], [obj]
            while todo:
                line = todo.pop()
                lines.append(line)
                todo += list(line.children.all())
            months = SpendingMonth.objects.filter(line__in=lines).values_list("month", flat=True)
            if any(closed_month_report(obj.unit_id, obj.year, m) for m in set(months)):
                return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletes by queryset, past the per-line rule
        return actions


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
