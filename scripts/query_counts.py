"""Queries per page on the demo and on a 240-line DIPA, for docs/performance.md.

    PYTHONPATH=$PWD pytest scripts/query_counts.py -q -s -p no:cacheprovider
    DATABASE_URL=postgres://... PYTHONPATH=$PWD pytest scripts/query_counts.py -q -s ...

Prints one line per measurement: what, queries, milliseconds (best of three)."""

import io
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.budget import services as budget
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja
from kinerja.review.services import review_compute


def measure(label, action):
    best, count = None, None
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            action()
            elapsed = (time.perf_counter() - start) * 1000
        count = len(queries.captured_queries)
        best = elapsed if best is None else min(best, elapsed)
    print(f"QUERIES | {label} | {count} | {best:.0f} ms")


def get(client, url):
    def action():
        page = client.get(url)
        assert page.status_code == 200, url

    return action


def test_query_counts(db):
    call_command("demo", stdout=io.StringIO())
    users = get_user_model().objects
    operator, evaluator = Client(), Client()
    operator.force_login(users.get(username="operator.atambua"))
    evaluator.force_login(users.get(username="evaluator.ntt"))
    slug, year = "lapas-atambua", 2023
    pages = {
        "results": reverse("results", args=[slug]) + f"?tahun={year}",
        "entry page": reverse("entry", args=[slug, year, 1]),
        "budget": reverse("budget", args=[slug]) + f"?tahun={year}",
        "review": reverse("review", args=[slug]) + f"?tahun={year}",
        "documents": reverse("documents", args=[slug]) + f"?tahun={year}",
    }
    for label, url in pages.items():
        measure(f"{label} (Atambua 2023)", get(operator, url))
    measure("region (Kanwil NTT)", get(evaluator, reverse("region", args=["kanwil-ntt"])))
    unit = Unit.objects.get(slug=slug)
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    row = agreement.indicators.filter(indicator__level="ikk").order_by("id").first()
    url = reverse("entry_row", args=[slug, year, 1, row.id])
    data = {f"v_{v.symbol}": "3" for v in row.indicator.variables.all()}

    def save():
        page = operator.post(url, data, HTTP_HX_REQUEST="true")
        assert page.status_code == 200

    save()  # the first save stores the realisation; measured: saving it again
    measure("entry save, one IKK (htmx)", save)
    measure("review computed (Atambua 2023)", lambda: review_compute(unit=unit, year=year))

    # A 240-line DIPA: programme, activity, KRO, 79 RO with 3 components each.
    luwuk = Unit.objects.get(slug="lapas-luwuk")
    big = 2026
    programme = budget.line_add(unit=luwuk, year=big, level="program", code="WA", name="P")
    activity = budget.line_add(
        unit=luwuk, year=big, level="activity", code="5252", name="K", parent=programme
    )
    kro = budget.line_add(
        unit=luwuk, year=big, level="kro", code="BDC", name="KRO", parent=activity
    )
    for r in range(79):
        ro = budget.line_add(
            unit=luwuk, year=big, level="ro", code=f"{r + 1:03d}", name=f"RO {r}", parent=kro
        )
        for c in range(3):
            budget.line_add(
                unit=luwuk,
                year=big,
                level="component",
                code=f"{c + 51:03d}",
                name=f"Komponen {c}",
                parent=ro,
                pagu=Decimal(1_000_000),
                spending_type="52",
            )
    luwuk_operator = Client()
    luwuk_operator.force_login(users.get(username="operator.luwuk"))
    measure(
        "budget, 240-line DIPA",
        get(luwuk_operator, reverse("budget", args=["lapas-luwuk"]) + f"?tahun={big}"),
    )
    measure("review computed, 240-line DIPA", lambda: review_compute(unit=luwuk, year=big))
