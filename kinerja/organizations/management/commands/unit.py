import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.core.bounds import count_argument
from kinerja.organizations.models import Unit, UnitKind
from kinerja.organizations.services import unit_create

TYPES = ["lapas", "rutan", "lpka", "bapas", "kanwil", "directorate"]


def unit_as_dict(unit: Unit) -> dict:
    return {
        "slug": unit.slug,
        "name": unit.name,
        "kind": unit.kind,
        "type": unit.facility_type or unit.kind,
        "class": unit.facility_class or None,
        "parent": unit.parent.slug if unit.parent else None,
        "city": unit.city,
        "address": unit.address,
        "capacity": unit.capacity,
    }


class Command(BaseCommand):
    help = "Kelola unit kerja: `unit add` menambah unit, `unit list` menampilkan daftar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="tambah unit")
        add.add_argument("--name", required=True)
        add.add_argument("--slug", required=True)
        add.add_argument("--parent", help="kode (slug) unit induk")
        add.add_argument("--type", required=True, choices=TYPES, dest="unit_type")
        add.add_argument(
            "--class", dest="unit_class", default="", choices=["", "I", "IIA", "IIB", "III"]
        )
        add.add_argument("--city", default="")
        add.add_argument("--address", default="")
        add.add_argument("--capacity", type=count_argument)
        lst = sub.add_parser("list", help="daftar unit")
        lst.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "add":
            return self._add(**options)
        units = Unit.objects.select_related("parent").order_by("path")
        if options["json"]:
            self.stdout.write(
                json.dumps([unit_as_dict(u) for u in units], ensure_ascii=False, indent=2)
            )
        else:
            for unit in units:
                depth = unit.path.count("/") - 2
                self.stdout.write(f"{'  ' * depth}{unit.slug}  {unit.name}")

    def _add(self, *, name, slug, parent, unit_type, unit_class, city, address, capacity, **_):
        parent_unit = None
        if parent:
            parent_unit = Unit.objects.filter(slug=parent).first()
            if parent_unit is None:
                raise CommandError(
                    f"Unit induk '{parent}' tidak ditemukan (lihat `kinerja unit list`)."
                )
        if unit_type in ("kanwil", "directorate"):
            kind, facility_type = unit_type, ""
        else:
            kind, facility_type = UnitKind.UPT, unit_type
        try:
            unit = unit_create(
                name=name,
                slug=slug,
                kind=kind,
                parent=parent_unit,
                facility_type=facility_type,
                facility_class=unit_class,
                city=city,
                address=address,
                capacity=capacity,
            )
        except ValidationError as exc:
            details = (
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
                if hasattr(exc, "message_dict")
                else " ".join(exc.messages)
            )
            raise CommandError(f"Unit tidak ditambahkan: {details}") from exc
        self.stdout.write(
            f"Unit ditambahkan: {unit.slug} ({unit.name}) di bawah {parent_unit or '-'}"
        )
