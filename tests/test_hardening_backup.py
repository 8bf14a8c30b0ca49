"""Backup and restore of database and uploaded files together, and downloads whose file is gone.

Issue 13, point 12: there was no backup procedure, and a database restored without its uploaded
files gave HTTP 500 on every evidence and document download.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kinerja.core.backup import _empty_all_tables, table_counts
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.documents.services import job_start
from kinerja.imports.models import ImportRecord
from kinerja.indicators.models import Level
from kinerja.measurement.models import Evidence, QuarterReport, Transition
from kinerja.measurement.services import evidence_add, quarter_transition, realization_save
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja
from tests.conftest import blank_pdf

ROOT = Path(__file__).resolve().parent.parent
PDF = blank_pdf()


def _run_worker(monkeypatch) -> None:
    """The real database worker, in this process (see tests/test_documents.py)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())


def _user(username):
    return get_user_model().objects.get(username=username)


def _atambua_row():
    agreement = PerjanjianKinerja.objects.get(unit__slug="lapas-atambua", year=2023)
    return agreement.indicators.filter(indicator__level=Level.IKK).order_by("id").first()


def _media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def used_demo(monkeypatch, django_capture_on_commit_callbacks):
    """The demo, plus what people add to it: a saved result with an uploaded evidence file and a
    generated document."""
    call_command("demo", stdout=io.StringIO())
    operator = _user("operator.atambua")
    row = _atambua_row()
    realization_save(pk_indicator=row, quarter=1, values={"A": 3, "B": 4}, by=operator)
    evidence = evidence_add(
        pk_indicator=row, quarter=1, data=PDF, filename="berita-acara.pdf", by=operator
    )
    with django_capture_on_commit_callbacks(execute=True):  # enqueued when the job commits
        job = job_start(unit=row.agreement.unit, kind="pk", year=2023, fmt="docx", by=operator)
    _run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    # TW I goes all the way to locked: its rows are the ones database locks guard.
    agreement = row.agreement
    for other in agreement.indicators.filter(indicator__level=Level.IKK).exclude(pk=row.pk):
        values = {v.symbol: 1 for v in other.indicator.variables.all()}
        realization_save(pk_indicator=other, quarter=1, values=values, by=operator)
    for action, username in [
        ("submit", "operator.atambua"),
        ("approve", "kepala.atambua"),
        ("verify", "evaluator.ntt"),
        ("lock", "evaluator.ntt"),
    ]:
        quarter_transition(agreement=agreement, quarter=1, action=action, by=_user(username))
    return evidence, job


def _wipe() -> None:
    """Empty every table, as a new server's database is (the lock triggers stand aside)."""
    with transaction.atomic():
        _empty_all_tables("default")
    ContentType.objects.clear_cache()


def _evidence_url(evidence_id):
    return f"/unit/lapas-atambua/data-dukung/{evidence_id}/"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db(transaction=True)
