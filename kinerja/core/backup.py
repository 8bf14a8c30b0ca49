"""Backup and restore of a whole installation: the database and the uploaded files together.

A backup is one .tar.gz:

    manifest.json        format, Kinerja version, date, database vendor, applied migrations,
                         rows per table, and the size and SHA-256 of every other member
    database/data.json   every row of every table, Django's JSON serialisation with the original
                         primary keys (history rows, the task queue, content types and permissions
                         included), so it loads into SQLite or PostgreSQL whichever it came from
    media/...            the files under MEDIA_ROOT (evidence, generated documents, imports)

The rows are written in one transaction (one consistent moment). Restore checks the whole archive
before it touches anything, brings the schema to the backup's migrations, empties the database and
loads every row in one transaction (all or nothing), then puts the files in place and migrates to
the running version. Results (realisations, values, evidence) are loaded before the quarter reports
and agreements they belong to, so that database triggers refusing writes to closed quarters see an
open quarter while the rows go in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.dispatch import Signal
from django.test.utils import override_settings

FORMAT = "kinerja-backup"
FORMAT_VERSION = 1
DATA = "database/data.json"
# Rows that closed-quarter triggers check on INSERT: loaded before the reports that close them.
LOAD_FIRST = (
    "measurement.realization",
    "measurement.variablevalue",
    "measurement.evidence",
    # a month's spending of a closed quarter is locked like its results (budget 0003)
    "budget.spendingmonth",
    # an AKIP evaluation's answers, files and recommendations, locked once it is submitted or
    # finished (evaluation 0002): in before the evaluation that closes them
    "evaluation.answer",
    "evaluation.answerfile",
    "evaluation.recommendation",
)
# Derived tables (the dashboards' stored figures and their change counters, kept by triggers):
# never backed up or counted; emptied with every other table before a restore.
DERIVED = ("dashboards.storedfigure", "dashboards.figurestamp")
# Sent after a restore has committed its rows and files (`using`: the database): the apps that keep
# derived tables (DERIVED) fill them again. Each receiver may return a line for the operator.
restored = Signal()
# Rows written when a schema is created (by Django, or seeded by a migration: the IKPA rules, the
# LKE framework); they do not make a database "in use", and the restore replaces them with the
# backup's.
BOOKKEEPING = (
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "budget.ikparule",
    "evaluation.framework",
    "evaluation.component",
    "evaluation.subcomponent",
    "evaluation.criterion",
)


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason in Indonesian."""


@dataclass
class Manifest:
    created: str
    vendor: str
    version: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    files: dict[str, dict] = field(default_factory=dict)

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "kinerja_version": self.version,
                "created": self.created,
                "database_vendor": self.vendor,
                "migrations": self.migrations,
                "counts": self.counts,
                "files": self.files,
            },
            indent=1,
            sort_keys=True,
        ).encode()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("kinerja")
    except Exception:  # running from a checkout that was never installed
        return "unknown"


def _models():
    """Every concrete table Django manages (many-to-many tables travel with their model)."""
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or _label(model) in DERIVED:
            continue
        yield model


def _label(model) -> str:
    return model._meta.label_lower


def _ordered_models():
    models = list(_models())
    return sorted(models, key=lambda m: _label(m) not in LOAD_FIRST)


def table_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per table, many-to-many tables included (their label is model.field)."""
    counts = {}
    for model in _models():
        counts[_label(model)] = model._base_manager.using(using).count()
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                counts[f"{_label(model)}.{m2m.name}"] = through._base_manager.using(using).count()
    return counts


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def backup_create(output: Path, *, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Write the database and the uploaded files to `output` (.tar.gz). The archive appears only
    when complete (written beside it, then renamed)."""
    output = Path(output)
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".kinerja-backup-") as tmp:
        data_path = Path(tmp) / "data.json"
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for every table while others keep writing.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = table_counts(using)
            migrations = applied_migrations(using)
            with open(data_path, "w", encoding="utf-8") as handle:
                handle.write("[")
                first = True
                for model in _ordered_models():
                    rows = model._base_manager.using(using).order_by(model._meta.pk.name)
                    text = serializers.serialize("json", rows.iterator(chunk_size=2000))
                    body = text.strip()[1:-1].strip()
                    if body:
                        handle.write(("" if first else ",\n") + body)
                        first = False
                handle.write("]\n")
        manifest = Manifest(
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            vendor=connection.vendor,
            version=_version(),
            migrations=migrations,
            counts=counts,
        )
        members = [(DATA, data_path)]
        members += [
            ("media/" + path.relative_to(media_root).as_posix(), path)
            for path in _media_files(media_root)
        ]
        for name, path in members:
            manifest.files[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
        partial = Path(tmp) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            info = tarfile.TarInfo("manifest.json")
            payload = manifest.as_json()
            info.size, info.mtime, info.mode = (
                len(payload),
                int(dt.datetime.now(dt.UTC).timestamp()),
                0o600,
            )
            archive.addfile(info, io.BytesIO(payload))
            for name, path in members:
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, output)
    return manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name == DATA or (path.parts[0] == "media" and len(path.parts) > 1))
    )


