"""django-simple-history's HistoricalRecords named in Indonesian.

The library names a history model "historical <name>" and its own columns "history date",
"history user" and so on; Kinerja's admin and every label are Indonesian, so every model records its
history through this subclass: "riwayat <name>", "tanggal riwayat", "diubah oleh".
"""

from __future__ import annotations

from django.db import models
from django.utils.text import format_lazy
from simple_history import models as simple_history

# The columns the library adds to every history model (and to the history of a many-to-many).
HISTORY_LABELS = {
    "history_id": "ID riwayat",
    "history_date": "tanggal riwayat",
    "history_change_reason": "alasan perubahan",
    "history_type": "jenis perubahan",
    "history_user": "diubah oleh",
    "history": "riwayat",
    "m2m_history_id": "ID riwayat",
}


def _model_name(field: models.Field) -> str | None:
    """The verbose name of the model a relation points to, when it is loaded (no app registry)."""
    target = getattr(field.remote_field, "model", None)
    meta = getattr(target, "_meta", None)
    return str(meta.verbose_name) if meta is not None else None


def _name(fields: dict) -> None:
    for name, label in HISTORY_LABELS.items():
        field = fields.get(name)
        if isinstance(field, models.Field):
            field.verbose_name = label


class HistoricalRecords(simple_history.HistoricalRecords):
    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy("riwayat {}", model._meta.verbose_name)
        if not self.user_set_verbose_name_plural:
            options["verbose_name_plural"] = format_lazy(
                "riwayat {}", model._meta.verbose_name_plural
            )
        return options

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        _name(extra)
        return extra

    def _get_history_user_fields(self):
        extra = super()._get_history_user_fields()
        _name(extra)
        return extra

    def get_extra_fields_m2m(self, model, through_model, fields):
        extra = super().get_extra_fields_m2m(model, through_model, fields)
        _name(extra)
        return extra

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        # An automatic through model is named after its field ("DipaLine_funds"): name it by the
        # two models it joins.
        ends = [_model_name(f) for f in through_model._meta.fields if f.is_relation]
        label = " - ".join(end for end in ends if end) or through_model._meta.verbose_name
        options["verbose_name"] = format_lazy("riwayat {}", label)
        options["verbose_name_plural"] = format_lazy("riwayat {}", label)
        return options

    def create_history_m2m_model(self, model, through_model):
        history = super().create_history_m2m_model(model, through_model)
        original = getattr(model, "instance_type", model)  # `model` is the history model
        # The columns copied from an automatic through model carry the model's lowercased class
        # name ("dipaline"): name them after the model they point to.
        for field in history._meta.fields:
            name = _model_name(field) if field.is_relation else None
            if field.is_relation and field.name == original._meta.model_name:
                name = str(original._meta.verbose_name)  # the model itself, not loaded yet
            if name and field.verbose_name == field.name.replace("_", " "):
                field.verbose_name = name
        return history