def test_restore_drill_gives_back_every_row_and_every_file_byte_for_byte(
    used_demo, client, tmp_path
):
    evidence, job = used_demo
    evidence_url = _evidence_url(evidence.id)
    job_url = f"/unit/lapas-atambua/dokumen/{job.id}/unduh/"
    client.force_login(_user("operator.atambua"))
    evidence_bytes = _body(client.get(evidence_url))
    document_bytes = _body(client.get(job_url))
    assert evidence_bytes == PDF
    before_rows = table_counts()
    before_files = _media_files()
    # the demo's published PK 2023 (a job and a publication) and this job
    assert before_rows["measurement.evidence"] == 1 and before_rows["documents.documentjob"] == 2
    assert before_rows["publication.publication"] == 1
    assert (
        QuarterReport.objects.get(agreement__unit__slug="lapas-atambua", quarter=1).status
        == "locked"
    )
    # Atambua's own workflow log (the demo's synthetic regions add their own transitions)
    assert Transition.objects.filter(report__agreement__unit__slug="lapas-atambua").count() == 4
    assert before_rows["measurement.transition"] > 4
    assert any(n.startswith("evidence/") for n in before_files)
    assert any(n.startswith("documents/") for n in before_files)
    assert any(n.startswith("imports/") for n in before_files)  # Luwuk's workbook, from the demo

    archive = tmp_path / "cadangan.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert "Cadangan ditulis" in out.getvalue()

    # Restoring over the data in use is refused, and changes nothing.
    with pytest.raises(CommandError, match="sudah berisi data"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert table_counts() == before_rows

    # The machine is lost: an empty database (schema only) and no uploaded files.
    _wipe()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert Evidence.objects.count() == 0

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Dipulihkan" in out.getvalue()
    assert table_counts() == before_rows
    # The dashboards' stored figures (not in the archive) are stored again, current: a national
    # roll-up reads every one of them and computes none.
    from kinerja.dashboards.models import StoredFigure
    from kinerja.dashboards.rollup import _rows, agreements_in_force

    assert "Angka dasbor disimpan ulang" in out.getvalue()
    assert StoredFigure.objects.exists()
    atambua = Unit.objects.get(slug="lapas-atambua")
    agreement = agreements_in_force([atambua.id], 2023)[atambua.id]
    rows, current = _rows([agreement.id], 4, None)
    assert rows and set(current) == {r[0] for r in rows}
    assert _media_files() == before_files
    evidence_response = client.get(evidence_url)
    assert evidence_response.status_code == 200
    assert _body(evidence_response) == evidence_bytes
    assert _body(client.get(job_url)) == document_bytes
    # history and the workflow log came back with their rows: the evidence's history still exists
    assert Evidence.history.filter(id=evidence.id).exists()

    assert (
        QuarterReport.objects.get(agreement__unit__slug="lapas-atambua", quarter=1).status
        == "locked"
    )
    # --force replaces a database in use (here: one more saved value) with the backup.
    realization_save(pk_indicator=_atambua_row(), quarter=2, values={"A": 1, "B": 2}, by=None)
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert table_counts() == before_rows
    assert _media_files() == before_files
    # New rows get new ids after the restore (sequences follow the restored rows).
    realization_save(pk_indicator=_atambua_row(), quarter=2, values={"A": 1, "B": 2}, by=None)


def _rewrite(archive: Path, target: Path, change) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as sink:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else b""
            member, data = change(member, data)
            if member is None:
                continue
            member.size = len(data)
            sink.addfile(member, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_foreign_archive_is_refused_before_anything_changes(world, tmp_path):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    _wipe()
    empty = table_counts()

    def flip_data(member, data):
        if member.name == "database/data.json":
            data = data.replace(b"Luwuk", b"Luwux", 1)
        return member, data

    def drop_data(member, data):
        return (None, data) if member.name == "database/data.json" else (member, data)

    def escape(member, data):
        if member.name == "database/data.json":
            member.name = "../data.json"
        return member, data

    cases = {
        "checksum": flip_data,
        "tidak lengkap": drop_data,
        "tak terduga": escape,
    }
    for message, change in cases.items():
        damaged = tmp_path / f"{message}.tar.gz"
        _rewrite(archive, damaged, change)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(damaged), stdout=io.StringIO())
        assert table_counts() == empty
        assert not (tmp_path / "data.json").exists()
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="rusak"):
        call_command("restore", str(truncated), stdout=io.StringIO())
    foreign = tmp_path / "lain.tar.gz"
    with tarfile.open(foreign, "w:gz") as sink:
        info = tarfile.TarInfo("manifest.json")
        payload = json.dumps({"format": "something-else"}).encode()
        info.size = len(payload)
        sink.addfile(info, io.BytesIO(payload))
    with pytest.raises(CommandError, match="bukan cadangan Kinerja"):
        call_command("restore", str(foreign), stdout=io.StringIO())
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("restore", str(tmp_path / "tidak-ada.tar.gz"), stdout=io.StringIO())
    assert table_counts() == empty

    # The intact archive still restores.
    call_command("restore", str(archive), stdout=io.StringIO())
    assert Unit.objects.filter(slug="lapas-luwuk").exists()


