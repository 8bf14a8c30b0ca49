"""Benchmark (not a test): time and peak memory of refusing hostile uploads (issue 13, points 5, 7).

    .venv/bin/python scripts/bench_uploads.py            # every scenario
    .venv/bin/python scripts/bench_uploads.py bomb_333k  # one or some

Each scenario runs in its own process against a throw-away SQLite database (migrated once), through
the real views with Django's test client, so that the peak memory (ru_maxrss from os.wait4) is its
own (ru_maxrss of the child, which includes Django and building the hostile file). A child may use at most 3 GB (RLIMIT_AS) and 300 s, so a regression fails here instead of
taking the machine down. The figures measured on the development machine are in
docs/architecture.md ("Uploads")."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024

SCENARIOS = {
    "bomb_333k": "zip-bomb workbook of about 333 KB (130 MB unpacked), import page",
    "bomb_2g": "zip-bomb workbook of about 5 MB (2 GB unpacked), import page",
    "rows_100k": "workbook of 100,000 rows x 10 columns, import page",
    "csv_100k": "CSV of 100,000 lines, import page",
    "limit_5000x20": "workbook at the limits, 5,000 rows x 20 columns (checked, then parsed)",
    "luwuk_upload": "the real Luwuk Rencana Aksi (accepted), import page",
    "luwuk_preview": "preview GET of the uploaded Luwuk file, 10 times (per view)",
    "evidence_200m": "evidence upload of 200 MB (streamed body), entry page",
    "pdf_js_objstm": "evidence PDF with JavaScript in a compressed object stream",
    "png_bomb": "evidence PNG declaring 100,000 x 100,000 pixels",
}


def child_setup(var: Path) -> None:
    """Migrate once and create the units, users and a signed PK the scenarios use."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kinerja.indicators.services import catalogue_sync
    from kinerja.planning import services as planning
    from tests.conftest import World

    catalogue_sync()
    world = World()
    planning.pk_sign(agreement=world.draft_pk(), by=None)


def child_run(name: str, var: Path) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from kinerja.imports.models import ImportRecord
    from kinerja.planning.models import PKIndicator
    from tests import test_hardening_uploads as t

    setup_test_environment()
    User = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
    client = Client()
    client.force_login(User.objects.get(username="operator_luwuk"))

    def upload_import(data: bytes, filename: str):
        return client.post(
            reverse("renaksi_upload", args=["lapas-luwuk"]),
            {"year": "2024", "file": SimpleUploadedFile(filename, data)},
        )

    row = PKIndicator.objects.get(agreement__unit__slug="lapas-luwuk", indicator__code="IKK-2.3")
    evidence_url = reverse("evidence_upload", args=["lapas-luwuk", 2024, 1, row.id])
    files = {
        "bomb_333k": lambda: (t.zip_bomb(130), "bom.xlsx"),
        "bomb_2g": lambda: (t.zip_bomb(2048), "bom.xlsx"),
        "rows_100k": lambda: (t.rows_workbook(100_000, 10), "baris.xlsx"),
        "csv_100k": lambda: (b"".join(b"%d;x;y\n" % i for i in range(100_000)), "baris.csv"),
        "limit_5000x20": lambda: (t.rows_workbook(5000, 20), "batas.xlsx"),
        "luwuk_upload": lambda: (t.XLSX.read_bytes(), "renaksi.xlsx"),
    }
    info = {}
    if name in files:
        data, filename = files[name]()
        info["upload_bytes"] = len(data)
        start = time.perf_counter()
        response = upload_import(data, filename)
        seconds = time.perf_counter() - start
        record = ImportRecord.objects.order_by("-id").first()
        errors = record.summary.get("errors", []) if record else []
        info["outcome"] = (
            (errors[0]["message"][:110] if errors else "diterima")
            if record
            else (f"HTTP {response.status_code}, tidak disimpan")
        )
    elif name == "luwuk_preview":
        response = upload_import(t.XLSX.read_bytes(), "renaksi.xlsx")
        location = response["Location"]
        start = time.perf_counter()
        for _ in range(10):
            assert client.get(location).status_code == 200
        seconds = (time.perf_counter() - start) / 10
        info["outcome"] = "rendered from the kept check"
    elif name == "evidence_200m":
        body = t.GeneratedBody("laporan-besar.pdf", 200 * MB)
        start = time.perf_counter()
        client.post(
            evidence_url,
            **{
                "wsgi.input": body,
                "CONTENT_LENGTH": str(body.length),
                "CONTENT_TYPE": body.content_type,
            },
        )
        seconds = time.perf_counter() - start
        info["outcome"] = f"refused after reading {body.consumed:,} of {body.length:,} bytes"
    elif name in ("pdf_js_objstm", "png_bomb"):
        data, filename = (
            (t.pdf_with_object_stream(), "tersembunyi.pdf")
            if name == "pdf_js_objstm"
            else (
                t.png(100_000, 100_000, body=__import__("zlib").compress(b"\0" * 1000)),
                "bom.png",
            )
        )
        start = time.perf_counter()
        response = client.post(
            evidence_url, {"file": SimpleUploadedFile(filename, data)}, follow=True
        )
        seconds = time.perf_counter() - start
        page = response.content.decode()
        info["outcome"] = "refused" if f"Berkas {filename}" in page else "ACCEPTED"
    else:
        raise SystemExit(f"unknown scenario {name}")
    return {"scenario": name, "seconds": round(seconds, 3), **info}


def run_child(args: list[str], env: dict) -> str:
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MB, 3 * 1024 * MB))

    process = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        env=env,
        preexec_fn=limits,
        cwd=ROOT,
        timeout=300,
    )
    if process.returncode != 0:
        raise SystemExit(f"{args}: exit {process.returncode}\n{process.stderr.decode()[-2000:]}")
    return process.stdout.decode()


def main() -> None:
    chosen = [a for a in sys.argv[1:] if not a.startswith("-")] or list(SCENARIOS)
    var = Path(tempfile.mkdtemp(prefix="kinerja-bench-uploads-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
        "KINERJA_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'template.sqlite3'}",
    }
    try:
        run_child(["--child", "setup"], env)
        print(f"{'scenario':<16} {'seconds':>8} {'peak MB':>8}  outcome")
        for name in chosen:
            db = var / f"{name}.sqlite3"
            shutil.copy(var / "template.sqlite3", db)
            out = run_child(["--child", name], {**env, "DATABASE_URL": f"sqlite:///{db}"})
            result = json.loads(out.strip().splitlines()[-1])
            print(
                f"{name:<16} {result['seconds']:>8.2f} {result['peak_mb']:>8}  "
                f"{result.get('outcome', '')}"
            )
            print(f"{'':<16} {SCENARIOS[name]}")
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        import django

        django.setup()
        var = Path(os.environ["KINERJA_VAR_DIR"])
        if sys.argv[2] == "setup":
            child_setup(var)
        else:
            result = child_run(sys.argv[2], var)
            result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            print(json.dumps(result))
    else:
        main()
