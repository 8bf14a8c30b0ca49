"""The header's unread count, on every page (settings TEMPLATES context_processors)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from kinerja.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    # A callable: the template calls it only where it renders the header (one query there),
    # never for a fragment or a page that does not show it.
    return {"unread_notifications": functools.partial(unread_count, request.user)}
