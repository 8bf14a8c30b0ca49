"""The budget: DIPA lines, monthly plan and realisation, budget performance and the IKPA estimate."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from kinerja import calc
from kinerja.budget import services
from kinerja.budget.models import DipaLine, PaguRevision, SpendingMonth
from kinerja.budget.selectors import budget_overview
from kinerja.core.formatting import format_percent, format_rupiah


def budget_json(slug, year):
    out = io.StringIO()
    call_command("budget", "--unit", slug, "--year", str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


# --- The reference facilities ---------------------------------------------------------------


def test_atambua_2023_gives_the_totals_of_its_annual_report(demo):
    data = budget_json("lapas-atambua", 2023)
    total = data["total"]
    assert total["pagu"] == "6946743000" and total["realisasi"] == "6904019875"
    assert total["penyerapan"] == "99.38"
    # Tabel 3.71: per activity, from the RO the report lists (the KRO subtotals it prints for EBA and
    # EBD do not add up; Kinerja never types a subtotal).
    rows = {r["kode"]: r for r in data["baris"]}
    assert (rows["5252"]["pagu"], rows["5252"]["realisasi"]) == ("1966495000", "1957997800")
    assert (rows["6231"]["pagu"], rows["6231"]["realisasi"]) == ("4980248000", "4946022075")
    assert rows["5252"]["penyerapan"] == "99.57" and rows["6231"]["penyerapan"] == "99.31"
    assert rows["6231.EBA"]["realisasi"] == "4528710005"  # printed: 4.362.114.022


def test_atambua_2023_per_spending_type_matches_the_report_table_and_shows_its_one_slip(demo):
    data = budget_json("lapas-atambua", 2023)
    types = data["per_jenis_belanja"]
    reported = data["dilaporkan_per_jenis_belanja"]
    # Tabel 3.72 as printed.
    assert (reported["51"]["pagu"], reported["51"]["realisasi"]) == ("3628749000", "3601507881")
    assert (reported["52"]["pagu"], reported["52"]["realisasi"]) == ("2992455000", "2977098143")
    assert (reported["53"]["pagu"], reported["53"]["realisasi"]) == ("325539000", "325413570")
    # From the DIPA lines: the same pagu and absorption for every type ...
    for code, absorption in (("51", "99.25"), ("52", "99.49"), ("53", "99.96")):
        assert types[code]["pagu"] == reported[code]["pagu"]
        assert types[code]["penyerapan"] == absorption
    assert types["51"]["realisasi"] == "3601507881" and types["53"]["realisasi"] == "325413570"
    # ... but the printed Belanja Barang realisation is Rp 281 short of what the lines (and the
    # printed total) give: 3.601.507.881 + 2.977.098.143 + 325.413.570 = 6.904.019.594.
    assert data["selisih_laporan"] == [
        {
            "jenis_belanja": "52",
            "angka": "realisasi",
            "dilaporkan": "2977098143",
            "dari_baris_dipa": "2977098424",
            "selisih": "281",
        }
    ]


def test_atambua_budget_performance_is_60_smart_40_ikpa(demo):
    performance = budget_json("lapas-atambua", 2023)["kinerja_anggaran"]
    assert performance["smart"] == "99.84" and performance["ikpa"] == "98.96"
    # 0,6 × 99,84 + 0,4 × 98,96 = 59,904 + 39,584 = 99,488
    assert performance["capaian_kinerja_anggaran"] == "99.49"
    assert performance["bobot"]["smart"] == "60" and performance["bobot"]["ikpa"] == "40"
    # No monthly RPD in the report: no estimate is invented.
    assert performance["perkiraan_ikpa"]["nilai"] is None
    assert "RPD" in performance["perkiraan_ikpa"]["keterangan"]


def test_the_luwuk_security_activity_funds_four_ikk_and_is_counted_once(demo):
    data = budget_json("lapas-luwuk", 2024)
    assert data["total"]["pagu"] == "9485886000"  # each Rencana Aksi activity once
    security = [i for i in data["ikk"] if i["kode"] in ("IKK-3.1", "IKK-3.2", "IKK-3.3", "IKK-3.4")]
    assert len(security) == 4
    assert {i["pagu"] for i in security} == {"67345000"}
    lines = [r for r in data["baris"] if r["uraian"] == "Penegakkan Keamanan dan Ketertiban"]
    assert len(lines) == 1
    # Blocked amounts from the remarks, TW I realisation from the plan.
    assert data["total"]["blokir"] == str(464229000 + 10257000)
    assert data["total"]["realisasi"] == str(
        636431901 + 2350000 + 500000 + 2910000 + 2910000 + 598189684
    )


def test_the_three_year_comparison_uses_reported_years_and_lines(demo, client):
    from kinerja.budget.selectors import years_by_type
    from kinerja.organizations.models import Unit

    rows = years_by_type(Unit.objects.get(slug="lapas-atambua"), [2021, 2022, 2023])
    assert [r["year"] for r in rows] == [2021, 2022, 2023]
    assert rows[0]["realised"] == D("6656481008") and rows[1]["realised"] == D("7060879003")
    assert rows[2]["realised"] == D("6904019875") and rows[2]["source"] == "baris DIPA"


# --- Arithmetic and rules -----------------------------------------------------------------------


def test_absorption_deviation_and_efficiency():
    assert format_percent(calc.absorption(D("6904019875"), D("6946743000"))) == "99,38%"
    assert calc.absorption(D(5), D(0)) is None
    assert calc.deviation(D(300), D(150)) == D(50)
    assert calc.deviation(D(0), D(0)) == D(0)
    assert calc.deviation(D(0), D(10)) == D(100)
    assert calc.deviation(D(100), D(500)) == D(100)  # at most 100
    assert calc.efficiency(D("125"), D("99.92")) == D("25.08")
    assert calc.efficiency(None, D("99.92")) is None


def test_budget_performance_needs_both_scores():
    weights = {"smart": D(60), "ikpa": D(40)}
    assert calc.budget_performance(D(100), D(50), weights) == D(80)
    assert calc.budget_performance(D(100), None, weights) is None


def hand_worked_year():
    """Two spending types; 53 has no pagu and is left out. Worked out by hand in the test below."""
    return {
        "available": {"51": D(1_000_000), "52": D(3_000_000), "53": D(0)},
        "planned": {
            "51": {m: D(100_000) for m in range(1, 7)},
            "52": {1: D(0), 2: D(300_000), 3: D(300_000), 4: D(500_000), 5: D(500_000), 6: D(500_000)},
        },
        "realised": {
            "51": {1: D(100_000), 2: D(100_000), 3: D(100_000), 4: D(50_000), 5: D(150_000), 6: D(100_000)},
            "52": {1: D(0), 2: D(150_000), 3: D(300_000), 4: D(300_000), 5: D(400_000), 6: D(200_000)},
        },
    }  # fmt: skip


def test_the_ikpa_estimate_on_a_year_worked_out_by_hand():
    year = hand_worked_year()
    estimate = calc.ikpa_estimate(
        **year,
        targets={"51": {1: D(20), 2: D(50)}, "52": {1: D(15), 2: D(50)}},
        weights={"penyerapan": D(20), "deviasi": D(15), "capaian_output": D(25), "lain": D(40)},
        through_month=6,
    )
    # Penyerapan. TW I: 51 spent 300.000 of 200.000 due (20%) -> 100 (capped); 52 spent 450.000 of
    # 450.000 due (15%) -> 100; TW I = 100. TW II: 51 600.000 of 500.000 -> 100; 52 1.350.000 of
    # 1.500.000 -> 90; weighted by available pagu (1 : 3): (100 + 270) / 4 = 92,5. Mean: 96,25.
    assert estimate.absorption_quarters == {1: D(100), 2: D("92.5")}
    assert estimate.absorption == D("96.25")
    # Deviasi per month (weights 1 : 3): Jan 0; Feb 52 |150-300|/300 = 50 -> 37,5; Mar 0;
    # Apr 51 50, 52 40 -> 42,5; May 51 50, 52 20 -> 27,5; Jun 51 0, 52 60 -> 45.
    assert [estimate.deviation_months[m] for m in range(1, 7)] == [
        D(0), D("37.5"), D(0), D("42.5"), D("27.5"), D(45),
    ]  # fmt: skip
    # 100 − 152,5 / 6 = 74,58333…; estimate = (20 × 96,25 + 15 × 74,58333…) / 35 = 86,96
    assert format_percent(estimate.deviation) == "74,58%"
    assert format_percent(estimate.score) == "86,96%"
    assert estimate.weight_covered == D(35)


def test_the_estimate_waits_for_a_plan_and_for_a_finished_quarter():
    year = hand_worked_year()
    no_plan = calc.ikpa_estimate(
        **{**year, "planned": {}},
        targets={},
        weights={"penyerapan": D(20), "deviasi": D(15)},
        through_month=6,
    )
    assert no_plan.score is None and "RPD" in no_plan.reason
    february = calc.ikpa_estimate(
        **year,
        targets={"51": {1: D(20)}, "52": {1: D(15)}},
        weights={"penyerapan": D(20), "deviasi": D(15)},
        through_month=2,
    )
    assert february.absorption is None and "triwulan" in february.reason
    assert format_percent(february.score) == format_percent(D(100) - D("37.5") / 2)


def make_year(world, year=2024):
    """The hand-worked year as DIPA lines of Luwuk, entered month by month through the service."""
    hand = hand_worked_year()
    salaries = services.line_add(
        unit=world.luwuk, year=year, level="component", code="001", name="Gaji",
        pagu=D(1_000_000), spending_type="51",
    )  # fmt: skip
    goods = services.line_add(
        unit=world.luwuk, year=year, level="component", code="002", name="Operasional",
        pagu=D(3_500_000), spending_type="52", blocked=D(500_000), blocked_reason="Blokir hemat",
        funds=["IKK-3.1", "IKK-3.2"],
    )  # fmt: skip
    for code, line in (("51", salaries), ("52", goods)):
        services.spending_save(
            services.MonthFigures(
                line=line,
                month=m,
                planned=hand["planned"][code].get(m, D(0)),
                realised=hand["realised"][code].get(m, D(0)),
            )
            for m in range(1, 7)
        )
    return salaries, goods


def test_the_page_and_command_estimate_ikpa_from_the_rules_table(world):
    make_year(world)
    overview = budget_overview(world.luwuk, 2024)
    # Targets and weights come from the IkpaRule table (seeded from data/rules.json): 51 20/50%,
    # 52 15/50%, weights penyerapan 20 and deviasi 15 of 100 (PER-5/PB/2024).
    assert format_percent(overview.estimate.score) == "86,96%"
    assert any("PER-5/PB/2024" in r for r in overview.regulations)
    assert overview.total.pagu == D(4_500_000) and overview.total.blocked == D(500_000)
    assert overview.quarters[0]["realised"] == D(750_000)


def test_realisation_above_the_available_pagu_is_refused_unless_a_recorded_exception(world):
    _, goods = make_year(world)
    before = list(SpendingMonth.objects.values_list("line_id", "month", "realised"))
    # Spent so far: 1.350.000 of 3.000.000 available (3.500.000 − 500.000).
    with pytest.raises(ValidationError) as exc:
        services.spending_save(
            [
                services.MonthFigures(line=goods, month=7, realised=D(1_500_000)),
                services.MonthFigures(line=goods, month=8, realised=D(300_000)),
            ]
        )
    message = " ".join(exc.value.messages)
    assert "Operasional" in message and "melebihi pagu tersedia Rp 3.000.000" in message
    assert "lebih Rp 150.000" in message
    assert list(SpendingMonth.objects.values_list("line_id", "month", "realised")) == before
    services.spending_save(
        [
            services.MonthFigures(line=goods, month=7, realised=D(1_500_000)),
            services.MonthFigures(
                line=goods, month=8, realised=D(300_000), exception_reason="Tagihan listrik susulan"
            ),
        ]
    )
    august = SpendingMonth.objects.get(line=goods, month=8)
    assert august.exception and august.exception_reason == "Tagihan listrik susulan"


def test_bad_values_name_the_line_and_month_and_save_nothing(world):
    salaries, goods = make_year(world)
    count = SpendingMonth.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.spending_save(
            [
                services.MonthFigures(line=salaries, month=7, realised=D(10)),
                services.MonthFigures(line=goods, month=7, planned=D(-5)),
            ]
        )
    assert "002 Operasional (Juli): rencana tidak boleh negatif" in " ".join(exc.value.messages)
    assert SpendingMonth.objects.count() == count


def test_a_pagu_revision_is_kept_with_date_and_reason(world):
    _, goods = make_year(world)
    revision = services.pagu_revise(
        line=goods, new_pagu=D(4_000_000), revised_on=dt.date(2024, 7, 1), reason="Revisi DIPA II"
    )
    goods.refresh_from_db()
    assert goods.pagu == D(4_000_000)
    assert (revision.old_pagu, revision.new_pagu, revision.reason) == (
        D(3_500_000),
        D(4_000_000),
        "Revisi DIPA II",
    )
    with pytest.raises(ValidationError, match="lebih kecil dari realisasi"):
        services.pagu_revise(
            line=goods, new_pagu=D(1_000_000), revised_on=dt.date(2024, 8, 1), reason="Potong"
        )
    with pytest.raises(ValidationError, match="Alasan revisi wajib"):
        services.pagu_revise(line=goods, new_pagu=D(5), revised_on=dt.date(2024, 8, 1), reason=" ")
    assert PaguRevision.objects.count() == 1
    assert format_rupiah(budget_overview(world.luwuk, 2024).total.pagu) == "Rp 5.000.000"


def test_a_parent_adds_up_its_leaves_and_a_leaf_needs_its_spending_type(world):
    activity = services.line_add(
        unit=world.luwuk, year=2024, level="activity", code="5252", name="Pas"
    )
    kro = services.line_add(
        unit=world.luwuk, year=2024, level="kro", code="BDC", name="Pembinaan", parent=activity
    )
    services.line_add(
        unit=world.luwuk, year=2024, level="ro", code="002", name="Integrasi", parent=kro,
        pagu=D(70_300_000), spending_type="52",
    )  # fmt: skip
    services.line_add(
        unit=world.luwuk, year=2024, level="ro", code="004", name="Kesehatan", parent=kro,
        pagu=D(1_775_495_000), spending_type="52",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="jenis belanja"):
        services.line_add(
            unit=world.luwuk, year=2024, level="ro", code="S01", name="X", parent=kro, pagu=D(1)
        )
    nodes = {n.line.full_code: n for n in budget_overview(world.luwuk, 2024).rows}
    assert nodes["5252.BDC"].figures.pagu == D(1_845_795_000)
    assert nodes["5252"].figures.pagu == D(1_845_795_000)
    assert set(nodes) == {"5252", "5252.BDC", "5252.BDC.002", "5252.BDC.004"}


def test_scores_must_lie_between_0_and_100(world):
    with pytest.raises(ValidationError, match="SMART harus antara 0 dan 100"):
        services.score_set(unit=world.luwuk, year=2024, smart=D("101"), ikpa=D(90))


# --- Pages and access ---------------------------------------------------------------------------


def test_the_budget_page_shows_tree_types_chart_and_estimate(login, world):
    make_year(world)
    page = login(world.users["operator_luwuk"]).get(
        reverse("budget", args=["lapas-luwuk"]) + "?tahun=2024"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rp 4.500.000" in html and "Rp 500.000" in html  # pagu and blokir
    assert "<polyline" in html and "rencana (RPD) kumulatif" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "Perkiraan IKPA dari data sendiri 86,96" in text
    assert "mendanai IKK-3.1, IKK-3.2" in html


def test_the_budget_chart_is_valid_svg_with_the_pagu_line_at_the_pagu(login, world):
    """Coordinates are SVG numbers ('40.0', never the Indonesian '40,0', which SVG reads as two
    numbers and draws in the wrong place); the pagu line sits at the pagu's height."""
    from xml.etree import ElementTree

    make_year(world)
    html = (
        login(world.users["operator_luwuk"])
        .get(reverse("budget", args=["lapas-luwuk"]) + "?tahun=2024")
        .content.decode()
    )
    svg = ElementTree.fromstring(re.search(r'<svg class="chart".*?</svg>', html, re.S)[0])
    number = re.compile(r"-?\d+(\.\d+)?")
    coordinates = 0
    for element in svg.iter():
        for name in ("x", "y", "x1", "y1", "x2", "y2", "width", "height"):
            if name in element.attrib:
                assert number.fullmatch(element.attrib[name]), (element.tag, name, element.attrib)
                coordinates += 1
        for pair in element.attrib.get("points", "").split():
            x, y = pair.split(",")
            assert number.fullmatch(x) and number.fullmatch(y), pair
            coordinates += 1
    assert coordinates > 30
    overview = budget_overview(world.luwuk, 2024)
    top = max([overview.total.pagu] + [m["cum_planned"] for m in overview.months])
    top = max([top] + [m["cum_realised"] for m in overview.months])
    plot_top, plot_height = 40, 240 - 2 * 40  # the chart's padding and height in views._chart

    def y_of(value):
        return plot_top + plot_height - plot_height * float(value / top)

    pagu = next(line for line in svg.iter("line") if line.get("class") == "pagu")
    assert float(pagu.get("y1")) == float(pagu.get("y2"))
    assert float(pagu.get("y1")) == pytest.approx(y_of(overview.total.pagu), abs=0.05)
    realised = next(p for p in svg.iter("polyline") if p.get("class") == "realised")
    june = realised.get("points").split()[6]  # January..June after the origin
    assert float(june.split(",")[1]) == pytest.approx(
        y_of(overview.months[5]["cum_realised"]), abs=0.05
    )
    assert float(june.split(",")[1]) > float(pagu.get("y1"))  # spent less than the pagu: below it


