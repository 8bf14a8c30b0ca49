"""Writes of the unit tree, people and memberships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.core.formatting import format_date
from kinerja.core.history_note import history_note
from kinerja.organizations.models import (
    HeadAppointment,
    Membership,
    OrganisationName,
    Person,
    Role,
    Unit,
    UnitKind,
)


@transaction.atomic
def unit_create(
    *,
    name: str,
    slug: str,
    kind: str,
    parent: Unit | None = None,
    facility_type: str = "",
    facility_class: str = "",
    address: str = "",
    city: str = "",
    capacity: int | None = None,
    time_zone: str = "",
) -> Unit:
    """Add a unit to the tree; the tree's rules are checked (a UPT sits under a Kanwil, ...)."""
    if Unit.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"Kode unit '{slug}' sudah dipakai."})
    unit = Unit(
        name=name,
        slug=slug,
        kind=kind,
        parent=parent,
        facility_type=facility_type,
        facility_class=facility_class,
        address=address,
        city=city,
        capacity=capacity,
        time_zone=time_zone,
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_upsert(*, slug: str, **fields: Any) -> Unit:
    """Create the unit or bring it up to date (idempotent; used by the demo loader)."""
    unit = Unit.objects.filter(slug=slug).first()
    if unit is None:
        return unit_create(slug=slug, **fields)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def person_upsert(*, name: str, nip: str | None, unit: Unit, position: str = "") -> Person:
    person = (
        Person.objects.filter(nip=nip).first()
        if nip
        else Person.objects.filter(name=name, unit=unit).first()
    )
    person = person or Person(nip=nip)
    person.name, person.unit, person.position = name, unit, position
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def membership_grant(*, user: User, unit: Unit, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(f"Peran tidak dikenal: {role}")
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return membership


def user_upsert(
    *, username: str, password: str, full_name: str = "", is_superuser: bool = False
) -> User:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    first, _, last = full_name.partition(" ")
    user.first_name, user.last_name = first, last
    user.is_staff = user.is_superuser = is_superuser
    user.set_password(password)
    user.save()
    return user


@dataclass(frozen=True)
class Appointed:
    appointment: HeadAppointment
    closed: list[HeadAppointment]  # earlier heads whose open term this one ended
    created: bool


@transaction.atomic
def appointment_add(
    *,
    unit: Unit,
    person: Person,
    title: str,
    start: dt.date,
    end: dt.date | None = None,
    by: User | None = None,
    reason: str = "",
) -> Appointed:
    """Record a head of record. The head in office before, whose term is open, leaves the day
    before; an overlap with a closed term is refused with the dates. The same person, unit and
    start again updates the title and end (idempotent)."""
    title = " ".join(title.split())[:200]
    if not title:
        raise ValidationError({"title": "Jabatan kepala wajib diisi (seperti tertulis di PK)."})
    if end is not None and end < start:
        raise ValidationError({"end": "Tanggal selesai sebelum tanggal mulai."})
    same = HeadAppointment.objects.filter(unit=unit, person=person, start=start).first()
    if same is not None:
        if (same.title, same.end) != (title, end):
            same.title, same.end = title, end
            history_note(same, by=by, reason=reason)
            same.save()
        return Appointed(same, [], False)
    closed = []
    until = end or dt.date.max
    for other in (
        HeadAppointment.objects.select_for_update()
        .filter(unit=unit)
        .exclude(person=person)
        .select_related("person")
        .order_by("start")
    ):
        if other.start < start and other.end is None:
            other.end = start - dt.timedelta(days=1)
            history_note(other, by=by, reason=reason)
            other.save()
            closed.append(other)
        elif other.start <= until and start <= (other.end or dt.date.max):
            period = f"sejak {format_date(other.start)}" + (
                f" s.d. {format_date(other.end)}" if other.end else ""
            )
            raise ValidationError(
                {"start": f"bertumpang tindih dengan {other.person.name} ({period})"}
            )
    appointment = HeadAppointment(unit=unit, person=person, title=title, start=start, end=end)
    history_note(appointment, by=by, reason=reason)
    appointment.full_clean()
    appointment.save()
    return Appointed(appointment, closed, True)


UNIT_FIELDS = (
    "name",
    "facility_type",
    "facility_class",
    "city",
    "address",
    "capacity",
    "time_zone",
    "results_by_month",
)


@transaction.atomic
def unit_save(*, unit: Unit, by: User | None = None, **fields: Any) -> Unit:
    """Change a unit's own facts (name, type, class, city, address, capacity, zone, monthly
    results); its place in the tree and its code stay."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    history_note(unit, by=by)
    unit.save()
    return unit


@transaction.atomic
def person_save(
    *,
    unit: Unit,
    name: str,
    nip: str | None,
    position: str = "",
    person: Person | None = None,
    by: User | None = None,
) -> Person:
    """Add a person to a unit, or correct one (name, NIP, position). The NIP is checked and unique."""
    person = person or Person()
    person.unit, person.name, person.position = unit, " ".join(name.split()), position.strip()
    person.nip = (nip or "").replace(" ", "") or None
    person.full_clean()
    history_note(person, by=by)
    person.save()
    return person


@transaction.atomic
def account_create(
    *, username: str, full_name: str, email: str = "", by: User | None = None
) -> User:
    """A new account without a password: its owner sets one from a first-login link."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError({"username": f"Nama pengguna {username} sudah dipakai."})
    first, _, last = " ".join(full_name.split()).partition(" ")
    user = user_model(username=username, first_name=first, last_name=last, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    history_note(user, by=by, reason="Akun baru")
    user.save()
    return user


@transaction.atomic
def membership_revoke(*, membership: Membership, by: User | None = None) -> None:
    history_note(membership, by=by, reason="Peran dicabut")
    membership.delete()


@transaction.atomic
def organisation_name_set(
    *, unit: Unit | None, valid_from: int, name: str, by: User | None = None
) -> OrganisationName:
    """The name an organisation carries from `valid_from` on (the ministry when `unit` is None);
    the same unit and year again corrects it. Facilities are named on their own record."""
    if unit is not None and unit.kind == UnitKind.UPT:
        raise ValidationError({"unit": "Nama per periode untuk kementerian, Ditjen dan Kanwil."})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Nama wajib diisi."})
    entry = OrganisationName.objects.filter(unit=unit, valid_from=valid_from).first()
    entry = entry or OrganisationName(unit=unit, valid_from=valid_from)
    entry.name = name
    entry.full_clean(validate_constraints=False)
    history_note(entry, by=by)
    entry.save()
    return entry


__all__ = [
    "UnitKind",
    "unit_create",
    "unit_upsert",
    "person_upsert",
    "membership_grant",
    "user_upsert",
    "appointment_add",
    "unit_save",
    "person_save",
    "account_create",
    "membership_revoke",
    "organisation_name_set",
]
