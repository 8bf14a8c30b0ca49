"""AnnualReport, TeamMember, PrintedSignature and their history now belong to `reporting`
(`reporting 0001`). State only for the models: the tables stay as they are, with their rows. The
narrative sections point at the same table under its new model. The content types move to the
new app label, so permissions granted on these models, admin log entries and anything else that
names them by content type still find them."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = [
    "annualreport",
    "teammember",
    "printedsignature",
    "historicalannualreport",
    "historicalteammember",
    "historicalprintedsignature",
]


def content_types_follow(apps, schema_editor, source="documents", target="reporting"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already there (created by a post_migrate signal)
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, source="reporting", target="documents")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0004_history_for_every_editable_record"),
        ("reporting", "0001_moved_from_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="reportsection",
                    name="report",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sections",
                        to="reporting.annualreport",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalreportsection",
                    name="report",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reporting.annualreport",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalTeamMember"),
                migrations.DeleteModel(name="TeamMember"),
                migrations.DeleteModel(name="HistoricalAnnualReport"),
                migrations.DeleteModel(name="HistoricalPrintedSignature"),
                migrations.DeleteModel(name="PrintedSignature"),
                migrations.DeleteModel(name="AnnualReport"),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
