"""The NaN check of core 0001 on the evaluation's decimal columns (weights, the score, and their
history): PostgreSQL's numeric holds 'NaN', which no service writes but raw SQL could. Carries its
own list-making and imports no app code."""

from django.db import migrations, models

APPS = ("evaluation",)


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
    dependencies = [("evaluation", "0003_seed_framework"), ("core", "0001_numbers_are_never_nan")]

    operations = [migrations.RunPython(add_checks, drop_checks)]
