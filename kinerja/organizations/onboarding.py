"""Bulk onboarding: units, people, users with their roles and heads of record from one workbook.

One workbook (the template from `onboarding_template`) with four sheets:

- **Unit**: facilities (and, for the national administrator, regional offices). The code is made
  from the type and city when left empty (`rutan-poso`), so nobody types a slug.
- **Pegawai**: people named in plans and documents (NIP checked, name, unit, position).
- **Pengguna**: accounts and their role on a unit. A new account gets no password: its first login
  is a one-time link (a password-setting link, valid `PASSWORD_RESET_TIMEOUT`), e-mailed to its
  address or printed; no password is ever written down or kept.
- **Kepala**: heads of record (unit, NIP, title, from, until). A new head closes the open
  appointment of the previous one on the day before.

`onboard()` reads every sheet, checks every row against the database and the rest of the file, and
says every problem at its sheet, row, column and field; with no problem and `write`, it applies
every change in one transaction (history records who and which file). What is already as the file
says is left alone, so running the same file twice changes nothing the second time.

Scope: the user administers a unit (`administer`: the regional administrator its Kanwil and the
facilities below it, the national administrator everything); every row must fall inside it. The
command line runs with the whole tree in scope.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.core import bounds
from kinerja.core.formatting import format_date
from kinerja.core.history_note import history_note
from kinerja.core.workbook import CellProblem, cell_date, cell_decimal, sheet_rows
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.organizations.models import (
    ROLES_BY_KIND,
    FacilityClass,
    FacilityType,
    HeadAppointment,
    Membership,
    Person,
    Role,
    Unit,
    UnitKind,
)
from kinerja.organizations.nip import nip_problems
from kinerja.organizations.services import appointment_add

MAX_ROWS = 5000
ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
ZONE_LABEL = {v: k.upper() for k, v in ZONES.items()}

UNIT_COLUMNS = [
    "Kode",
    "Nama",
    "Jenis",
    "Kelas",
    "Induk",
    "Kota",
    "Alamat",
    "Kapasitas",
    "Zona waktu",
]
PERSON_COLUMNS = ["NIP", "Nama", "Unit", "Jabatan"]
USER_COLUMNS = ["Nama pengguna", "Nama lengkap", "Surel", "Unit", "Peran"]
HEAD_COLUMNS = ["Unit", "NIP", "Jabatan", "Mulai", "Sampai"]
SHEETS = {
    "Unit": UNIT_COLUMNS,
    "Pegawai": PERSON_COLUMNS,
    "Pengguna": USER_COLUMNS,
    "Kepala": HEAD_COLUMNS,
}


@dataclass(frozen=True)
class Change:
    """One change the file makes, where it comes from, in words."""

    sheet: str
    row: int
    text: str


@dataclass
class Onboarding:
    problems: list[CellProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0  # rows already as the file says
    written: bool = False
    new_users: list[User] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- the template ------------------------------------------------------------------------------


GUIDE = [
    ("Templat orientasi Kinerja: unit, pegawai, pengguna dan kepala dalam satu berkas.",),
    ("Isi lembar yang diperlukan saja; baris pertama tiap lembar adalah judul kolom.",),
    ("",),
    ("Unit", "Kode boleh kosong: dibuat dari jenis dan kota (rutan-poso)."),
    ("", "Jenis: Lapas, Rutan, LPKA, Bapas (UPT) atau Kanwil (hanya Admin Nasional)."),
    ("", "Kelas: I, IIA, IIB atau III. Induk: kode Kanwil (untuk UPT)."),
    ("", "Zona waktu: WIB, WITA atau WIT; kosong = mengikuti Kanwil."),
    ("Pegawai", "NIP 18 angka tanpa spasi; Unit = kode unit tempat pegawai bertugas."),
    ("Pengguna", "Peran: Operator UPT, Kepala UPT, Hanya baca (UPT); Evaluator Kanwil,"),
    ("", "Admin Kanwil, Hanya baca (Kanwil). Pengguna baru menerima tautan masuk pertama"),
    ("", "lewat surel, atau dicetak dari halaman hasil; kata sandi tidak pernah dikirim."),
    ("Kepala", "Kepala UPT dan Kepala Kanwil: Unit, NIP (dari lembar Pegawai), Jabatan,"),
    ("", "Mulai (16-01-2025), Sampai (kosong = masih menjabat). Kepala baru mengakhiri"),
    ("", "penunjukan kepala sebelumnya sehari sebelum tanggal mulainya."),
    ("",),
    ("Berkas yang sama boleh diunggah lagi: yang sudah sesuai tidak diubah.",),
]


def onboarding_template() -> bytes:
    """An empty workbook with the four sheets, their headers and a guide sheet."""
    book = Workbook()
    guide = book.active
    guide.title = "Petunjuk"
    for line in GUIDE:
        append_row(guide, line)
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 90
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        append_row(sheet, columns)
        for index, _ in enumerate(columns, 1):
            sheet.cell(row=1, column=index).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = 24
        sheet.freeze_panes = "A2"
    return workbook_bytes(book)


# --- reading -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


FACILITY_TYPES = {_key(t.value): t.value for t in FacilityType} | {
    _key(t.label): t.value for t in FacilityType
}
CLASSES = {_key(c.value): c.value for c in FacilityClass} | {
    _key(c.label): c.value for c in FacilityClass
}
ROLES = {_key(r.value): r.value for r in Role} | {_key(r.label): r.value for r in Role}


class _Sheet:
    """The rows of one sheet as {column name: value}, with the problems of its header."""

    def __init__(self, content: bytes, filename: str, name: str, result: Onboarding):
        self.name = name
        self.columns = SHEETS[name]
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.result = result
        lines, stop = sheet_rows(content, filename, name, MAX_ROWS + 1)
        if stop is not None:
            if stop.field != "lembar":  # a sheet left out is a sheet with nothing to do
                result.problems.append(stop)
            return
        if not lines:
            return
        header = [_text(v) for v in lines[0]]
        while header and header[-1] == "":
            header.pop()
        for index, want in enumerate(self.columns, 1):
            got = header[index - 1] if index <= len(header) else ""
            if _key(got) != _key(want):
                self.problem(1, want, f"judul kolom {get_column_letter(index)} harus '{want}'")
                return
        for number, cells in enumerate(lines[1:], 2):
            padded = (tuple(cells) + (None,) * len(self.columns))[: len(self.columns)]
            values = dict(zip(self.columns, padded, strict=True))
            if all(_text(v) == "" for v in values.values()):
                continue
            self.rows.append((number, values))

    def unit_in_scope(self, row: int, slug: str, known: set[str], allowed: set[str]) -> bool:
        """Whether the row's unit exists (in Kinerja or the file) and is the user's to
        administer; says which is not at the row's Unit cell."""
        if slug not in known:
            self.problem(row, "Unit", f"unit '{slug[:40]}' tidak dikenal")
            return False
        if slug not in allowed:
            self.problem(row, "Unit", f"unit {slug} bukan wewenang Anda")
            return False
        return True

    def problem(self, row: int, column: str, message: str) -> None:
        letter = get_column_letter(self.columns.index(column) + 1) if column in self.columns else ""
        self.result.problems.append(CellProblem(row, letter, column, message, self.name))


