from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.planning.models import (
    PerjanjianKinerja,
    PKBudgetItem,
    PKGoal,
    PKIndicator,
    Renstra,
    RenstraTarget,
)


class FrozenInline(admin.TabularInline):
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class GoalInline(FrozenInline):
    model = PKGoal


class IndicatorInline(FrozenInline):
    model = PKIndicator
    fields = ["goal", "indicator", "number", "target", "target_unit", "activity"]


class BudgetInline(FrozenInline):
    model = PKBudgetItem


@admin.register(PerjanjianKinerja)
class PerjanjianKinerjaAdmin(HistoryAdmin):
    """A signed PK is read-only here as everywhere: change it through a revision."""

    list_display = ["unit", "year", "revision", "status", "signed_on"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "signed_by", "signed_at", "revision", "revision_of"]
    inlines = [GoalInline, IndicatorInline, BudgetInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_frozen)


class RenstraTargetInline(admin.TabularInline):
    model = RenstraTarget
    extra = 0


@admin.register(Renstra)
class RenstraAdmin(HistoryAdmin):
    list_display = ["unit", "start_year", "end_year"]
    inlines = [RenstraTargetInline]
