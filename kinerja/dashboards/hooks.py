"""Storing a PK's figures again once a transaction that changed its results, its IKK rows or the
PK itself has committed (the services' writes all run in a transaction). Only a time saving: the
triggers of migration 0004 already keep a changed row's stored figure from being read, and the
roll-up computes it from the results until it is stored again. Writes outside a transaction (a
shell, a bulk script) are left to `kinerja rollup --store`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)


@dataclass
class _Pending:
    agreements: set[int] = field(default_factory=set)
    rows: set[int] = field(default_factory=set)
    realizations: set[int] = field(default_factory=set)

    def flush(self) -> None:
        from kinerja.dashboards.rollup import store_figures
        from kinerja.measurement.models import Realization
        from kinerja.planning.models import PKIndicator

        agreements = set(self.agreements)
        if self.realizations:
            self.rows |= set(
                Realization.objects.filter(id__in=self.realizations).values_list(
                    "pk_indicator_id", flat=True
                )
            )
        if self.rows:
            agreements |= set(
                PKIndicator.objects.filter(id__in=self.rows).values_list("agreement_id", flat=True)
            )
        if agreements:
            store_figures(agreements)


def _pending() -> _Pending | None:
    """The pending set of the current transaction, registered once per transaction; None outside
    one. A set whose transaction (or savepoint) rolled back has left Django's on-commit list and is
    replaced."""
    if not connection.in_atomic_block:
        return None
    current: _Pending | None = getattr(connection, "_kinerja_figures", None)
    if current is not None and any(
        getattr(entry[1], "__self__", None) is current for entry in connection.run_on_commit
    ):
        return current
    current = _Pending()
    connection._kinerja_figures = current  # type: ignore[attr-defined]
    transaction.on_commit(current.flush, robust=True)
    return current


def _changed(sender, instance, **kwargs) -> None:
    pending = _pending()
    if pending is None:
        return
    name = sender._meta.label_lower
    if name == "measurement.variablevalue":
        pending.realizations.add(instance.realization_id)
    elif name == "measurement.realization":
        pending.rows.add(instance.pk_indicator_id)
    elif name == "planning.pkindicator":
        pending.agreements.add(instance.agreement_id)
    elif name == "planning.perjanjiankinerja":
        pending.agreements.add(instance.pk)


WATCHED = (
    "measurement.VariableValue",
    "measurement.Realization",
    "planning.PKIndicator",
    "planning.PerjanjianKinerja",
)


def _restored(sender, using: str = "default", **kwargs) -> str:
    """After a restore (stored figures are not in backups): store every PK's figures again, so
    that the dashboards read them instead of computing every row."""
    from kinerja.dashboards.rollup import store_figures

    stored = store_figures()
    return f"Angka dasbor disimpan ulang: {stored} angka."


def connect() -> None:
    from django.apps import apps

    from kinerja.core.backup import restored

    restored.connect(_restored, dispatch_uid="figures:restored")

    for label in WATCHED:
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"figures:{signal}:{label}")
