"""PostgreSQL's numeric type holds 'NaN', which no form, import or service writes (they refuse it),
but raw SQL could; every figure read back would then fail to compare. A CHECK on every decimal
column of Kinerja's tables refuses it, so that no stored value is one the calculations cannot use.
SQLite keeps no NaN in a numeric column (it stores NULL), so nothing is needed there.

A new decimal column needs the same check: tests/test_hardening_bounds.py lists any column without
it on PostgreSQL. This migration carries its own list-making and imports no app code."""

from django.db import migrations, models

APPS = ("budget", "documents", "indicators", "measurement", "organizations", "planning", "review")


def _columns(apps):
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.DecimalField):
                yield model._meta.db_table, field.column


def _name(table, column):
    return f"{table}_{column}_not_nan"[:63]


def add_checks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in _columns(apps):
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(_name(table, column))} "
            f"CHECK ({quote(column)} <> 'NaN'::numeric)"
        )


def drop_checks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in _columns(apps):
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} DROP CONSTRAINT IF EXISTS {quote(_name(table, column))}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0007_history_within_bounds"),
        ("documents", "0004_history_for_every_editable_record"),
        ("indicators", "0003_history_for_every_editable_record"),
        ("measurement", "0012_history_within_bounds"),
        ("organizations", "0007_history_within_bounds"),
        ("planning", "0009_history_within_bounds"),
        ("review", "0001_initial_acceptance_and_run"),
    ]

    operations = [migrations.RunPython(add_checks, drop_checks)]
