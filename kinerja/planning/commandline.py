"""Lookups shared by the `kinerja` subcommands, with the messages a person at the terminal needs."""

from __future__ import annotations

from django.core.management.base import CommandError

from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja


def unit_or_error(slug: str) -> Unit:
    unit = Unit.objects.filter(slug=slug).first()
    if unit is None:
        raise CommandError(f"Unit '{slug}' tidak ditemukan (lihat `kinerja unit list`).")
    return unit


def agreement_or_error(slug: str, year: int, *, in_force: bool = False) -> PerjanjianKinerja:
    """The newest version (the plan being prepared), or with in_force the one whose results count."""
    unit = unit_or_error(slug)
    pick = PerjanjianKinerja.objects.in_force if in_force else PerjanjianKinerja.objects.latest_for
    agreement = pick(unit, year)
    if agreement is None:
        raise CommandError(f"Belum ada Perjanjian Kinerja {unit} tahun {year}.")
    return agreement
