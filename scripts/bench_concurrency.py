"""Concurrent saves over HTTP: how many fail, how many are lost, how fast (docs/architecture.md).

    python scripts/bench_concurrency.py [--writers 32] [--rounds 3] [--server gunicorn|runserver]
                                        [--same-indicator] [--database-url URL] [--json]

Loads the demo into a temporary SQLite file (or the PostgreSQL database `--database-url` names,
which must exist and be disposable), serves it on loopback (gunicorn as `kinerja start` does, or
Django's development server for comparison), logs in the two Atambua users who may enter results,
and fires `--writers` saves of Atambua's TW I 2023 at once, `--rounds` times. Each writer sends its
own value, so afterwards the database must hold, per indicator, exactly the values sent as its
history and the last of them as its value: anything else is a lost update. Bounded: at most 256
writers and 20 rounds, each request times out after 60 s.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG, YEAR, QUARTER = "lapas-atambua", 2023, 1
USERS = ("operator.atambua", "kepala.atambua")
PASSWORD = "kinerja-demo-2024"


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.update(
        DATABASE_URL=database_url,
        KINERJA_VAR_DIR=str(var_dir),
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        DJANGO_SETTINGS_MODULE="kinerja.settings",
    )
    return env


def kinerja(env, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kinerja.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"kinerja {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# Run inside Django (through `kinerja shell -c`): the rows to write, then what the database holds.
TARGETS = f"""
import json
from kinerja.planning.models import PerjanjianKinerja
from kinerja.indicators.models import Level
agreement = PerjanjianKinerja.objects.get(unit__slug={SLUG!r}, year={YEAR}, status="signed")
rows = agreement.indicators.filter(indicator__level=Level.IKK).select_related("indicator")
print("JSON" + json.dumps([
    {{"id": r.id, "code": r.indicator.code,
      "symbols": sorted(v.symbol for v in r.indicator.variables.all())}}
    for r in rows.order_by("id")
]))
"""

STATE = f"""
import json
from kinerja.measurement.models import Realization, VariableValue
out = {{}}
for realization in Realization.objects.filter(
    pk_indicator__agreement__unit__slug={SLUG!r}, pk_indicator__agreement__year={YEAR},
    quarter={QUARTER}, month__isnull=True,
):
    values = {{v.symbol: format(v.value.normalize(), "f") for v in realization.values.all()}}
    history = [
        [h.symbol, format(h.value.normalize(), "f"), h.history_type]
        for h in VariableValue.history.filter(realization_id=realization.id).order_by("history_id")
    ]
    realization_history = Realization.history.filter(id=realization.id).count()
    out[realization.pk_indicator_id] = {{
        "values": values, "history": history, "realization_history": realization_history,
    }}
