"""Database triggers that hold the locks below the ORM: rows of a closed quarter (submitted or
further) and of a superseded PK refuse INSERT/UPDATE/DELETE, the workflow log is append-only, and a
quarter report changes status only with a recorded transition and is never moved or deleted once
it has a log. So `QuerySet.update()`, `bulk_update()`, `loaddata` and raw SQL fail as the models do.

PostgreSQL: plpgsql functions. SQLite: `RAISE(ABORT, ...)` triggers. Both stand aside only inside
`kinerja.core.locks.lock_bypass()` (SQLite: while the table `kinerja_lock_bypass` has a row;
PostgreSQL: while the transaction-local setting `kinerja.lock_bypass` is 'on'), which only the
restore of a whole database and the test suite's flush use. Every message starts with "[kunci]" so
the web layer can show it instead of an error page.
"""

from django.db import migrations

OPEN = "('draft', 'returned')"
# PostgreSQL: let a row through inside lock_bypass() (a SET LOCAL, so it ends with the transaction).
BYPASS = (
    "IF current_setting('kinerja.lock_bypass', true) = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF;"
)

MSG_RESULT = (
    "[kunci] Realisasi, nilai variabel dan data dukung triwulan yang sudah diajukan, disetujui, "
    "diverifikasi atau dikunci, atau pada PK yang sudah digantikan revisi, tidak dapat diubah."
)
MSG_LOG = "[kunci] Riwayat alur kerja laporan triwulan tidak dapat diubah atau dihapus."
MSG_REPORT = (
    "[kunci] Laporan triwulan yang sudah diajukan atau memiliki riwayat alur kerja tidak dapat "
    "dihapus, dipindahkan, atau diubah statusnya tanpa alur kerja."
)


def indicator_closed(ind: str, quarter: str) -> str:
    return (
        "(EXISTS (SELECT 1 FROM planning_pkindicator pi_ JOIN measurement_quarterreport qr_ "
        "ON qr_.agreement_id = pi_.agreement_id "
        f"WHERE pi_.id = {ind} AND qr_.quarter = {quarter} AND qr_.status NOT IN {OPEN}) "
        "OR EXISTS (SELECT 1 FROM planning_pkindicator pi_ JOIN planning_perjanjiankinerja pk_ "
        f"ON pk_.id = pi_.agreement_id WHERE pi_.id = {ind} AND pk_.status = 'superseded'))"
    )


def realization_closed(rid: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM measurement_realization r_ "
        f"WHERE r_.id = {rid} AND {indicator_closed('r_.pk_indicator_id', 'r_.quarter')})"
    )


# table -> (condition on a row, given its alias OLD/NEW)
RESULT_TABLES = {
    "measurement_realization": lambda row: indicator_closed(
        f"{row}.pk_indicator_id", f"{row}.quarter"
    ),
    "measurement_variablevalue": lambda row: realization_closed(f"{row}.realization_id"),
    "measurement_evidence": lambda row: realization_closed(f"{row}.realization_id"),
}

REPORT_MOVED = "(NEW.agreement_id <> OLD.agreement_id OR NEW.quarter <> OLD.quarter)"
# A closed report changes only by a transition just recorded from its status to the new one.
REPORT_UNLOGGED = (
    f"(OLD.status NOT IN {OPEN} AND "
    "(SELECT t_.from_status || '>' || t_.to_status FROM measurement_transition t_ "
    "WHERE t_.report_id = OLD.id ORDER BY t_.id DESC LIMIT 1) IS DISTINCT FROM "
    "(OLD.status || '>' || NEW.status))"
)
REPORT_KEPT = (
    f"(OLD.status NOT IN {OPEN} OR "
    "EXISTS (SELECT 1 FROM measurement_transition t_ WHERE t_.report_id = OLD.id))"
)


