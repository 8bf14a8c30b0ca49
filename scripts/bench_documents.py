"""Benchmark (not a test): time and peak memory of generating the Atambua LKjIP 2023.

    KINERJA_VAR_DIR=/tmp/bench .venv/bin/kinerja demo
    KINERJA_VAR_DIR=/tmp/bench .venv/bin/python scripts/bench_documents.py

Each format runs in a fresh process so that the peak memory (ru_maxrss) is its own. The figures
measured on the development machine are in docs/architecture.md ("Documents")."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CHILD = """
import os, resource, time, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
django.setup()
from kinerja.documents import reports
from kinerja.organizations.models import Unit
unit = Unit.objects.get(slug="lapas-atambua")
reports.generate("pk", unit, 2023, "docx")  # warm imports (matplotlib, python-docx, WeasyPrint)
start = time.perf_counter()
export = reports.generate("lkjip", unit, 2023, "{fmt}")
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"format": "{fmt}", "seconds": round(seconds, 2), "peak_mb": round(peak),
                  "bytes": len(export.content)}}))
"""


def main() -> None:
    results = []
    for fmt in ("docx", "pdf"):
        for _ in range(3):
            out = subprocess.run(
                [sys.executable, "-c", CHILD.format(fmt=fmt)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            ).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
    for fmt in ("docx", "pdf"):
        runs = [r for r in results if r["format"] == fmt]
        best = min(r["seconds"] for r in runs)
        print(
            f"{fmt}: best of {len(runs)} {best:.2f} s, runs {[r['seconds'] for r in runs]}, "
            f"peak {max(r['peak_mb'] for r in runs)} MB, {runs[0]['bytes']:,} bytes"
        )


if __name__ == "__main__":
    main()
