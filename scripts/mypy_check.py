"""Run mypy and hold each file to its committed error count (mypy-baseline.json).

Fails when a file has more errors than its baseline, or a file not in the baseline has any (the
modules listed as strict in pyproject.toml are not in the baseline: any error there fails). When a
file has fewer errors than its baseline it passes and says so: lower the baseline with --update, so
the count only goes down.

    python scripts/mypy_check.py            # check
    python scripts/mypy_check.py --update   # rewrite mypy-baseline.json from the current counts
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.json"
ERROR_LINE = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: ")


def run_mypy() -> tuple[Counter[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"mypy failed to run (exit {proc.returncode})")
    counts: Counter[str] = Counter()
    for line in proc.stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            counts[match["path"]] += 1
    return counts, proc.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline")
    args = parser.parse_args(argv)

    counts, output = run_mypy()
    total = sum(counts.values())
    if args.update:
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=2) + "\n")
        print(f"mypy baseline written: {total} errors in {len(counts)} files ({BASELINE.name})")
        return 0

    baseline: dict[str, int] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    worse, better = [], []
    for path in sorted(set(counts) | set(baseline)):
        now, allowed = counts.get(path, 0), baseline.get(path, 0)
        if now > allowed:
            worse.append(path)
            print(f"{path}: {now} mypy errors, baseline {allowed}")
        elif now < allowed:
            better.append(f"{path}: {now} (baseline {allowed})")
    if worse:
        print("\nErrors in the files above:")
        for line in output.splitlines():
            match = ERROR_LINE.match(line)
            if match and match["path"] in worse:
                print(line)
        print(f"\nmypy: {len(worse)} file(s) above the baseline ({BASELINE.name}).")
        return 1
    print(f"mypy: {total} errors, none above the baseline ({sum(baseline.values())}).")
    if better:
        print(
            "Fewer errors than the baseline; lower it with `python scripts/mypy_check.py --update`:"
        )
        for line in better:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
