from django import forms
from django.contrib import admin

from kinerja import calc
from kinerja.core.history_admin import HistoryAdmin
from kinerja.indicators.models import Goal, Indicator, Variable


class VariableInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        variables = {
            f.cleaned_data["symbol"]: f.cleaned_data.get("description", "")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        }
        formula = self.instance.formula
        problems = calc.formula_problems(formula, variables)
        if problems:
            raise forms.ValidationError([p.message for p in problems])


class VariableInline(admin.TabularInline):
    model = Variable
    formset = VariableInlineFormSet
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "unit",
        "direction",
        "aggregation",
        "formula",
        "active",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["level", "unit", "direction", "aggregation", "active", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    inlines = [VariableInline]


@admin.register(Goal)
class GoalAdmin(HistoryAdmin):
    list_display = ["code", "name", "level", "order"]
    list_filter = ["level"]