def backup_check(archive_path: Path, extract_to: Path) -> dict:
    """Read and verify an archive into `extract_to`: the manifest, every member's size and
    checksum, nothing missing, nothing extra, no path leaving the archive. Returns the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            try:
                manifest = json.load(archive.extractfile("manifest.json"))
            except (KeyError, AttributeError, ValueError) as exc:
                raise BackupError(
                    f"{archive_path} bukan cadangan Kinerja: manifest.json tidak ada atau rusak."
                ) from exc
            if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
                raise BackupError(f"{archive_path} bukan cadangan Kinerja.")
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"Format cadangan versi {manifest.get('format_version')} tidak dikenal "
                    f"(versi ini membaca {FORMAT_VERSION})."
                )
            expected = manifest["files"]
            seen = set()
            for member in archive:
                if member.name == "manifest.json":
                    continue
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupError(f"Cadangan berisi anggota tak terduga: {member.name}.")
                if member.name not in expected:
                    raise BackupError(f"Cadangan berisi berkas yang tidak tercatat: {member.name}.")
                target = extract_to / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with archive.extractfile(member) as source, open(target, "wb") as sink:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        digest.update(chunk)
                        size += len(chunk)
                        sink.write(chunk)
                want = expected[member.name]
                if size != want.get("size") or digest.hexdigest() != want.get("sha256"):
                    raise BackupError(
                        f"Cadangan rusak: {member.name} tidak cocok dengan checksum di manifest."
                    )
                seen.add(member.name)
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, FileNotFoundError) and not Path(archive_path).exists():
            raise BackupError(f"Berkas cadangan {archive_path} tidak ditemukan.") from exc
        raise BackupError(f"Cadangan rusak atau terpotong: {archive_path} ({exc}).") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"Cadangan tidak lengkap: {', '.join(missing[:5])} tidak ada.")
    if DATA not in seen:
        raise BackupError("Cadangan tidak berisi basis data.")
    return manifest


def database_in_use(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Tables holding rows beyond what creating the schema writes (empty dict: safe to restore)."""
    tables = set(connections[using].introspection.table_names())
    in_use = {}
    for model in _models():
        if model._meta.db_table in tables and _label(model) not in BOOKKEEPING:
            count = model._base_manager.using(using).count()
            if count:
                in_use[_label(model)] = count
    return in_use


def _migration_targets(migrations: dict[str, list[str]], using: str):
    """The backup's migration state as targets for the executor, refusing migrations this version
    does not know (a backup made by a newer Kinerja)."""
    executor = MigrationExecutor(connections[using])
    graph = executor.loader.graph
    unknown = [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in graph.nodes
    ]
    if unknown:
        raise BackupError(
            "Cadangan dibuat oleh versi Kinerja yang lebih baru (migrasi tidak dikenal: "
            + ", ".join(unknown[:5])
            + "). Perbarui Kinerja lalu pulihkan lagi."
        )
    targets: list[tuple[str, str | None]] = []
    for app in {key[0] for key in graph.nodes}:
        applied = {(app, name) for name in migrations.get(app, [])}
        leaves = [
            node
            for node in applied
            if not any(child in applied for child in graph.node_map[node].children)
        ]
        targets += sorted(leaves) if leaves else [(app, None)]
    return executor, targets


