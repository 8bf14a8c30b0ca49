"""What measurement announces to the apps above it, which it does not import (issue 14: no app
imports one above it). A receiver connects in its own AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

# Sent after the transaction that submitted a quarter has committed (never inside it, so a
# receiver that fails cannot undo the submission). Keyword arguments: `report` (the
# QuarterReport), `agreement`, `quarter`, `label` ("TW I 2024") and `by`. A receiver may return
# a `Notice` for the person who submitted, or None.
quarter_submitted = Signal()

# Sent after the transaction of every quarter transition (submit, approve, verify, lock, return,
# reopen) has committed, through send_robust: a receiver that fails is logged and the transition
# stands. Keyword arguments: `report` (the QuarterReport, agreement and unit loaded), `transition`
# (the Transition row), `from_status`, `to_status`, `by` (the User) and `reason` ("" unless
# returned or reopened). Replies are ignored.
quarter_transitioned = Signal()


@dataclass(frozen=True)
class Notice:
    """A message for the person whose action triggered a receiver: level is a name of
    django.contrib.messages' levels ("info", "warning", "error")."""

    level: str
    text: str