# --- checking and writing --------------------------------------------------------------------


@dataclass
class _UnitRow:
    row: int
    slug: str
    fields: dict[str, Any]
    parent_slug: str
    existing: Unit | None


def onboard(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    write: bool,
    scope: Iterable[Unit] | None = None,
) -> Onboarding:
    """Check the workbook against the units `by` administers (`scope`; None = every unit, for the
    command line) and, with `write` and no problem, apply it in one transaction."""
    result = Onboarding()
    sheets = {}
    for name in SHEETS:
        sheets[name] = _Sheet(content, filename, name, result)
        if any(p.field == "berkas" for p in result.problems):
            return result  # not a workbook: said once, not per sheet
    if result.problems:
        return result
    units = {u.slug: u for u in Unit.objects.all()}
    in_scope = (
        set(units) if scope is None else {u.slug for u in scope if u.slug in units}
    )  # slugs this user may administer
    national = scope is None or any(
        u.kind == UnitKind.DIRECTORATE for u in units.values() if u.slug in in_scope
    )

    unit_rows = _check_units(sheets["Unit"], units, in_scope, national, result)
    known = set(units) | {r.slug for r in unit_rows}
    kind_of = {slug: u.kind for slug, u in units.items()} | {
        r.slug: r.fields["kind"] for r in unit_rows
    }
    allowed = in_scope | {r.slug for r in unit_rows}

    people = _check_people(sheets["Pegawai"], known, allowed, result)
    users = _check_users(sheets["Pengguna"], known, allowed, kind_of, national, result)
    heads = _check_heads(sheets["Kepala"], known, allowed, people, result)
    if result.problems:
        return result
    # The preview runs the very writes and rolls them back: what it lists is what a write does.
    reason = f"orientasi {filename}"[:100]
    with transaction.atomic():
        _apply(unit_rows, people, users, heads, by, reason, result)
        if result.problems or not write:
            transaction.set_rollback(True)
    if result.problems:
        result.changes = []
    if result.problems or not write:
        result.new_users = []
        return result
    result.written = True
    return result


