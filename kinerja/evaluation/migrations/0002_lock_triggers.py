"""A submitted self-assessment and a finished evaluation refuse writes in the database too, as a
quarter does (see measurement 0008): `update()`, `bulk_update()`, `loaddata` and raw SQL fail like
`save()`. Self answers (value, explanation, links) and their files are closed once submitted; every
answer, the evaluation itself and its recommendations once finished."""

from django.db import migrations

SELF = "[kunci] Penilaian mandiri LKE sudah diajukan; jawaban dan data dukung UPT tidak dapat diubah."
FINAL = "[kunci] Evaluasi AKIP sudah selesai; jawaban, nilai dan rekomendasinya tidak dapat diubah."

BYPASS = (
    "IF current_setting('kinerja.lock_bypass', true) = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF;"
)


def status(row: str, through: str = "evaluation_id") -> str:
    return f"(SELECT status FROM evaluation_evaluation WHERE id = {row}.{through})"


def answer_status(row: str) -> str:
    return (
        "(SELECT e_.status FROM evaluation_evaluation e_ JOIN evaluation_answer a_ "
        f"ON a_.evaluation_id = e_.id WHERE a_.id = {row}.answer_id)"
    )


SELF_COLUMNS = ("self_value", "self_note", "self_links")


def sqlite_statements():
    bypass = "NOT EXISTS (SELECT 1 FROM kinerja_lock_bypass)"
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in SELF_COLUMNS)
    rules = [
        # (table, name, when, condition, message)
        ("evaluation_answer", "final", "UPDATE", f"{status('OLD')} = 'final'", FINAL),
        ("evaluation_answer", "self", "UPDATE", f"{status('OLD')} = 'submitted' AND ({changed})", SELF),
        ("evaluation_answer", "ins", "INSERT", f"{status('NEW')} <> 'draft'", SELF),
        ("evaluation_answer", "del", "DELETE", f"{status('OLD')} <> 'draft'", SELF),
        ("evaluation_answerfile", "ins", "INSERT", f"{answer_status('NEW')} <> 'draft'", SELF),
        ("evaluation_answerfile", "upd", "UPDATE", f"{answer_status('OLD')} <> 'draft'", SELF),
        ("evaluation_answerfile", "del", "DELETE", f"{answer_status('OLD')} <> 'draft'", SELF),
        ("evaluation_recommendation", "ins", "INSERT", f"{status('NEW')} = 'final'", FINAL),
        ("evaluation_recommendation", "upd", "UPDATE", f"{status('OLD')} = 'final'", FINAL),
        ("evaluation_recommendation", "del", "DELETE", f"{status('OLD')} <> 'draft'", FINAL),
        ("evaluation_evaluation", "upd", "UPDATE", "OLD.status = 'final'", FINAL),
        ("evaluation_evaluation", "del", "DELETE", "OLD.status <> 'draft'", FINAL),
    ]
    return [
        f"CREATE TRIGGER {table}_lock_{name} BEFORE {when} ON {table} WHEN {bypass} AND {cond} "
        f"BEGIN SELECT RAISE(ABORT, '{msg}'); END"
        for table, name, when, cond, msg in rules
    ]


def _pg_function(table: str, body: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BYPASS}
{body}
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        f"CREATE TRIGGER {table}_lock BEFORE INSERT OR UPDATE OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_lock()",
    ]


def _raise(msg: str) -> str:
    return f"RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{msg}';"


def postgresql_statements():
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in SELF_COLUMNS)
    answer = f"""
  IF TG_OP = 'UPDATE' THEN
    IF {status('OLD')} = 'final' THEN {_raise(FINAL)} END IF;
    IF {status('OLD')} = 'submitted' AND ({changed}) THEN {_raise(SELF)} END IF;
  ELSIF TG_OP = 'INSERT' THEN
    IF {status('NEW')} <> 'draft' THEN {_raise(SELF)} END IF;
  ELSIF {status('OLD')} <> 'draft' THEN {_raise(SELF)}
  END IF;"""
    files = f"""
  IF TG_OP = 'INSERT' THEN
    IF {answer_status('NEW')} <> 'draft' THEN {_raise(SELF)} END IF;
  ELSIF {answer_status('OLD')} <> 'draft' THEN {_raise(SELF)}
  END IF;"""
    recommendation = f"""
  IF TG_OP = 'INSERT' THEN
    IF {status('NEW')} = 'final' THEN {_raise(FINAL)} END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    IF {status('OLD')} = 'final' THEN {_raise(FINAL)} END IF;
  ELSIF {status('OLD')} <> 'draft' THEN {_raise(FINAL)}
  END IF;"""
    evaluation = f"""
  IF TG_OP = 'UPDATE' THEN
    IF OLD.status = 'final' THEN {_raise(FINAL)} END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN {_raise(FINAL)} END IF;
  END IF;"""
    return (
        _pg_function("evaluation_answer", answer)
        + _pg_function("evaluation_answerfile", files)
        + _pg_function("evaluation_recommendation", recommendation)
        + _pg_function("evaluation_evaluation", evaluation)
    )


TABLES = ("evaluation_answer", "evaluation_answerfile", "evaluation_recommendation", "evaluation_evaluation")


def sqlite_drop():
    return [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "evaluation_answer_lock_final",
            "evaluation_answer_lock_self",
            "evaluation_answer_lock_ins",
            "evaluation_answer_lock_del",
            "evaluation_answerfile_lock_ins",
            "evaluation_answerfile_lock_upd",
            "evaluation_answerfile_lock_del",
            "evaluation_recommendation_lock_ins",
            "evaluation_recommendation_lock_upd",
            "evaluation_recommendation_lock_del",
            "evaluation_evaluation_lock_upd",
            "evaluation_evaluation_lock_del",
        )
    ]


def postgresql_drop():
    out = []
    for table in TABLES:
        out += [f"DROP TRIGGER IF EXISTS {table}_lock ON {table}", f"DROP FUNCTION IF EXISTS {table}_lock()"]
    return out


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor in statements:
            for statement in statements[vendor]():
                schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_lke"),
        ("measurement", "0008_lock_triggers"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": sqlite_statements, "postgresql": postgresql_statements}),
            run({"sqlite": sqlite_drop, "postgresql": postgresql_drop}),
        ),
    ]
