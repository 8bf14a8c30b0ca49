"""A published version is frozen in the database too: an UPDATE may only record its replacement
(once), and no row is deleted; `update()`, `bulk_update()` and raw SQL fail like `save()`."""

from django.db import migrations

MSG = "[kunci] Publikasi tidak dapat diubah atau dihapus; koreksi dipublikasikan sebagai versi baru."
FROZEN = (
    "unit_id",
    "year",
    "kind",
    "quarter",
    "version",
    "file",
    "filename",
    "size",
    "sha256",
    "figures",
    "note",
    "published_by_id",
    "published_at",
)
BYPASS = (
    "IF current_setting('kinerja.lock_bypass', true) = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF;"
)


def sqlite_statements():
    bypass = "NOT EXISTS (SELECT 1 FROM kinerja_lock_bypass)"
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    return [
        "CREATE TRIGGER publication_publication_lock_upd BEFORE UPDATE ON publication_publication "
        f"WHEN {bypass} AND (OLD.replaced_at IS NOT NULL OR {changed}) "
        f"BEGIN SELECT RAISE(ABORT, '{MSG}'); END",
        "CREATE TRIGGER publication_publication_lock_del BEFORE DELETE ON publication_publication "
        f"WHEN {bypass} BEGIN SELECT RAISE(ABORT, '{MSG}'); END",
    ]


def postgresql_statements():
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
    raise_ = f"RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{MSG}';"
    return [
        f"""CREATE OR REPLACE FUNCTION publication_publication_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BYPASS}
  IF TG_OP = 'DELETE' THEN {raise_} END IF;
  IF OLD.replaced_at IS NOT NULL OR {changed} THEN {raise_} END IF;
  RETURN NEW;
END $$""",
        "CREATE TRIGGER publication_publication_lock BEFORE UPDATE OR DELETE "
        "ON publication_publication FOR EACH ROW EXECUTE FUNCTION publication_publication_lock()",
    ]


def sqlite_drop():
    return [
        "DROP TRIGGER IF EXISTS publication_publication_lock_upd",
        "DROP TRIGGER IF EXISTS publication_publication_lock_del",
    ]


def postgresql_drop():
    return [
        "DROP TRIGGER IF EXISTS publication_publication_lock ON publication_publication",
        "DROP FUNCTION IF EXISTS publication_publication_lock()",
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
        ("publication", "0001_publications"),
        ("measurement", "0008_lock_triggers"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": sqlite_statements, "postgresql": postgresql_statements}),
            run({"sqlite": sqlite_drop, "postgresql": postgresql_drop}),
        ),
    ]
