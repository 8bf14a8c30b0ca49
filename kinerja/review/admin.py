from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.review.models import Acceptance, ReviewRun


@admin.register(Acceptance)
class AcceptanceAdmin(HistoryAdmin):
    """Read-only: acceptances are given and withdrawn by the head on the review page."""

    list_display = ["unit", "year", "rule", "key", "by", "at", "withdrawn"]
    list_filter = ["year", "rule", "withdrawn"]
    readonly_fields = [f.name for f in Acceptance._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRun)
class ReviewRunAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "at", "trigger", "errors", "warnings", "notes", "accepted"]
    list_filter = ["year"]
    readonly_fields = [f.name for f in ReviewRun._meta.fields]
