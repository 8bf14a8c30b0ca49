"""Monthly spending of a month whose quarter is submitted or further (months 1-3 belong to TW I,
and so on) refuses INSERT/UPDATE/DELETE in the database too, as realisations do (see
measurement 0008): `update()`, `bulk_update()`, `loaddata` and raw SQL fail like `save()`. The
quarter report of the PK in force counts, a superseded version's does not."""

from django.db import migrations

MSG = (
    "[kunci] Rencana dan realisasi anggaran bulan pada triwulan yang sudah diajukan, disetujui, "
    "diverifikasi atau dikunci tidak dapat diubah."
)


# As in measurement 0008: stand aside inside kinerja.core.locks.lock_bypass().
BYPASS = (
    "IF current_setting('kinerja.lock_bypass', true) = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF;"
)


def month_closed(row: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM budget_dipaline l_ JOIN planning_perjanjiankinerja pk_ "
        "ON pk_.unit_id = l_.unit_id AND pk_.year = l_.year "
        "JOIN measurement_quarterreport qr_ ON qr_.agreement_id = pk_.id "
        f"WHERE l_.id = {row}.line_id AND pk_.status <> 'superseded' "
        f"AND qr_.quarter = ({row}.month + 2) / 3 AND qr_.status NOT IN ('draft', 'returned'))"
    )


def sqlite_statements():
    bypass = "NOT EXISTS (SELECT 1 FROM kinerja_lock_bypass)"
    table = "budget_spendingmonth"
    return [
        f"CREATE TRIGGER {table}_lock_{op} BEFORE {when} ON {table} WHEN {bypass} AND {cond} "
        f"BEGIN SELECT RAISE(ABORT, '{MSG}'); END"
        for op, when, cond in (
            ("ins", "INSERT", month_closed("NEW")),
            ("upd", "UPDATE", f"({month_closed('OLD')} OR {month_closed('NEW')})"),
            ("del", "DELETE", month_closed("OLD")),
        )
    ]


def postgresql_statements():
    raise_ = f"RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{MSG}';"
    return [
        f"""CREATE OR REPLACE FUNCTION budget_spendingmonth_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BYPASS}
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF {month_closed("OLD")} THEN {raise_} END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  IF {month_closed("NEW")} THEN {raise_} END IF;
  RETURN NEW;
END $$""",
        "CREATE TRIGGER budget_spendingmonth_lock BEFORE INSERT OR UPDATE OR DELETE "
        "ON budget_spendingmonth FOR EACH ROW EXECUTE FUNCTION budget_spendingmonth_lock()",
    ]


def sqlite_drop():
    return [f"DROP TRIGGER IF EXISTS budget_spendingmonth_lock_{op}" for op in ("ins", "upd", "del")]


def postgresql_drop():
    return [
        "DROP TRIGGER IF EXISTS budget_spendingmonth_lock ON budget_spendingmonth",
        "DROP FUNCTION IF EXISTS budget_spendingmonth_lock()",
    ]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor in statements:
            for statement in statements[vendor]():
                schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0002_seed_ikpa_rules"),
        ("measurement", "0008_lock_triggers"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": sqlite_statements, "postgresql": postgresql_statements}),
            run({"sqlite": sqlite_drop, "postgresql": postgresql_drop}),
        ),
    ]
