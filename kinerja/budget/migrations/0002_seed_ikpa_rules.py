"""The weights and targets of budget performance as they stood when this migration was written
(budget/data/rules.json of that day). The migration carries its own copy, so that what it writes
never changes with that file; later changes are edited in the admin or synced by a command."""

from decimal import Decimal

from django.db import migrations

IKPA_WEIGHTS_2022 = {
    "revisi_dipa": 10,
    "deviasi": 15,
    "penyerapan": 20,
    "belanja_kontraktual": 10,
    "penyelesaian_tagihan": 10,
    "up_tup": 10,
    "capaian_output": 25,
}

RULE_SETS = [
    {
        "regulation": "Capaian Kinerja Anggaran Kemenkumham: 60% nilai kinerja SMART DJA + 40% "
        "nilai IKPA (LKjIP 2023, Bab III.C)",
        "valid_from": 2021,
        "weights": {"smart": 60, "ikpa": 40},
    },
    {
        "regulation": "PER-5/PB/2024 Petunjuk Teknis Penilaian IKPA Belanja K/L (bobot indikator)",
        "valid_from": 2024,
        "weights": IKPA_WEIGHTS_2022,
    },
    {
        "regulation": "PER-5/PB/2022 Petunjuk Teknis Penilaian IKPA Belanja K/L (bobot indikator)",
        "valid_from": 2022,
        "weights": IKPA_WEIGHTS_2022,
    },
    {
        "regulation": "PER-5/PB/2022 target penyerapan anggaran kumulatif per triwulan dan jenis "
        "belanja (periksa terhadap lampiran peraturan yang berlaku)",
        "valid_from": 2022,
        "targets": {
            "51": {1: 20, 2: 50, 3: 75, 4: 95},
            "52": {1: 15, 2: 50, 3: 70, 4: 90},
            "53": {1: 10, 2: 40, 3: 70, 4: 90},
        },
    },
]


def seed(apps, schema_editor):
    rule = apps.get_model("budget", "IkpaRule")
    for rule_set in RULE_SETS:
        common = {"valid_from": rule_set["valid_from"]}
        defaults = {"regulation": rule_set["regulation"]}
        for component, weight in rule_set.get("weights", {}).items():
            rule.objects.update_or_create(
                kind="weight",
                component=component,
                spending_type="",
                quarter=None,
                **common,
                defaults={**defaults, "value": Decimal(weight)},
            )
        for spending_type, quarters in rule_set.get("targets", {}).items():
            for quarter, target in quarters.items():
                rule.objects.update_or_create(
                    kind="target",
                    component="",
                    spending_type=spending_type,
                    quarter=quarter,
                    **common,
                    defaults={**defaults, "value": Decimal(target)},
                )


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_dipa_lines_spending_scores")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
