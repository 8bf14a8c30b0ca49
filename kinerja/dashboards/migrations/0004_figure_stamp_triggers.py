"""Database triggers that raise a PK IKK row's `FigureStamp` whenever one of its realisations or
variable values is inserted, updated or deleted, by any path (the services, bulk writes, the
admin, raw SQL, a restore), and drop a row's stamp and stored figures with the row. A stored figure
whose version is behind its stamp is not read (`dashboards.figures_store`): a value saved anywhere
shows in the next roll-up, stored again or not.

PostgreSQL: statement-level triggers with transition tables (one upsert per statement, so a bulk
insert of 600 000 values costs one join, not 600 000 trigger calls). SQLite: row-level triggers.
"""

from django.db import migrations

STAMP = "dashboards_figurestamp"
UPSERT = f"ON CONFLICT (pk_indicator_id) DO UPDATE SET version = {STAMP}.version + 1"

# table -> SQL giving the PK IKK row ids a set of its rows touches, from an alias of those rows
AFFECTED = {
    "measurement_realization": lambda rows: f"SELECT DISTINCT pk_indicator_id FROM {rows}",
    "measurement_variablevalue": lambda rows: (
        "SELECT DISTINCT r_.pk_indicator_id FROM measurement_realization r_ "
        f"JOIN {rows} ON r_.id = {rows}.realization_id"
    ),
}


def postgresql_statements() -> list[str]:
    sql = []
    for table, affected in AFFECTED.items():
        for event, tables, sources in (
            ("INSERT", "NEW TABLE AS new_rows", ["new_rows"]),
            ("DELETE", "OLD TABLE AS old_rows", ["old_rows"]),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", ["old_rows", "new_rows"]),
        ):
            name = f"{table}_figures_{event.lower()}"
            ids = " UNION ".join(affected(source) for source in sources)
            sql.append(
                f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {STAMP} (pk_indicator_id, version)
  SELECT ids_.pk_indicator_id, 1 FROM ({ids}) ids_ WHERE ids_.pk_indicator_id IS NOT NULL
  {UPSERT};
  RETURN NULL;
END $$"""
            )
            sql.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
    sql.append(
        """CREATE OR REPLACE FUNCTION planning_pkindicator_figures_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dashboards_figurestamp WHERE pk_indicator_id = OLD.id;
  DELETE FROM dashboards_storedfigure WHERE pk_indicator_id = OLD.id;
  RETURN NULL;
END $$"""
    )
    sql.append(
        "CREATE TRIGGER planning_pkindicator_figures_delete AFTER DELETE ON planning_pkindicator "
        "FOR EACH ROW EXECUTE FUNCTION planning_pkindicator_figures_delete()"
    )
    return sql


def sqlite_statements() -> list[str]:
    sql = []
    for table in AFFECTED:
        if table == "measurement_realization":
            row_ids = {
                "NEW": "SELECT NEW.pk_indicator_id AS id_",
                "OLD": "SELECT OLD.pk_indicator_id AS id_",
            }
        else:
            row_ids = {
                alias: "SELECT pk_indicator_id AS id_ FROM measurement_realization "
                f"WHERE id = {alias}.realization_id"
                for alias in ("NEW", "OLD")
            }
        for event, aliases in (
            ("INSERT", ["NEW"]),
            ("DELETE", ["OLD"]),
            ("UPDATE", ["OLD", "NEW"]),
        ):
            # "WHERE true" keeps SQLite from reading ON CONFLICT as part of a join.
            body = " ".join(
                f"INSERT INTO {STAMP} (pk_indicator_id, version) "
                f"SELECT id_, 1 FROM ({row_ids[alias]}) WHERE id_ IS NOT NULL {UPSERT};"
                for alias in aliases
            )
            sql.append(
                f"CREATE TRIGGER {table}_figures_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {body} END"
            )
    sql.append(
        "CREATE TRIGGER planning_pkindicator_figures_delete AFTER DELETE ON planning_pkindicator "
        "BEGIN DELETE FROM dashboards_figurestamp WHERE pk_indicator_id = OLD.id; "
        "DELETE FROM dashboards_storedfigure WHERE pk_indicator_id = OLD.id; END"
    )
    return sql


def names() -> list[tuple[str, str]]:
    found = [
        (f"{table}_figures_{event}", table)
        for table in AFFECTED
        for event in ("insert", "delete", "update")
    ]
    return [*found, ("planning_pkindicator_figures_delete", "planning_pkindicator")]


def postgresql_drop() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in names()]
    return sql + [f"DROP FUNCTION IF EXISTS {name}()" for name, _ in names()]


def sqlite_drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _ in names()]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            return  # another database: stored figures are then never read as current
        for statement in statements[vendor]():
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_stored_figures"),
        ("measurement", "0012_history_within_bounds"),
        ("planning", "0009_history_within_bounds"),
    ]

    operations = [
        migrations.RunPython(
            run({"postgresql": postgresql_statements, "sqlite": sqlite_statements}),
            run({"postgresql": postgresql_drop, "sqlite": sqlite_drop}),
        )
    ]
