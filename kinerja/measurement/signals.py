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


@dataclass(frozen=True)
class Notice:
    """A message for the person whose action triggered a receiver: level is a name of
    django.contrib.messages' levels ("info", "warning", "error")."""

    level: str
    text: str
