from django.contrib import admin

from kinerja.core.history_admin import HistoryAdmin
from kinerja.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(HistoryAdmin):
    list_display = [
        "created_at",
        "user",
        "kind",
        "unit",
        "year",
        "quarter",
        "read_at",
        "emailed_at",
    ]
    list_filter = ["kind"]
    search_fields = ["text", "user__username", "key"]
    readonly_fields = [f.name for f in Notification._meta.fields]