print("JSON" + json.dumps(out))
"""


def django_json(env, code: str):
    out = kinerja(env, "shell", "--no-imports", "-c", code)
    return json.loads(out.split("JSON", 1)[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env, server: str, port: int, workers: int = 2, threads: int = 4):
    if server == "gunicorn":
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "kinerja.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
        ]
    else:
        cmd = [sys.executable, "-m", "kinerja.cli", "runserver", "--noreload", f"127.0.0.1:{port}"]
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("server did not start:\n" + log.read().decode()) from None
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def request(port, method, path, body=None, headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def log_in(port, username: str) -> dict[str, str]:
    status, headers, body = request(port, "GET", "/masuk/")
    jar = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, headers, body = request(
        port,
        "POST",
        "/masuk/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Referer": f"http://127.0.0.1:{port}/masuk/",
        },
    )
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"log in as {username} failed: HTTP {status}")
    return jar


def fire(port, sessions, plan, timeout=60):
    """All writers start together (a barrier) and each POSTs one save; returns per writer
    (status or error, seconds)."""
    barrier = threading.Barrier(len(plan))
    results = [None] * len(plan)

    def writer(i, row, value):
        jar = sessions[i % len(sessions)]
        fields = {f"v_{s}": value for s in row["symbols"]}
        fields["narrative"] = f"penulis {i}"
        body = urllib.parse.urlencode(fields)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "X-CSRFToken": jar["csrftoken"],
            "HX-Request": "true",
            "Referer": f"http://127.0.0.1:{port}/",
        }
        path = f"/unit/{SLUG}/realisasi/{YEAR}/tw/{QUARTER}/indikator/{row['id']}/"
        barrier.wait()
        started = time.monotonic()
        try:
            status, _, content = request(port, "POST", path, body, headers, timeout)
            if status == 200 and b'class="ok">Tersimpan.' in content:
                outcome = 200
            elif status == 200:  # the form came back with a message instead of saving
                message = re.search(rb'class="error"[^>]*>([^<]+)', content)
                outcome = "refused: " + (message.group(1).decode() if message else "not saved")
            else:
                outcome = f"HTTP {status}"
            results[i] = (outcome, time.monotonic() - started)
        except Exception as exc:  # a refused or dropped connection is an error like a 500
            results[i] = (f"{type(exc).__name__}: {exc}", time.monotonic() - started)

    threads = [
        threading.Thread(target=writer, args=(i, row, value)) for i, (row, value) in enumerate(plan)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def lost_updates(sent: dict[int, list[str]], state: dict) -> list[str]:
    """Per indicator: the history must hold exactly the values sent (each writer's save kept), and
    the current value must be the last one recorded."""
    problems = []
    for row_id, values in sent.items():
        held = state.get(str(row_id))
        if held is None:
            problems.append(f"row {row_id}: nothing stored")
            continue
        for symbol in {h[0] for h in held["history"]}:
            history = [h[1] for h in held["history"] if h[0] == symbol]
            if sorted(history) != sorted(values):
                problems.append(f"row {row_id} {symbol}: history {history} != sent {values}")
            elif held["values"].get(symbol) != history[-1]:
                problems.append(
                    f"row {row_id} {symbol}: value {held['values'].get(symbol)} != last {history[-1]}"
                )
    return problems


def run(
    *,
    writers: int = 32,
    rounds: int = 1,
    server: str = "gunicorn",
    same_indicator: bool = False,
    database_url: str | None = None,
    workdir: Path | None = None,
) -> dict:
    writers, rounds = min(writers, 256), min(rounds, 20)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        var = Path(tmp)
        env = environment(database_url or f"sqlite:///{var / 'bench.sqlite3'}", var)
        kinerja(env, "demo")
        rows = django_json(env, TARGETS)
        port = free_port()
        errors, durations, elapsed = [], [], 0.0
        sent: dict[int, list[str]] = {}
        with serve(env, server, port):
            # Static files come from the application itself (WhiteNoise), in debug from the apps.
            static_status = request(port, "GET", "/static/kinerja/app.css")[0]
            sessions = [log_in(port, user) for user in USERS]
            counter = 0
            for _ in range(rounds):
                plan = []
                for i in range(writers):
                    counter += 1
                    row = rows[0] if same_indicator else rows[i % len(rows)]
                    plan.append((row, str(counter)))
                started = time.monotonic()
                results = fire(port, sessions, plan)
                elapsed += time.monotonic() - started
                for (row, value), (outcome, seconds) in zip(plan, results, strict=True):
                    durations.append(seconds)
                    if outcome == 200:
                        sent.setdefault(row["id"], []).append(value)
                    else:
                        errors.append(f"{row['code']}: {outcome}")
        state = django_json(env, STATE)
    total = writers * rounds
    return {
        "server": server,
        "database": "postgresql" if database_url and "postgres" in database_url else "sqlite",
        "writers": writers,
        "rounds": rounds,
        "same_indicator": same_indicator,
        "requests": total,
        "errors": len(errors),
        "error_samples": errors[:5],
        "static_status": static_status,
        "lost_updates": lost_updates(sent, state),
        "throughput_per_s": round(total / elapsed, 1) if elapsed else None,
        "median_ms": round(statistics.median(durations) * 1000),
        "max_ms": round(max(durations) * 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--writers", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--same-indicator", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(
        writers=args.writers,
        rounds=args.rounds,
        server=args.server,
        same_indicator=args.same_indicator,
        database_url=args.database_url,
    )
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{result['server']} on {result['database']}: {result['requests']} saves by "
        f"{result['writers']} concurrent writers ({'one indicator' if args.same_indicator else 'different indicators'}), "
        f"{result['errors']} errors, {len(result['lost_updates'])} lost updates, "
        f"{result['throughput_per_s']} saves/s, median {result['median_ms']} ms, max {result['max_ms']} ms"
    )
    for line in result["error_samples"] + result["lost_updates"][:5]:
        print("  ", line)


if __name__ == "__main__":
    main()
