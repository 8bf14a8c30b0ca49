"""The framework of PermenPAN-RB 88/2021 from `evaluation/data/lke-permenpanrb-88-2021.json`."""

from django.db import migrations


def seed(apps, schema_editor):
    from kinerja.evaluation import framework

    models = {
        name: apps.get_model("evaluation", name)
        for name in ("Framework", "Component", "SubComponent", "Criterion")
    }
    framework.write(framework.read(), models)


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "Framework").objects.filter(code="permenpanrb-88-2021").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_lock_triggers")]

    operations = [migrations.RunPython(seed, unseed)]