def _check_units(sheet, units, in_scope, national, result) -> list[_UnitRow]:
    rows: list[_UnitRow] = []
    seen: dict[str, int] = {}
    for number, values in sheet.rows:
        name = _text(values["Nama"])
        kind_text = _key(_text(values["Jenis"]))
        parent_slug = _text(values["Induk"]).lower()
        city = _text(values["Kota"])
        bad = False
        if not name:
            sheet.problem(number, "Nama", "nama unit wajib diisi")
            bad = True
        elif len(name) > 200:
            sheet.problem(number, "Nama", "paling panjang 200 huruf")
            bad = True
        if kind_text in ("kanwil", "kantorwilayah"):
            kind, facility_type = UnitKind.KANWIL, ""
            if not national:
                sheet.problem(number, "Jenis", "Kanwil hanya dapat ditambahkan Admin Nasional")
                bad = True
        elif kind_text in FACILITY_TYPES:
            kind, facility_type = UnitKind.UPT, FACILITY_TYPES[kind_text]
        else:
            sheet.problem(number, "Jenis", "tulis Lapas, Rutan, LPKA, Bapas atau Kanwil")
            continue
        facility_class = ""
        class_text = _key(_text(values["Kelas"]))
        if class_text:
            if kind != UnitKind.UPT or class_text not in CLASSES:
                sheet.problem(number, "Kelas", "kelas hanya untuk UPT: I, IIA, IIB atau III")
                bad = True
            else:
                facility_class = CLASSES[class_text]
        slug = _text(values["Kode"]).lower()
        if not slug:
            slug = slugify(f"{facility_type or 'kanwil'} {city or name}")[:80]
        elif slugify(slug) != slug or len(slug) > 80:
            sheet.problem(number, "Kode", "kode hanya huruf kecil, angka dan tanda hubung")
            continue
        if slug in seen:
            sheet.problem(number, "Kode", f"kode {slug} sudah dipakai di baris {seen[slug]}")
            continue
        seen[slug] = number
        existing = units.get(slug)
        if existing is not None and slug not in in_scope:
            sheet.problem(number, "Kode", f"kode {slug} sudah dipakai unit lain")
            continue
        expected_parent = UnitKind.KANWIL if kind == UnitKind.UPT else UnitKind.DIRECTORATE
        if kind == UnitKind.KANWIL and not parent_slug:
            parent_slug = next((s for s, u in units.items() if u.kind == UnitKind.DIRECTORATE), "")
        parent = units.get(parent_slug)
        if parent is None or parent.kind != expected_parent:
            label = "kode Kanwil" if kind == UnitKind.UPT else "kode Direktorat Jenderal"
            sheet.problem(number, "Induk", f"'{parent_slug[:40]}' bukan {label} yang dikenal")
            continue
        if parent_slug not in in_scope:
            sheet.problem(number, "Induk", f"{parent.name} bukan wilayah wewenang Anda")
            continue
        if existing is not None and existing.kind != kind:
            sheet.problem(
                number, "Jenis", f"{existing.name} berjenis {existing.get_kind_display()}"
            )
            continue
        capacity = None
        try:
            capacity_value = cell_decimal(values["Kapasitas"])
        except ValueError as exc:
            sheet.problem(number, "Kapasitas", str(exc))
            bad = True
        else:
            problem = bounds.COUNT.problem(capacity_value, "kapasitas") if capacity_value else ""
            if problem or (capacity_value is not None and capacity_value != int(capacity_value)):
                sheet.problem(number, "Kapasitas", problem or "kapasitas harus bilangan bulat")
                bad = True
            elif capacity_value is not None:
                capacity = int(capacity_value)
        zone_text = _key(_text(values["Zona waktu"]))
        if zone_text and zone_text not in ZONES:
            sheet.problem(number, "Zona waktu", "tulis WIB, WITA atau WIT, atau kosongkan")
            bad = True
        if bad:
            continue
        fields = {
            "name": name,
            "kind": kind,
            "facility_type": facility_type,
            "facility_class": facility_class,
            "city": city[:100],
            "address": _text(values["Alamat"]),
            "capacity": capacity,
            "time_zone": ZONES.get(zone_text, ""),
            "parent_id": parent.pk,
        }
        rows.append(_UnitRow(number, slug, fields, parent_slug, existing))
    return rows