def test_a_backup_from_a_newer_version_is_refused(tmp_path, db):
    from kinerja.core.backup import BackupError, _migration_targets

    with pytest.raises(BackupError, match="versi Kinerja yang lebih baru"):
        _migration_targets({"measurement": ["9999_from_the_future"]}, "default")


@pytest.mark.django_db
def test_a_download_whose_file_is_gone_says_so_instead_of_failing(world, client, monkeypatch):
    from kinerja.planning import services as planning

    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    row = agreement.indicators.filter(indicator__level=Level.IKK).order_by("id").first()
    evidence = evidence_add(pk_indicator=row, quarter=1, data=PDF, filename="bukti.pdf")
    job = DocumentJob.objects.create(
        unit=world.luwuk, kind="pk", year=2024, format="pdf", status=JobStatus.DONE
    )
    job.file.save("pk.pdf", io.BytesIO(b"%PDF-1.4 dokumen"), save=True)
    from kinerja.imports.models import ImportStatus

    record = ImportRecord.objects.create(
        unit=world.luwuk, year=2024, filename="renaksi.xlsx", status=ImportStatus.PENDING
    )
    from django.core.files.base import ContentFile

    record.file.save("renaksi.xlsx", ContentFile(b"PK\x03\x04"), save=True)

    shutil.rmtree(settings.MEDIA_ROOT)  # a database restored without its files

    client.force_login(world.users["operator_luwuk"])
    for url in [
        f"/unit/lapas-luwuk/data-dukung/{evidence.id}/",
        f"/unit/lapas-luwuk/dokumen/{job.id}/unduh/",
    ]:
        response = client.get(url)
        assert response.status_code == 410, url
        assert "tidak ditemukan di penyimpanan; pulihkan dari cadangan" in response.content.decode()
    # The import preview shows the check kept at upload (it never reads the file); confirming it
    # needs the file and says it is gone, importing nothing.
    preview = f"/unit/lapas-luwuk/rencana-aksi/impor/{record.id}/"
    assert client.get(preview).status_code == 200
    response = client.post(preview)
    assert response.status_code == 410
    assert "tidak ditemukan di penyimpanan; pulihkan dari cadangan" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ImportStatus.PENDING
    # An outsider still learns nothing, not even that the file is gone.
    client.force_login(world.users["operator_atambua"])
    assert client.get(f"/unit/lapas-luwuk/data-dukung/{evidence.id}/").status_code == 404


def _kinerja(env, *args):
    done = subprocess.run(
        [sys.executable, "-m", "kinerja.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def _environment(tmp_path, name):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINERJA_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / name / 'kinerja.sqlite3'}",
        KINERJA_VAR_DIR=str(tmp_path / name),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="kinerja.settings",
    )
    return env


COUNTS = (
    "import json; from kinerja.core.backup import table_counts; "
    "print('JSON' + json.dumps(table_counts()))"
)


def test_the_commands_move_an_installation_to_a_new_server_that_was_migrated_first(tmp_path):
    """As an administrator does it: `kinerja backup` on the old server; on the new one
    `kinerja migrate` (which seeds reference rows), then `kinerja restore`."""
    old, new = _environment(tmp_path, "lama"), _environment(tmp_path, "baru")
    _kinerja(old, "demo")
    archive = tmp_path / "cadangan.tar.gz"
    _kinerja(old, "backup", "-o", str(archive))
    _kinerja(new, "migrate")
    out = _kinerja(new, "restore", str(archive))
    # Luwuk's imported workbook, and the demo's published PK with the job that made it
    assert "Dipulihkan" in out and "3 berkas unggahan" in out
    counts = [
        json.loads(_kinerja(env, "shell", "--no-imports", "-c", COUNTS).split("JSON", 1)[1])
        for env in (old, new)
    ]
    assert counts[0] == counts[1] and counts[0]["measurement.variablevalue"] > 0
    media = [
        sorted(
            p.relative_to(tmp_path / name / "media")
            for p in (tmp_path / name / "media").rglob("*.*")
        )
        for name in ("lama", "baru")
    ]
    assert media[0] == media[1] and media[0]
