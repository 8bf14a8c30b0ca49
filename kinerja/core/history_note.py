"""Who made a change and why, for the history rows django-simple-history writes on save.

In a web request the middleware supplies the user; a service that is told who acts (`by`) or why
(a reason the user typed) passes both on, so that commands, jobs and tests record them too.
"""

from __future__ import annotations


def history_note(instance, *, by=None, reason: str = ""):
    """Mark the next save of `instance` with its author and reason; returns the instance."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    if reason:
        # The historical table keeps at most 100 characters of the reason.
        instance._change_reason = reason.strip()[:100]
    return instance
