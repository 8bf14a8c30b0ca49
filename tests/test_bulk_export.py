"""Bulk export (dashboards.bulk): results, budget and review findings of a unit and every facility
below it, a year or a range, XLSX or CSV; the same figures as the pages; user text never a formula;
from `kinerja export`, the API and the dashboards, each with the unit access rule."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import load_workbook

from kinerja.api.services import token_create
from kinerja.dashboards import bulk
from kinerja.dashboards.rollup import facilities_below
from kinerja.organizations.models import Unit
from kinerja.review.services import review_compute

pytestmark = pytest.mark.django_db


def csv_rows(content: bytes, separator: str) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))


def command_json(*args):
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_results_are_each_facilitys_own_figures_with_an_indonesian_decimal_comma(demo):
    region = Unit.objects.get(slug="kanwil-ntt")
    table = bulk.results_table(region, facilities_below(region), [2023])
    rows = csv_rows(bulk.to_csv(table, ";"), ";")
    own = {
        r["code"]: r for r in command_json("results", "--unit", "lapas-atambua", "--year", "2023")
    }
    mine = [r for r in rows if r["Kode UPT"] == "lapas-atambua"]
    assert {r["Kode IKK"] for r in mine} == set(own)
    for row in mine:
        expected = own[row["Kode IKK"]]

        def comma(value):
            return "" if value is None else value.rstrip("0").rstrip(".").replace(".", ",")

        assert row["Realisasi"] == comma(expected["realisation"]), row["Kode IKK"]
        assert row["Capaian (%)"] == comma(expected["achievement"]), row["Kode IKK"]
        if not expected["recorded"]:
            assert row["Keterangan"] == "Belum diisi" and row["Realisasi"] == ""
        elif expected["na"]:
            assert row["Keterangan"].startswith("N/A") and row["Realisasi"] == ""
    # the "," CSV writes decimal points
    plain = csv_rows(bulk.to_csv(table, ","), ",")
    assert any("." in r["Capaian (%)"] for r in plain)


def test_user_text_is_never_a_formula_in_xlsx_or_csv(demo):
    Unit.objects.filter(slug="lapas-atambua").update(name='=HYPERLINK("http://x","klik")')
    unit = Unit.objects.get(slug="lapas-atambua")
    table = bulk.results_table(unit, Unit.objects.filter(pk=unit.pk), [2023])
    sheet = load_workbook(io.BytesIO(bulk.to_xlsx(table))).active
    names = [c for c in sheet["D"] if c.value and str(c.value).startswith("=HYPERLINK")]
    assert names and all(c.data_type == "s" for c in names)
    rows = csv_rows(bulk.to_csv(table, ";"), ";")
    assert rows[0]["UPT"] == '\'=HYPERLINK("http://x","klik")'


def test_a_range_of_years_of_budget_and_the_review_findings(demo):
    unit = Unit.objects.get(slug="lapas-atambua")
    only = Unit.objects.filter(pk=unit.pk)
    budget = bulk.budget_table(unit, only, bulk.parse_years("2022-2023"))
    assert [r[0] for r in budget.rows] == [2022, 2023]
    total = command_json("budget", "--unit", "lapas-atambua", "--year", "2023")["total"]
    assert budget.rows[1][5] == Decimal(total["pagu"])
    review = bulk.review_table(unit, only, [2023])
    assert len(review.rows) == len(review_compute(unit=unit, year=2023).findings) > 0


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2023-2021", "sebelum"),
        ("2010-2025", "paling banyak 10"),
        ("dua ribu", "2021-2025"),
        ("1999", "2000"),
    ],
)
def test_a_wrong_year_range_says_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        bulk.parse_years(text)


def test_the_command_writes_the_file_and_refuses_a_wrong_year(demo, tmp_path):
    out = io.StringIO()
    target = tmp_path / "ntt.xlsx"
    call_command(
        "export",
        "--unit",
        "kanwil-ntt",
        "--year",
        "2023",
        "--what",
        "results",
        "-o",
        str(target),
        stdout=out,
    )
    sheet = load_workbook(target).active
    assert sheet["A3"].value == "Tahun" and sheet.max_row > 3
    assert "baris" in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "export",
            "--unit",
            "kanwil-ntt",
            "--year",
            "2023-2020",
            "--what",
            "results",
            "-o",
            str(target),
        )


def key_for(username):
    return token_create(user=get_user_model().objects.get(username=username), name="ekspor")[1]


def test_the_api_exports_what_the_caller_may_see_within_its_limit(demo, monkeypatch):
    def fetch(username, slug, **params):
        return Client().get(
            f"/api/v1/units/{slug}/export", params, HTTP_AUTHORIZATION=f"Bearer {key_for(username)}"
        )

    ok = fetch(
        "evaluator.ntt", "kanwil-ntt", what="results", years="2023", format="csv", separator=";"
    )
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/csv")
    assert "attachment" in ok["Content-Disposition"]
    rows = csv_rows(ok.content, ";")
    assert rows and {r["Kode UPT"] for r in rows} == {"lapas-atambua"}
    # another region's evaluator, and a facility's user for its region: 404
    assert fetch("evaluator.sulteng", "kanwil-ntt", what="results", years="2023").status_code == 404
    assert fetch("operator.atambua", "kanwil-ntt", what="results", years="2023").status_code == 404
    # the national reader sees only the facilities below the unit asked for
    national = fetch("pimpinan", "ditjenpas", what="budget", years="2023", format="xlsx")
    assert national.status_code == 200
    assert load_workbook(io.BytesIO(national.content)).active["A3"].value == "Tahun"
    bad = fetch("pimpinan", "ditjenpas", what="results", years="2023-2019")
    assert bad.status_code == 422 and bad.json()["field"] == "query.years"
    monkeypatch.setitem(bulk.ONLINE_LIMIT, "results", 1)
    large = fetch("pimpinan", "ditjenpas", what="results", years="2023")
    assert large.status_code == 422 and "kinerja export" in large.json()["message"]


def test_the_dashboard_downloads_the_filtered_facilities(demo, client):
    client.force_login(get_user_model().objects.get(username="pimpinan"))
    page = client.get("/wilayah/ditjenpas/?tahun=2023&tipe=lapas").content.decode()
    assert 'action="/wilayah/ditjenpas/unduh/data/"' in page and 'name="tipe" value="lapas"' in page
    response = client.get(
        "/wilayah/ditjenpas/unduh/data/",
        {"jenis": "results", "tahun": "2023", "format": "csv:;", "tipe": "bapas"},
    )
    assert response.status_code == 200
    rows = csv_rows(response.content, ";")
    kinds = set(
        Unit.objects.filter(slug__in={r["Kode UPT"] for r in rows}).values_list(
            "facility_type", flat=True
        )
    )
    assert rows and kinds == {"bapas"}
    back = client.get("/wilayah/ditjenpas/unduh/data/", {"jenis": "results", "tahun": "kemarin"})
    assert back.status_code == 302
    assert "Ekspor tidak dibuat" in client.get(back["Location"]).content.decode()
    outsider = Client()
    outsider.force_login(get_user_model().objects.get(username="evaluator.sulteng"))
    assert (
        outsider.get(
            "/wilayah/kanwil-ntt/unduh/data/", {"jenis": "results", "tahun": "2023"}
        ).status_code
        == 404
    )
