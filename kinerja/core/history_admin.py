"""The admin's history pages, read-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows a record's history in the admin. A past version can be looked at, never saved back:
    simple_history's version page saves on POST even with SIMPLE_HISTORY_REVERT_DISABLED (which
    only hides the button), and for a user who may only view. A change goes through the change
    form, with its checks and its own history row."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Riwayat hanya dapat dilihat.")
        return super().history_form_view(request, object_id, version_id, extra_context)
