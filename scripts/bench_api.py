"""Throughput of the REST API (docs/performance.md, "The API"): requests per second for reading a
facility's results (`GET /api/v1/units/lapas-atambua/results/2023`) and for saving one IKK
(`PUT /api/v1/units/lapas-atambua/results/2023/4/IKK-2.3`, the entry service with its PK lock and
history), with 1 and 8 clients, each as a ratio to the bare endpoint (`GET /api/v1/me`: the token
checked, nothing read) measured in the same run, alternating.

Against a PostgreSQL database of its own (the demo is loaded into it if it is not there):

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/kinerja_api_bench \\
        PYTHONPATH=$PWD .venv/bin/python scripts/bench_api.py --seconds 4 --rounds 3

The application runs under gunicorn as `kinerja start` serves it (2 processes × 4 threads,
persistent database connections, debug off); the clients are threads of this process, each with
its own keep-alive connection and the operator's own token. The 8 writers all save the same
facility's quarter: they queue on the PK's lock, by design (every writer of a PK takes it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time

BARE = ("GET", "/api/v1/me", None)
READ = ("GET", "/api/v1/units/lapas-atambua/results/2023", None)
WRITE_PATH = "/api/v1/units/lapas-atambua/results/2023/4/IKK-2.3"


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def load(port: int, key: str, request: tuple, clients: int, seconds: float) -> tuple[float, int]:
    """Requests per second answered 200 by `clients` threads for `seconds`; and the failures."""
    counts = [0] * clients
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        n = 0
        while time.monotonic() < stop:
            method, path, _ = request
            body = None
            if method == "PUT":
                a = (n + i) % 12  # a part never above its whole: A ≤ B = 12
                body = json.dumps({"values": {"A": a, "B": 12}, "narrative": f"bench {i}"})
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[i] += 1
            else:
                failures[i] += 1
            n += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started), sum(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8093)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL=postgres://… (a database of its own) is required.")
    env = {
        **os.environ,
        "KINERJA_DEBUG": "0",
        "KINERJA_SECRET_KEY": "bench-" + "x" * 50,
        "KINERJA_ALLOWED_HOSTS": "127.0.0.1",
        "KINERJA_DB_CONN_MAX_AGE": "60",
        "KINERJA_API_RATE": "1000000/m",  # the limit is not what is measured
    }
    python = sys.executable
    run([python, "-m", "kinerja.cli", "demo"], env)
    key = (
        run(
            [
                python,
                "-m",
                "kinerja.cli",
                "token",
                "create",
                "--user",
                "operator.atambua",
                "--name",
                "bench",
            ],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "kinerja.wsgi:application",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        requests = {"bare": BARE, "read": READ, "write": ("PUT", WRITE_PATH, None)}
        for request in requests.values():  # warm both processes
            load(args.port, key, request, 4, 1)
        results: dict[tuple[str, int], list[float]] = {}
        failed: dict[tuple[str, int], int] = {}
        for _ in range(args.rounds):
            for clients in (1, 8):
                for name, request in requests.items():
                    rps, failures = load(args.port, key, request, clients, args.seconds)
                    results.setdefault((name, clients), []).append(rps)
                    failed[(name, clients)] = failed.get((name, clients), 0) + failures
        print(f"{args.rounds} rounds of {args.seconds} s each, medians (requests/s answered 200):")
        for clients in (1, 8):
            bare = statistics.median(results[("bare", clients)])
            for name in requests:
                rps = statistics.median(results[(name, clients)])
                runs = ", ".join(f"{r:.0f}" for r in results[(name, clients)])
                print(
                    f"  {clients} client{'s' if clients > 1 else ''}  {name:5}  {rps:7.1f}/s"
                    f"  ({runs})  ratio to bare {rps / bare:.2f}  failures {failed[(name, clients)]}"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