def test_the_monthly_entry_page_saves_all_rows_or_none(login, world):
    salaries, goods = make_year(world)
    client = login(world.users["operator_luwuk"])
    url = reverse("budget_entry", args=["lapas-luwuk", 2024, 7])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            f"planned_{salaries.id}": "100.000",
            f"realised_{salaries.id}": "100.000",
            f"planned_{goods.id}": "banyak",
            f"realised_{goods.id}": "0",
        },
    )
    assert bad.status_code == 400
    assert "Rencana &#x27;banyak&#x27; bukan angka" in bad.content.decode()
    assert not SpendingMonth.objects.filter(month=7).exists()
    good = client.post(
        url,
        {
            f"planned_{salaries.id}": "100.000",
            f"realised_{salaries.id}": "Rp 95.500",
            f"planned_{goods.id}": "1.200.000",
            f"realised_{goods.id}": "2.000.000",  # 1.350.000 + 2.000.000 > 3.000.000 available
        },
    )
    assert good.status_code == 400 and "melebihi pagu tersedia" in good.content.decode()
    assert not SpendingMonth.objects.filter(month=7).exists()
    ok = client.post(
        url,
        {
            f"planned_{salaries.id}": "100.000",
            f"realised_{salaries.id}": "Rp 95.500",
            f"planned_{goods.id}": "1.200.000",
            f"realised_{goods.id}": "1.000.000",
        },
    )
    assert ok.status_code == 302
    assert SpendingMonth.objects.get(line=salaries, month=7).realised == D(95_500)


