"""Several people saving at once: no error, no lost update, on SQLite (a file) and PostgreSQL.

Issue 13, point 4: two people saving at once on the embedded SQLite database got HTTP 500 "database
is locked"; 32 at once, most of them failed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections

from kinerja.core.management.commands.start import gunicorn_command
from kinerja.indicators.models import Level
from kinerja.measurement.models import QuarterReport, Realization, VariableValue
from kinerja.measurement.services import realization_save
from kinerja.planning import services as planning

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 32


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_concurrency", ROOT / "scripts" / "bench_concurrency.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_file_database_or_rerun(request, tmp_path) -> bool:
    """True when this process may run the threads itself; else the test has been run again in a
    child pytest whose SQLite test database is a file (see tests/settings_file_sqlite.py)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return True
    env = {
        **os.environ,
        "KINERJA_TEST_SQLITE_FILE": str(tmp_path / "test-concurrency.sqlite3"),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{__file__}::{request.node.name}",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ds",
            "tests.settings_file_sqlite",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout, done.stdout[-2000:]
    return False


@pytest.fixture
def signed_rows(world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    rows = list(
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator", "agreement__unit")
        .prefetch_related("indicator__variables")
        .order_by("id")
    )
    return agreement, rows


def run_writers(plan, user):
    """Every writer waits at a barrier, then saves through the service on its own connection."""
    barrier = threading.Barrier(len(plan))
    errors: list[str] = []

    def writer(i, row, value):
        try:
            barrier.wait()
            realization_save(
                pk_indicator=row,
                quarter=1,
                values={v.symbol: value for v in row.indicator.variables.all()},
                narrative=f"penulis {i}",
                by=user,
            )
        except Exception as exc:
            errors.append(f"{row.indicator.code} writer {i}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i, *job)) for i, job in enumerate(plan)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def assert_kept_as_sent(plan):
    """Per indicator: one realisation, the history holding every value sent (none lost), and the
    current values and narrative being the last ones recorded."""
    sent: dict[int, list[Decimal]] = {}
    for row, value in plan:
        sent.setdefault(row.id, []).append(value)
    for row_id, values in sent.items():
        realization = Realization.objects.get(pk_indicator_id=row_id, quarter=1)
        symbols = set(realization.values.values_list("symbol", flat=True))
        assert symbols, row_id
        for symbol in symbols:
            history = list(
                VariableValue.history.filter(realization_id=realization.id, symbol=symbol)
                .order_by("history_id")
                .values_list("value", flat=True)
            )
            assert sorted(history) == sorted(values)
            assert realization.values.get(symbol=symbol).value == history[-1]
        saves = Realization.history.filter(id=realization.id, history_type="~")
        assert saves.count() == len(values)
        assert realization.narrative == saves.latest("history_id").narrative


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_indicator", [False, True], ids=["different", "same"])
def test_32_writers_through_the_service_lose_nothing(request, tmp_path, same_indicator):
    if not on_file_database_or_rerun(request, tmp_path):
        return
    world = request.getfixturevalue("world")
    agreement, rows = request.getfixturevalue("signed_rows")
    # Nobody has opened TW I yet: the writers also race to create its quarter report.
    assert not QuarterReport.objects.filter(agreement=agreement, quarter=1).exists()
    plan = [
        (rows[0] if same_indicator else rows[i % len(rows)], Decimal(100 + i))
        for i in range(WRITERS)
    ]

    errors = run_writers(plan, world.users["operator_luwuk"])

    assert errors == []
    assert QuarterReport.objects.filter(agreement=agreement, quarter=1).count() == 1
    assert_kept_as_sent(plan)


@pytest.mark.django_db(transaction=True)
def test_32_savers_over_http_through_gunicorn_lose_nothing(tmp_path):
    """The real server as `kinerja start` runs it, against a file SQLite database, and against
    PostgreSQL when the suite runs there."""
    bench = _bench()
    database_url = None
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_http"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        s = connection.settings_dict
        database_url = (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{name}"
        )
    try:
        for same in (False, True):
            result = bench.run(
                writers=WRITERS,
                rounds=1,
                server="gunicorn",
                same_indicator=same,
                database_url=database_url,
                workdir=tmp_path,
            )
            assert result["errors"] == 0, json.dumps(result, indent=1)
            assert result["lost_updates"] == [], json.dumps(result, indent=1)
            assert result["static_status"] == 200
            if database_url:  # the next run loads the demo again into an empty database
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                    cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        if database_url:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_embedded_database_waits_for_the_writer_instead_of_failing(tmp_path):
    """WAL journal and immediate transactions on a fresh SQLite file, as `kinerja start` opens it."""
    code = (
        "from django.db import connection; c = connection.cursor();"
        "c.execute('PRAGMA journal_mode'); j = c.fetchone()[0];"
        "c.execute('PRAGMA synchronous'); s = c.fetchone()[0];"
        "print(j, s, connection.transaction_mode)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINERJA_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="kinerja.settings",
    )
    done = subprocess.run(
        [sys.executable, "-m", "kinerja.cli", "shell", "--no-imports", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["wal", "1", "IMMEDIATE"], done.stdout + done.stderr


def test_kinerja_start_serves_through_gunicorn_with_threads():
    command = gunicorn_command("127.0.0.1:8000", workers=2, threads=4)
    assert command[1:4] == ["-m", "gunicorn", "kinerja.wsgi"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8000"
    assert command[command.index("--threads") + 1] == "4"


def test_kinerja_start_serves_pages_and_static_files_and_stops_with_its_children(tmp_path):
    bench = _bench()
    port = bench.free_port()
    env = bench.environment(f"sqlite:///{tmp_path / 'kinerja.sqlite3'}", tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "kinerja.cli", "start", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                status = bench.request(port, "GET", "/masuk/", timeout=5)[0]
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        assert status == 200
        assert bench.request(port, "GET", "/static/kinerja/app.css")[0] == 200
        children = subprocess.run(
            ["pgrep", "-g", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) >= 3  # kinerja start, gunicorn (master and worker), db_worker
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        time.sleep(1)
        left = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True)
        assert left.stdout.split() == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
