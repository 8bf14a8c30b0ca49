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


def test_a_document_prints_the_organisation_names_of_its_year(demo, login):
    from django.contrib.auth import get_user_model

    from kinerja.documents.common import letterhead

    atambua = Unit.objects.get(slug="lapas-atambua")
    # The demo records the ministry's names by period and the Kanwil's name from 2025.
    assert letterhead(atambua, 2023)[0] == "KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA"
    assert letterhead(atambua, 2025)[0] == "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN"
    assert "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN NUSA TENGGARA TIMUR" in letterhead(
        atambua, 2025
    )
    lkjip_2023 = html_render.render_html(reports.build("lkjip", atambua, 2023))
    assert "KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA" in lkjip_2023
    assert "IMIGRASI" not in lkjip_2023

    # The national administrator records a name from a year; a regional one cannot.
    client = login(get_user_model().objects.get(username="admin"))
    response = client.post(
        "/administrasi/nama-organisasi/",
        {"unit": "", "valid_from": "2030", "name": "Kementerian Pemasyarakatan"},
        follow=True,
    )
    assert "Kementerian Pemasyarakatan berlaku sejak 2030" in response.content.decode()
    assert letterhead(atambua, 2030)[0] == "KEMENTERIAN PEMASYARAKATAN"
    assert letterhead(atambua, 2029)[0] == "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN"
    regional = login(get_user_model().objects.get(username="admin.sulteng"))
    assert regional.get("/administrasi/nama-organisasi/").status_code == 404
