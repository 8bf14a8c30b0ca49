"""The LKE framework from its data file (`data/lke-*.json`, naming the regulation), and read back as
calc's structures. `framework_sync` writes it (a migration seeds it; `kinerja lke --sync` refreshes
it); a framework already used by a submitted or finished evaluation is never rewritten."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
DEFAULT_FILE = DATA / "lke-permenpanrb-88-2021.json"


def read(path: Path = DEFAULT_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write(data: dict[str, Any], models: dict[str, Any]) -> Any:
    """Create or replace the framework `data["code"]` with the given model classes (the app's own,
    or a migration's historical ones). The caller checks it is not in use and runs it atomically."""
    Framework = models["Framework"]
    Component, SubComponent, Criterion = (
        models["Component"],
        models["SubComponent"],
        models["Criterion"],
    )
    framework, _ = Framework.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "regulation": data["regulation"],
            "year_from": data["year_from"],
            "year_to": data.get("year_to"),
            "scales": data["scales"],
            "grades": data["grades"],
        },
    )
    by_key: dict[str, Any] = {}
    pending: list[tuple[Any, str]] = []
    kept_components = []
    for c in data["components"]:
        component, _ = Component.objects.update_or_create(
            framework=framework,
            number=c["number"],
            defaults={"name": c["name"], "weight": Decimal(c["weight"])},
        )
        kept_components.append(component.pk)
        kept_subs = []
        for s in c["subcomponents"]:
            sub, _ = SubComponent.objects.update_or_create(
                component=component,
                number=s["number"],
                defaults={"aspect": s["aspect"], "name": s["name"], "weight": Decimal(s["weight"])},
            )
            kept_subs.append(sub.pk)
            kept = []
            for k in s["criteria"]:
                criterion, _ = Criterion.objects.update_or_create(
                    sub=sub,
                    number=k["number"],
                    defaults={
                        "text": k["text"],
                        "scale": k.get("scale", "AE"),
                        "weight": Decimal(k.get("weight", "1")),
                        "prefill": k.get("prefill") or "",
                        "depends_on": None,
                    },
                )
                kept.append(criterion.pk)
                by_key[f"{c['number']}.{s['number']}.{k['number']}"] = criterion
                if k.get("depends_on"):
                    pending.append((criterion, k["depends_on"]))
            Criterion.objects.filter(sub=sub).exclude(pk__in=kept).delete()
        SubComponent.objects.filter(component=component).exclude(pk__in=kept_subs).delete()
    Component.objects.filter(framework=framework).exclude(pk__in=kept_components).delete()
    for criterion, key in pending:
        criterion.depends_on = by_key[key]
        criterion.save(update_fields=["depends_on"])
    return framework
