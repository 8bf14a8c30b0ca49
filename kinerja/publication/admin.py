from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.publication.models import Publication


@admin.register(Publication)
class PublicationAdmin(HistoryAdmin):
    """Read-only: the head publishes on the facility's Publikasi page; a version never changes."""

    list_display = ["unit", "year", "kind", "quarter", "version", "published_at", "replaced_at"]
    list_filter = ["year", "kind"]
    readonly_fields = [f.name for f in Publication._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