@dataclass
class _PersonRow:
    row: int
    nip: str
    name: str
    unit_slug: str
    position: str
    existing: Person | None


def _check_people(sheet, known, allowed, result) -> dict[str, _PersonRow]:
    people: dict[str, _PersonRow] = {}
    nips = [_text(v["NIP"]).replace(" ", "") for _, v in sheet.rows]
    existing = {p.nip: p for p in Person.objects.filter(nip__in=nips).select_related("unit")}
    for number, values in sheet.rows:
        nip = _text(values["NIP"]).replace(" ", "").replace(".", "")
        name = _text(values["Nama"])
        unit_slug = _text(values["Unit"]).lower()
        problems = nip_problems(nip)
        if problems:
            sheet.problem(number, "NIP", " ".join(problems))
            continue
        if nip in people:
            sheet.problem(number, "NIP", f"NIP {nip} sudah ada di baris {people[nip].row}")
            continue
        if not name or len(name) > 200:
            sheet.problem(number, "Nama", "nama wajib diisi (paling panjang 200 huruf)")
            continue
        if not sheet.unit_in_scope(number, unit_slug, known, allowed):
            continue
        person = existing.get(nip)
        if person is not None and person.unit.slug not in allowed:
            sheet.problem(
                number, "NIP", f"NIP {nip} terdaftar di {person.unit.name}, di luar wewenang Anda"
            )
            continue
        position = _text(values["Jabatan"])[:200]
        people[nip] = _PersonRow(number, nip, name, unit_slug, position, person)
    return people


@dataclass
class _UserRow:
    row: int
    username: str
    full_name: str
    email: str
    unit_slug: str
    role: str
    existing: User | None


def _check_users(sheet, known, allowed, kind_of, national, result) -> list[_UserRow]:
    rows: list[_UserRow] = []
    user_model = get_user_model()
    names = [_text(v["Nama pengguna"]) for _, v in sheet.rows]
    existing = {u.username: u for u in user_model.objects.filter(username__in=names)}
    outside = set(
        Membership.objects.filter(user__username__in=names)
        .exclude(unit__slug__in=allowed)
        .values_list("user__username", flat=True)
    )
    seen: dict[tuple[str, str, str], int] = {}
    for number, values in sheet.rows:
        username = _text(values["Nama pengguna"])
        full_name = _text(values["Nama lengkap"])[:150]
        email = _text(values["Surel"]).lower()
        unit_slug = _text(values["Unit"]).lower()
        role = ROLES.get(_key(_text(values["Peran"])), "")
        try:
            if not username or len(username) > 150:
                raise ValidationError("wajib diisi, paling panjang 150 huruf")
            UnicodeUsernameValidator()(username)
        except ValidationError:
            sheet.problem(
                number, "Nama pengguna", "huruf, angka dan . @ + - _ saja, paling panjang 150"
            )
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                sheet.problem(number, "Surel", f"'{email[:60]}' bukan alamat surel")
                continue
        if not sheet.unit_in_scope(number, unit_slug, known, allowed):
            continue
        if not role:
            sheet.problem(number, "Peran", "peran tidak dikenal: " + ", ".join(Role.labels))
            continue
        if role not in ROLES_BY_KIND[kind_of[unit_slug]]:
            fitting = ", ".join(Role(r).label for r in sorted(ROLES_BY_KIND[kind_of[unit_slug]]))
            sheet.problem(number, "Peran", f"peran untuk unit ini: {fitting}")
            continue
        if role == Role.ADMIN and not national:
            sheet.problem(number, "Peran", "Admin Nasional hanya diberikan Admin Nasional")
            continue
        user = existing.get(username)
        if user is not None and (username in outside or user.is_superuser):
            sheet.problem(
                number,
                "Nama pengguna",
                f"pengguna {username} sudah ada dan juga bekerja di luar wewenang Anda",
            )
            continue
        key = (username, unit_slug, role)
        if key in seen:
            sheet.problem(number, "Nama pengguna", f"sama dengan baris {seen[key]}")
            continue
        seen[key] = number
        rows.append(_UserRow(number, username, full_name, email, unit_slug, role, user))
    # One account, one name and address: rows that disagree are a problem, not a guess.
    first: dict[str, _UserRow] = {}
    for row in rows:
        other = first.setdefault(row.username, row)
        if (other.full_name, other.email) != (row.full_name, row.email):
            sheet.problem(
                row.row,
                "Nama lengkap",
                f"{row.username} ditulis dengan nama atau surel lain di baris {other.row}",
            )
    return rows