def test_an_operator_of_another_facility_gets_nothing(login, world):
    salaries, _ = make_year(world)
    client = login(world.users["operator_atambua"])
    assert client.get(reverse("budget", args=["lapas-luwuk"]) + "?tahun=2024").status_code == 404
    url = reverse("budget_entry", args=["lapas-luwuk", 2024, 7])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"realised_{salaries.id}": "1"}).status_code == 404
    assert not SpendingMonth.objects.filter(month=7).exists()
    outsider = login(world.outsider)
    assert outsider.get(reverse("budget", args=["lapas-luwuk"])).status_code == 404


def test_the_evaluator_reads_but_does_not_enter(login, world):
    make_year(world)
    client = login(world.users["evaluator_sulteng"])
    page = client.get(reverse("budget", args=["lapas-luwuk"]) + "?tahun=2024")
    assert (
        page.status_code == 200 and "Isi rencana dan realisasi bulan" not in page.content.decode()
    )
    assert client.get(reverse("budget_entry", args=["lapas-luwuk", 2024, 7])).status_code == 404


def test_the_admin_refuses_an_over_spend_too(world):
    _, goods = make_year(world)
    month = SpendingMonth(line=goods, month=9, realised=D(2_000_000))
    with pytest.raises(ValidationError, match="melebihi pagu tersedia"):
        month.full_clean()
    month.exception, month.exception_reason = True, ""
    with pytest.raises(ValidationError, match="Alasan pengecualian wajib"):
        month.full_clean()
    assert DipaLine.objects.filter(unit=world.luwuk).count() == 2


