"""The notifications' answer to what measurement announces (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from typing import Any

from kinerja.notifications.services import transition_notify


def notify_after_transition(
    sender: Any,
    *,
    report: Any,
    transition: Any,
    from_status: str,
    to_status: str,
    by: Any,
    reason: str = "",
    **kwargs: Any,
) -> None:
    """After a quarter transition has committed: notify who acts next. Runs through send_robust,
    so a failure here is logged by measurement and the transition stands."""
    transition_notify(
        report=report,
        transition_id=transition.pk,
        from_status=from_status,
        to_status=to_status,
        by=by,
        reason=reason,
    )