@dataclass
class _HeadRow:
    row: int
    unit_slug: str
    nip: str
    title: str
    start: dt.date
    end: dt.date | None


def _check_heads(sheet, known, allowed, people, result) -> list[_HeadRow]:
    rows: list[_HeadRow] = []
    nips = [_text(v["NIP"]).replace(" ", "") for _, v in sheet.rows]
    registered = set(Person.objects.filter(nip__in=nips).values_list("nip", flat=True))
    for number, values in sheet.rows:
        unit_slug = _text(values["Unit"]).lower()
        nip = _text(values["NIP"]).replace(" ", "").replace(".", "")
        if not sheet.unit_in_scope(number, unit_slug, known, allowed):
            continue
        if nip not in people and nip not in registered:
            sheet.problem(
                number, "NIP", f"NIP {nip[:20]} tidak ada di lembar Pegawai maupun Kinerja"
            )
            continue
        try:
            start = cell_date(values["Mulai"])
            end = cell_date(values["Sampai"])
        except ValueError as exc:
            column = "Mulai" if "Mulai" in str(exc) else "Sampai"
            try:
                cell_date(values["Mulai"])
            except ValueError:
                column = "Mulai"
            sheet.problem(number, column, str(exc))
            continue
        if start is None:
            sheet.problem(number, "Mulai", "tanggal mulai menjabat wajib diisi")
            continue
        if end is not None and end < start:
            sheet.problem(number, "Sampai", "tanggal selesai sebelum tanggal mulai")
            continue
        if not bounds.YEAR_MIN <= start.year <= bounds.YEAR_MAX:
            sheet.problem(number, "Mulai", "tahun di luar 2000-2100")
            continue
        title = _text(values["Jabatan"])[:200]
        if not title:
            sheet.problem(number, "Jabatan", "jabatan kepala wajib diisi (seperti tertulis di PK)")
            continue
        rows.append(_HeadRow(number, unit_slug, nip, title, start, end))
    # Two heads of one unit at once in the file itself.
    by_unit: dict[str, list[_HeadRow]] = {}
    for row in rows:
        by_unit.setdefault(row.unit_slug, []).append(row)
    for unit_rows in by_unit.values():
        unit_rows.sort(key=lambda r: r.start)
        for before, after in itertools.pairwise(unit_rows):
            # An open appointment is closed by the next head's start; a closed one must end first.
            if before.end is not None and before.end >= after.start:
                if before.nip != after.nip:
                    sheet.problem(
                        after.row,
                        "Mulai",
                        f"bertumpang tindih dengan kepala di baris {before.row}; isi Sampai di sana",
                    )
    return rows