def sqlite_statements() -> list[str]:
    bypass = "NOT EXISTS (SELECT 1 FROM kinerja_lock_bypass)"
    sql = ["CREATE TABLE IF NOT EXISTS kinerja_lock_bypass (on_ integer NOT NULL)"]

    def trigger(name, when, table, condition, message):
        sql.append(
            f"CREATE TRIGGER {name} BEFORE {when} ON {table} "
            f"WHEN {bypass} AND {condition} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )

    for table, closed in RESULT_TABLES.items():
        trigger(f"{table}_lock_ins", "INSERT", table, closed("NEW"), MSG_RESULT)
        trigger(
            f"{table}_lock_upd", "UPDATE", table, f"({closed('OLD')} OR {closed('NEW')})", MSG_RESULT
        )
        trigger(f"{table}_lock_del", "DELETE", table, closed("OLD"), MSG_RESULT)
    trigger("measurement_transition_lock_upd", "UPDATE", "measurement_transition", "1", MSG_LOG)
    trigger("measurement_transition_lock_del", "DELETE", "measurement_transition", "1", MSG_LOG)
    # SQLite spells IS DISTINCT FROM as IS NOT.
    trigger(
        "measurement_quarterreport_lock_upd",
        "UPDATE",
        "measurement_quarterreport",
        f"({REPORT_MOVED} OR {REPORT_UNLOGGED.replace('IS DISTINCT FROM', 'IS NOT')})",
        MSG_REPORT,
    )
    trigger(
        "measurement_quarterreport_lock_del",
        "DELETE",
        "measurement_quarterreport",
        REPORT_KEPT,
        MSG_REPORT,
    )
    return sql


def postgresql_statements() -> list[str]:
    def raise_(message):
        return f"RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{message}';"

    sql = []
    for table, closed in RESULT_TABLES.items():
        sql.append(
            f"""CREATE OR REPLACE FUNCTION {table}_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BYPASS}
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF {closed("OLD")} THEN {raise_(MSG_RESULT)} END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  IF {closed("NEW")} THEN {raise_(MSG_RESULT)} END IF;
  RETURN NEW;
END $$"""
        )
        sql.append(
            f"CREATE TRIGGER {table}_lock BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_lock()"
        )
    sql.append(
        f"""CREATE OR REPLACE FUNCTION measurement_transition_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BYPASS}
  {raise_(MSG_LOG)}
END $$"""
    )
    sql.append(
        "CREATE TRIGGER measurement_transition_lock BEFORE UPDATE OR DELETE ON measurement_transition "
        "FOR EACH ROW EXECUTE FUNCTION measurement_transition_lock()"
    )
    # No TRUNCATE trigger: Django's flush (tests, `flush`) truncates every table at once; TRUNCATE is
    # a privilege of the database owner, not a path of the application.
    sql.append(
        f"""CREATE OR REPLACE FUNCTION measurement_quarterreport_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BYPASS}
  IF TG_OP = 'DELETE' THEN
    IF {REPORT_KEPT} THEN {raise_(MSG_REPORT)} END IF;
    RETURN OLD;
  END IF;
  IF {REPORT_MOVED} OR {REPORT_UNLOGGED} THEN {raise_(MSG_REPORT)} END IF;
  RETURN NEW;
END $$"""
    )
    sql.append(
        "CREATE TRIGGER measurement_quarterreport_lock BEFORE UPDATE OR DELETE ON measurement_quarterreport "
        "FOR EACH ROW EXECUTE FUNCTION measurement_quarterreport_lock()"
    )
    return sql


def sqlite_drop() -> list[str]:
    names = [f"{t}_lock_{op}" for t in RESULT_TABLES for op in ("ins", "upd", "del")]
    names += [
        "measurement_transition_lock_upd",
        "measurement_transition_lock_del",
        "measurement_quarterreport_lock_upd",
        "measurement_quarterreport_lock_del",
    ]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names] + [
        "DROP TABLE IF EXISTS kinerja_lock_bypass"
    ]


def postgresql_drop() -> list[str]:
    tables = [*RESULT_TABLES, "measurement_transition", "measurement_quarterreport"]
    sql = [f"DROP TRIGGER IF EXISTS {t}_lock ON {t}" for t in tables]
    sql += [f"DROP FUNCTION IF EXISTS {t}_lock()" for t in tables]
    return sql


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            return  # another database: the model checks still hold
        for statement in statements[vendor]():
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0007_protect_results_and_append_only_log"),
        ("planning", "0006_pk_indicator_formula_text"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": sqlite_statements, "postgresql": postgresql_statements}),
            run({"sqlite": sqlite_drop, "postgresql": postgresql_drop}),
        ),
    ]
