"""Benchmark (not a test): time and peak memory of generating the Atambua LKjIP 2023, the PDF set
against LibreOffice converting the report's own .docx, measured side by side in one run.

    KINERJA_VAR_DIR=/tmp/bench .venv/bin/kinerja demo
    KINERJA_VAR_DIR=/tmp/bench .venv/bin/python scripts/bench_documents.py [--rounds 3]

Every measurement is a fresh process, run in turn (docx, PDF, LibreOffice, docx, PDF, …) so that a
machine whose speed drifts slows all three alike; the ratios are taken round by round and their
median printed. For our formats two figures: `generate` (reports.generate() inside the process,
after Django and the libraries are loaded: what a background job pays) and `process` (the whole
`python` process from the outside, start-up included: what `kinerja report` pays). LibreOffice is
`soffice --headless --convert-to pdf` of the .docx written by the first docx run, with a profile
of its own (made by a warm-up conversion that is not counted). Peak memory is each process's own
maximum resident set (ru_maxrss from wait4). The figures go in docs/performance.md ("Documents")."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import os, resource, time, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
django.setup()
from kinerja.documents import reports
from kinerja.organizations.models import Unit
unit = Unit.objects.get(slug="lapas-atambua")
start = time.perf_counter()
export = reports.generate("lkjip", unit, 2023, "{fmt}")
seconds = time.perf_counter() - start
open({out!r}, "wb").write(export.content)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "bytes": len(export.content)}}))
"""


PHASES = """
import os, time
started = time.perf_counter()
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
django.setup()
from kinerja.core.render import charts, pdf_render
from kinerja.documents import reports
from kinerja.organizations.models import Unit
print(f"Django set-up and imports  {time.perf_counter() - started:6.2f} s")
unit = Unit.objects.get(slug="lapas-atambua")
spent = [0.0]
png = charts._png
def timed_png(figure):
    start = time.perf_counter()
    try:
        return png(figure)
    finally:
        spent[0] += time.perf_counter() - start
charts._png = timed_png
def step(name, call):
    start = time.perf_counter()
    result = call()
    print(f"{name:26s} {time.perf_counter() - start:6.2f} s")
    return result
draft, note, findings = step("review (lkjip_gate)", lambda: reports.lkjip_gate(unit, 2023, False))
document = step("data and blocks (build)", lambda: reports.build(
    "lkjip", unit, 2023, None, None, draft=draft, findings=findings))
print(f"  of which chart PNGs      {spent[0]:6.2f} s")
step("fonts (once a process)", pdf_render._fonts)
pdf = step("PDF (pdf_render)", lambda: pdf_render.render_pdf(document))
if WEASYPRINT:
    from kinerja.core.render import html_render
    step("PDF (html_render, old)", lambda: html_render.render_pdf(document))
import io, pypdf
print(f"{len(pypdf.PdfReader(io.BytesIO(pdf)).pages)} pages")
"""


def _run(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak MB and standard output of one fresh process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"{args[0]} failed ({child.returncode})")
    return seconds, usage.ru_maxrss / 1024, out


def _ours(fmt: str, out: Path) -> dict:
    seconds, peak, stdout = _run([sys.executable, "-c", CHILD.format(fmt=fmt, out=str(out))])
    inner = json.loads(stdout.strip().splitlines()[-1])
    return {
        "generate": inner["seconds"],
        "process": seconds,
        "peak_mb": peak,
        "bytes": inner["bytes"],
    }


def _soffice(docx: Path, outdir: Path, profile: Path) -> dict:
    seconds, peak, _ = _run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ]
    )
    pdf = outdir / (docx.stem + ".pdf")
    return {"process": seconds, "peak_mb": peak, "bytes": pdf.stat().st_size}


def _pages(pdf: Path) -> str:
    try:
        from pypdf import PdfReader

        return str(len(PdfReader(pdf).pages))
    except Exception:  # noqa: BLE001 - a benchmark: the page count is a courtesy
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--phases", action="store_true", help="only: where one PDF's time goes, step by step"
    )
    parser.add_argument(
        "--weasyprint",
        action="store_true",
        help="with --phases: time the former renderer (html_render, WeasyPrint) as well",
    )
    options = parser.parse_args()
    if options.phases:
        code = PHASES.replace("WEASYPRINT", str(options.weasyprint))
        subprocess.run([sys.executable, "-c", code], check=True, env=os.environ)
        return
    rounds = options.rounds
    work = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    docx, pdf, lo = work / "lkjip.docx", work / "lkjip.pdf", work / "lo"
    lo.mkdir()
    results: dict[str, list[dict]] = {"docx": [], "pdf": [], "soffice": []}
    results["docx"].append(_ours("docx", docx))
    _soffice(docx, lo, work / "profile")  # warm-up: LibreOffice makes its profile
    for i in range(rounds):
        if i:
            results["docx"].append(_ours("docx", work / "again.docx"))
        results["pdf"].append(_ours("pdf", pdf))
        results["soffice"].append(_soffice(docx, lo, work / "profile"))

    def line(name: str, runs: list[dict], key: str) -> str:
        values = [r[key] for r in runs]
        return (
            f"{name}: median {statistics.median(values):.2f} s "
            f"(runs {', '.join(f'{v:.2f}' for v in values)}), "
            f"peak {max(r['peak_mb'] for r in runs):.0f} MB, {runs[0]['bytes']:,} bytes"
        )

    print(line("docx  generate", results["docx"], "generate"))
    print(line("docx  process ", results["docx"], "process"))
    print(line("pdf   generate", results["pdf"], "generate") + f", {_pages(pdf)} pages")
    print(line("pdf   process ", results["pdf"], "process"))
    print(
        line("LibreOffice docx->pdf", results["soffice"], "process")
        + f", {_pages(lo / 'lkjip.pdf')} pages"
    )
    for key in ("generate", "process"):
        ratios = [
            p[key] / s["process"] for p, s in zip(results["pdf"], results["soffice"], strict=True)
        ]
        print(
            f"ratio pdf {key} / LibreOffice: median {statistics.median(ratios):.2f} "
            f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