def test_the_revision_page_revises_a_pagu_and_lists_the_history(login, world):
    _, goods = make_year(world)
    client = login(world.users["operator_luwuk"])
    url = reverse("pagu_revision", args=["lapas-luwuk", 2024])
    bad = client.post(
        url, {"line": goods.id, "pagu": "4.000.000", "date": "2024-07-01", "reason": ""}
    )
    assert bad.status_code == 400 and "Alasan revisi wajib diisi" in bad.content.decode()
    good = client.post(
        url,
        {"line": goods.id, "pagu": "4.000.000", "date": "2024-07-01", "reason": "Revisi DIPA II"},
    )
    assert good.status_code == 302
    goods.refresh_from_db()
    assert goods.pagu == D(4_000_000)
    page = client.get(url).content.decode()
    assert "Revisi DIPA II" in page and "Rp 3.500.000" in page and "01 Juli 2024" in page
    assert login(world.users["operator_atambua"]).get(url).status_code == 404


def test_the_scores_page_records_smart_and_ikpa_with_components(login, world):
    make_year(world)
    client = login(world.users["operator_luwuk"])
    url = reverse("budget_scores", args=["lapas-luwuk", 2024])
    bad = client.post(url, {"smart": "99,84", "ikpa": "98,96", "smart_components": "Penyerapan 99"})
    assert bad.status_code == 400 and "Komponen SMART baris 1" in bad.content.decode()
    too_high = client.post(url, {"smart": "120", "ikpa": "98,96"})
    assert too_high.status_code == 400 and "antara 0 dan 100" in too_high.content.decode()
    ok = client.post(
        url, {"smart": "99,84", "ikpa": "98,96", "smart_components": "Penyerapan = 99,83\n"}
    )
    assert ok.status_code == 302
    overview = budget_overview(world.luwuk, 2024)
    assert overview.score.smart == D("99.84") and overview.score.smart_components == {
        "Penyerapan": "99.83"
    }
    assert format_percent(overview.performance) == "99,49%"
    assert "Penyerapan = 99,83" in client.get(url).content.decode()
    assert login(world.users["evaluator_sulteng"]).get(url).status_code == 404
