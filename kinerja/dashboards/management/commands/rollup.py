"""`kinerja rollup --unit SLUG --year YEAR [--quarter N] [--json]`: the roll-up of a Kanwil or the
directorate, per IKK and per child unit, from the one roll-up path the dashboards read.

`kinerja rollup --store [--year YEAR]`: compute and store every facility's figures again (after a
bulk write outside the services, or a change to the catalogue's formulas); the pages are exact
without it, only slower while many figures are not current."""

import json
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from kinerja import calc
from kinerja.core.bounds import year_argument
from kinerja.core.formatting import TRIWULAN, format_number, format_percent
from kinerja.dashboards.rollup import rollup, store_figures
from kinerja.dashboards.serialize import rollup_json
from kinerja.organizations.models import Unit, UnitKind
from kinerja.planning.models import PerjanjianKinerja


class Command(BaseCommand):
    help = (
        "Agregat capaian IKK satu Kanwil atau Ditjen: jumlah variabel UPT, realisasi dan capaian "
        "dari jumlah itu (ΣA / ΣB), jumlah UPT per status, dan hal yang sama per unit di bawahnya."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="kode (slug) Kanwil atau Ditjen")
        parser.add_argument("--year", type=year_argument)
        parser.add_argument(
            "--store",
            action="store_true",
            help="hitung dan simpan ulang angka IKK setiap UPT (semua tahun, atau --year)",
        )
        parser.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), default=None)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, unit, year, quarter, **options):
        if options["store"]:
            self._store(year)
            return
        if not unit or year is None:
            raise CommandError("--unit dan --year wajib diisi (atau --store).")
        found = Unit.objects.filter(slug=unit).first()
        if found is None:
            raise CommandError(f"Unit '{unit}' tidak ditemukan.")
        if found.kind == UnitKind.UPT:
            raise CommandError(
                f"{found.name} adalah UPT; agregat dibuat untuk Kanwil atau Ditjen "
                f"(untuk satu UPT: kinerja results --unit {found.slug} --year {year})."
            )
        result = rollup(found, year, quarter=quarter)
        if options["json"]:
            self.stdout.write(json.dumps(rollup_json(result), ensure_ascii=False, indent=2))
            return
        period = f"s.d. {TRIWULAN[quarter]} " if quarter else ""
        self.stdout.write(
            f"{result.unit.name} {period}{year}: {len(result.facilities)} UPT, "
            f"{len(result.agreements)} dengan PK"
        )
        for item in result.indicators:
            self.stdout.write(f"{item.indicator.code:<8} {_line(item.aggregate)}")
        for child in result.children:
            self.stdout.write(f"\n{child.unit.name} ({child.facilities} UPT)")
            for item in result.indicators:
                a = child.aggregates.get(item.indicator.id)
                if a is not None:
                    self.stdout.write(f"  {item.indicator.code:<8} {_line(a)}")

    def _store(self, year: int | None) -> None:
        started = time.monotonic()
        agreements = PerjanjianKinerja.objects.all()
        if year is not None:
            agreements = agreements.filter(year=year)
        ids = list(agreements.values_list("id", flat=True))
        stored = store_figures(ids)
        self.stdout.write(
            f"{stored:,} angka IKK disimpan ({len(ids):,} PK) dalam "
            f"{time.monotonic() - started:.1f} detik.".replace(",", ".")
        )


def _line(a: calc.Aggregate) -> str:
    if a.realisation is None:
        shown = "tidak diagregasi" if a.mode == calc.Aggregation.NONE else "belum diisi"
    elif a.realisation.is_na:
        shown = f"N/A ({a.realisation.na_reason})"
    elif a.achievement is not None and a.achievement.raw is not None:
        shown = format_percent(a.achievement.raw)
    else:
        shown = format_number(a.realisation.value or Decimal(0), 2)
    counts = ", ".join(f"{s.label.lower()} {a.counts[s]}" for s in calc.Standing if a.counts[s])
    return f"{shown:<28} [{counts}] {a.computation}"
