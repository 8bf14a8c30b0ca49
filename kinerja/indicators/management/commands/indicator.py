import json

from django.core.management.base import BaseCommand

from kinerja.indicators.models import Indicator
from kinerja.indicators.services import catalogue_sync


class Command(BaseCommand):
    help = "Katalog indikator: `indicator list [--json]`, `indicator sync` (muat katalog nasional)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        lst = sub.add_parser("list")
        lst.add_argument("--json", action="store_true")
        lst.add_argument("--level", choices=["iku", "ikp", "ikk"])
        sub.add_parser("sync")

    def handle(self, *args, action, **options):
        if action == "sync":
            self.stdout.write(f"{catalogue_sync()} indikator dimuat dari katalog nasional.")
            return
        indicators = Indicator.objects.select_related("goal").prefetch_related("variables")
        if options.get("level"):
            indicators = indicators.filter(level=options["level"])
        data = [
            {
                "code": i.code,
                "level": i.level,
                "goal": i.goal.code,
                "goal_name": i.goal.name,
                "name": i.name,
                "unit": i.unit,
                "direction": i.direction,
                "aggregation": i.aggregation,
                "formula": i.formula,
                "variables": {v.symbol: v.description for v in i.variables.all()},
                "active": i.active,
            }
            for i in indicators
        ]
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            for item in data:
                self.stdout.write(
                    f"{item['code']:<9} {item['unit']:<8} {item['formula']:<32} {item['name']}"
                )
