"""The catalogue by period (issue 17, point 4): the 2025 catalogue retires, adds and renames IKK
without changing an earlier year's documents."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kinerja.core.render import html_render
from kinerja.documents import reports
from kinerja.indicators.models import Indicator
from kinerja.indicators.services import indicator_save
from kinerja.organizations.models import Unit
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja

RENAMED = "Persentase pemenuhan makanan layak bagi Tahanan/Narapidana/Anak sesuai standar gizi"


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def change_the_2025_catalogue() -> None:
    retired = Indicator.objects.get(code="IKK-1.7")
    retired.valid_to = 2024
    retired.save()
    food = Indicator.objects.get(code="IKK-1.1")
    variables = {v.symbol: v.description for v in food.variables.all()}
    indicator_save(
        code=food.code,
        level=food.level,
        goal=food.goal,
        name=RENAMED,
        unit=food.unit,
        formula=food.formula,
        variables=variables,
        direction=food.direction,
        order=food.order,
        description=food.description,
        aggregation=food.aggregation,
    )
    indicator_save(
        code="IKK-1.9",
        level=food.level,
        goal=food.goal,
        name="Persentase Tahanan/Narapidana/Anak yang mendapat layanan rehabilitasi sosial",
        unit="%",
        formula="A / B * 100",
        variables={"A": "Jumlah yang mendapat layanan", "B": "Jumlah yang memerlukan layanan"},
        order=9,
        valid_from=2025,
    )


def test_the_2025_catalogue_change_leaves_the_2023_documents_as_they_were(demo):
    atambua = Unit.objects.get(slug="lapas-atambua")
    old_name = Indicator.objects.get(code="IKK-1.1").name
    before = {
        kind: html_render.render_html(reports.build(kind, atambua, 2023))
        for kind in ("lkjip", "pk")
    }
    assert old_name in before["lkjip"] and old_name in before["pk"]
    change_the_2025_catalogue()
    after = {
        kind: html_render.render_html(reports.build(kind, atambua, 2023))
        for kind in ("lkjip", "pk")
    }
    assert after == before  # every figure and every name, byte for byte
    assert RENAMED not in after["lkjip"]

    # The 2025 catalogue is the changed one, and next year's PK takes it.
    in_force = set(Indicator.objects.in_force(2025).values_list("code", flat=True))
    assert "IKK-1.7" not in in_force and "IKK-1.9" in in_force
    assert "IKK-1.7" in set(Indicator.objects.in_force(2023).values_list("code", flat=True))
    previous = PerjanjianKinerja.objects.in_force(atambua, 2023)
    started = planning.pk_start_from(previous=previous, year=2025)
    rows = {r.indicator.code: r for r in started.agreement.indicators.select_related("indicator")}
    assert started.retired == ["IKK-1.7"] and started.added == ["IKK-1.9"]
    assert rows["IKK-1.1"].name == RENAMED
    assert "IKK-1.7" not in rows
    assert previous.indicators.get(indicator__code="IKK-1.1").name == old_name
