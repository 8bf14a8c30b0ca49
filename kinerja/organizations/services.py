"""Writes of the unit tree, people and memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.organizations.models import Membership, Person, Role, Unit, UnitKind


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


__all__ = [
    "UnitKind",
    "unit_create",
    "unit_upsert",
    "person_upsert",
    "membership_grant",
    "user_upsert",
]