def _empty_all_tables(using: str) -> None:
    connection = connections[using]
    tables = [
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if t != "django_migrations"
    ]
    if connection.vendor == "postgresql":
        # TRUNCATE fires no row triggers, so the locks do not stand in the way of emptying.
        for sql in connection.ops.sql_flush(
            no_style(), tables, reset_sequences=True, allow_cascade=True
        ):
            with connection.cursor() as cursor:
                cursor.execute(sql)
        return
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names())
        # The lock triggers of SQLite stand aside while this table has a row (see the measurement
        # migration that creates them); the row goes again in the same transaction.
        bypass = "kinerja_lock_bypass" in existing
        if bypass:
            cursor.execute("INSERT INTO kinerja_lock_bypass VALUES (1)")
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')
        if bypass:
            cursor.execute("DELETE FROM kinerja_lock_bypass")


def _load_order(data: Path) -> list[str]:
    """The rows as fixtures in the order they must go in: results first, while the quarter reports
    and agreements that close them are not there yet (whatever order the archive holds)."""
    try:
        rows = json.loads(data.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"Basis data di cadangan tidak terbaca: {exc}.") from exc
    first = [r for r in rows if r.get("model") in LOAD_FIRST]
    rest = [r for r in rows if r.get("model") not in LOAD_FIRST]
    paths = []
    for name, part in (("results", first), ("rest", rest)):
        if not part:
            continue
        path = data.with_name(f"{name}.json")
        path.write_text(json.dumps(part), encoding="utf-8")
        paths.append(str(path))
    return paths


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    files: int
    notes: list[str] = field(default_factory=list)  # what the `restored` receivers did


def backup_restore(
    archive_path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Restore database and files from `archive_path`; refuses a damaged archive and, without
    `force`, a database or media folder already in use."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the media folder, so that the files are moved into place, not copied.
    beside = media_root.parent if os.access(media_root.parent, os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=beside, prefix=".kinerja-restore-") as tmp_name:
        tmp = Path(tmp_name)
        manifest = backup_check(Path(archive_path), tmp)
        executor, targets = _migration_targets(manifest.get("migrations", {}), using)
        if not force:
            in_use = database_in_use(using)
            if in_use:
                sample = ", ".join(f"{k} ({v})" for k, v in sorted(in_use.items())[:4])
                raise BackupError(
                    "Basis data tujuan sudah berisi data: "
                    f"{sample}. Pulihkan ke basis data kosong, atau pakai --force untuk "
                    "menimpanya seluruhnya."
                )
            if any(_media_files(media_root)):
                raise BackupError(
                    f"Folder berkas unggahan {media_root} tidak kosong. Kosongkan, atau pakai "
                    "--force untuk menggantinya."
                )
        executor.migrate(targets)
        with transaction.atomic(using=using):
            _empty_all_tables(using)
            fixtures = _load_order(tmp / DATA)
            if fixtures:  # a backup of an empty database has no rows to load
                # The archive holds the history rows themselves: loading must not make more
                # (loaddata's raw saves make none, but setting a many-to-many field would).
                with override_settings(SIMPLE_HISTORY_ENABLED=False):
                    call_command(
                        "loaddata", *fixtures, database=using, verbosity=0, skip_checks=True
                    )
            counts = table_counts(using)
            differ = {
                k: (v, counts.get(k))
                for k, v in manifest.get("counts", {}).items()
                if counts.get(k) != v
            }
            if differ:
                raise BackupError(
                    "Jumlah baris setelah pemulihan tidak sama dengan cadangan: "
                    + ", ".join(f"{k} {a}≠{b}" for k, (a, b) in list(differ.items())[:5])
                )
        # Content type ids may differ from the ones cached before the restore.
        ContentType.objects.clear_cache()
        # The files go in place only after the rows are committed. The folder itself stays (it may
        # be a mounted volume); its old contents are moved aside until the new ones are in.
        staged = tmp / "media"
        staged.mkdir(exist_ok=True)
        aside = tmp / "media-before"
        aside.mkdir()
        media_root.mkdir(parents=True, exist_ok=True)
        for child in list(media_root.iterdir()):
            shutil.move(child, aside / child.name)
        for child in list(staged.iterdir()):
            shutil.move(child, media_root / child.name)
        files = sum(1 for _ in _media_files(media_root))
    call_command("migrate", database=using, verbosity=0, interactive=False)
    notes = [
        note
        for _, note in restored.send(sender=RestoreResult, using=using)
        if isinstance(note, str)
    ]
    return RestoreResult(manifest=manifest, counts=counts, files=files, notes=notes)
