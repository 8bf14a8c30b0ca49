from django.db import migrations


def seed(apps, schema_editor):
    from kinerja.budget.rules import rules_sync

    rules_sync(apps.get_model("budget", "IkpaRule"))


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_dipa_lines_spending_scores")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