def _apply(unit_rows, people, users, heads, by, reason, result) -> None:
    units = {u.slug: u for u in Unit.objects.all()}
    # Units: Kanwil first, so that a facility can sit under a Kanwil of the same file.
    for row in sorted(unit_rows, key=lambda r: r.fields["kind"] != UnitKind.KANWIL):
        unit = row.existing or Unit(slug=row.slug)
        fields = dict(row.fields)
        parent_id = fields.pop("parent_id")
        changed = [k for k, v in fields.items() if getattr(unit, k) != v]
        if unit.pk and unit.parent_id != parent_id:
            changed.append("parent")
        if unit.pk and not changed:
            result.unchanged += 1
            continue
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.parent = Unit.objects.get(pk=parent_id)
        unit.full_clean(validate_unique=False)
        history_note(unit, by=by, reason=reason)
        unit.save()
        units[unit.slug] = unit
        result.changes.append(
            Change(
                "Unit",
                row.row,
                f"{'Diubah' if row.existing else 'Unit baru'}: {unit.name} ({unit.slug})",
            )
        )
    for row in people.values():
        person = row.existing or Person(nip=row.nip)
        wanted = {"name": row.name, "unit_id": units[row.unit_slug].pk, "position": row.position}
        if person.pk and all(getattr(person, k) == v for k, v in wanted.items()):
            result.unchanged += 1
            continue
        for name, value in wanted.items():
            setattr(person, name, value)
        person.full_clean(validate_unique=False)
        history_note(person, by=by, reason=reason)
        person.save()
        result.changes.append(
            Change(
                "Pegawai",
                row.row,
                f"{'Diubah' if row.existing else 'Pegawai baru'}: {person.name} (NIP {person.nip})",
            )
        )
    user_model = get_user_model()
    accounts: dict[str, User] = {}
    for row in users:
        user = accounts.get(row.username) or row.existing
        if user is None:
            user = user_model(username=row.username)
            user.set_unusable_password()
            result.new_users.append(user)
        first, _, last = row.full_name.partition(" ")
        if (user.first_name, user.last_name, user.email) != (first, last, row.email):
            user.first_name, user.last_name, user.email = first, last, row.email
            history_note(user, by=by, reason=reason)
            user.save()
            if row.existing is not None:
                result.changes.append(Change("Pengguna", row.row, f"Diubah: {row.username}"))
        elif user.pk is None:
            user.save()
        if row.existing is None and row.username not in accounts:
            result.changes.append(
                Change("Pengguna", row.row, f"Pengguna baru: {row.username} ({row.full_name})")
            )
        accounts[row.username] = user
        unit = units[row.unit_slug]
        if Membership.objects.filter(user=user, unit=unit, role=row.role).exists():
            result.unchanged += 1
            continue
        membership = Membership(user=user, unit=unit, role=row.role)
        history_note(membership, by=by, reason=reason)
        membership.save()
        result.changes.append(
            Change(
                "Pengguna",
                row.row,
                f"Peran {Role(row.role).label} di {unit.name} untuk {row.username}",
            )
        )
    persons = {p.nip: p for p in Person.objects.filter(nip__in={h.nip for h in heads})}
    for row in sorted(heads, key=lambda r: r.start):
        unit = units[row.unit_slug]
        person = persons[row.nip]
        before = HeadAppointment.objects.filter(unit=unit, person=person, start=row.start).first()
        try:
            appointed = appointment_add(
                unit=unit,
                person=person,
                title=row.title,
                start=row.start,
                end=row.end,
                by=by,
                reason=reason,
            )
        except ValidationError as exc:
            for message in exc.messages:
                result.problems.append(CellProblem(row.row, "D", "Mulai", message, "Kepala"))
            continue
        for other in appointed.closed:
            result.changes.append(
                Change(
                    "Kepala",
                    row.row,
                    f"Penunjukan {other.person.name} di {unit.name} diakhiri {format_date(other.end)}",
                )
            )
        if appointed.created:
            result.changes.append(
                Change(
                    "Kepala",
                    row.row,
                    f"Kepala {unit.name}: {person.name} sejak {format_date(row.start)}",
                )
            )
        elif before is not None and (before.title, before.end) != (row.title, row.end):
            result.changes.append(Change("Kepala", row.row, f"Diubah: {row.title}, {person.name}"))
        else:
            result.unchanged += 1


def first_login_link(user: User) -> str:
    """The one-time address where a new account sets its password (the path, without the host)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


def welcome(users: Iterable[User]) -> tuple[list[User], list[User]]:
    """E-mail each new account its first-login link; returns (sent, not sent): an account without
    an address, or whose mail failed, is on the printable list instead."""
    import logging

    from django.conf import settings
    from django.core.mail import send_mail

    sent, unsent = [], []
    for user in users:
        if not user.email:
            unsent.append(user)
            continue
        link = settings.KINERJA_BASE_URL.rstrip("/") + first_login_link(user)
        body = (
            f"Yth. {user.get_full_name() or user.username},\n\n"
            f"Akun Kinerja Anda sudah dibuat dengan nama pengguna {user.username}. Buka tautan "
            f"berikut untuk menetapkan kata sandi Anda (berlaku "
            f"{settings.PASSWORD_RESET_TIMEOUT // 3600} jam, sekali pakai):\n\n{link}\n\n"
            "Pesan ini dikirim otomatis oleh Kinerja."
        )
        try:
            send_mail("Akun Kinerja Anda", body, None, [user.email], fail_silently=False)
        except Exception:  # noqa: BLE001 - a mail server down leaves the link on the printed list
            logging.getLogger(__name__).exception("welcome mail to %s failed", user.username)
            unsent.append(user)
        else:
            sent.append(user)
    return sent, unsent
