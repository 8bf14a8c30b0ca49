"""The national administrator edits the LKE framework here: a framework (regulation, years, answer
scales, grade bands), its components with their sub-components, and the criteria. A framework that
a submitted or finished evaluation is scored by refuses changes (make a new version for a new
regulation). Evaluations are read here; they are written on their page."""

from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.evaluation.models import (
    Component,
    Criterion,
    Evaluation,
    Framework,
    Recommendation,
    SubComponent,
)


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ["number", "name", "weight"]


@admin.register(Framework)
class FrameworkAdmin(HistoryAdmin):
    list_display = ["name", "code", "year_from", "year_to"]
    inlines = [ComponentInline]


class SubComponentInline(admin.TabularInline):
    model = SubComponent
    extra = 0
    fields = ["number", "aspect", "name", "weight"]


@admin.register(Component)
class ComponentAdmin(HistoryAdmin):
    list_display = ["__str__", "framework", "weight"]
    list_filter = ["framework"]
    inlines = [SubComponentInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fk_name = "sub"
    fields = ["number", "text", "scale", "weight", "prefill", "depends_on"]


@admin.register(SubComponent)
class SubComponentAdmin(HistoryAdmin):
    list_display = ["__str__", "aspect", "weight"]
    list_filter = ["component__framework", "aspect"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(HistoryAdmin):
    list_display = ["__str__", "scale", "weight", "prefill"]
    list_filter = ["sub__component__framework", "scale"]
    search_fields = ["text"]
    raw_id_fields = ["depends_on"]


@admin.register(Evaluation)
class EvaluationAdmin(HistoryAdmin):
    """Read-only: written on the LKE page by the facility and its evaluator."""

    list_display = ["unit", "year", "status", "score", "grade", "finished_at"]
    list_filter = ["year", "status", "grade"]
    readonly_fields = [f.name for f in Evaluation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ["evaluation", "deadline", "text"]
    readonly_fields = [f.name for f in Recommendation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
