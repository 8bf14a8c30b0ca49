"""The dashboards above the facility (issue 15, point 2): who may open them, the figures equal to
the roll-up's, a query count that does not grow with the facilities, GET parameters that never
fail, the XLSX downloads, and a facility's place among its peers on its results page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.core.formatting import format_percent
from kinerja.dashboards.models import PeerNames
from kinerja.dashboards.rollup import rollup
from kinerja.organizations.models import Role
from kinerja.organizations.services import membership_grant, user_upsert
from tests.test_rollup import YEAR, Facilities, record

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def facilities(world):
    return Facilities(world)


@pytest.fixture
def filled(world, facilities):
    """Two Lapas and a Rutan in Sulteng, a Lapas in NTT, with IKK-2.3 recorded for TW I."""
    palu = facilities.add(2)
    rutan = facilities.add(1, facility_type="rutan")
    kupang = facilities.add(1, region=world.ntt)
    for unit, (a, b) in zip(
        palu + rutan + kupang, [(6, 12), (95, 100), (10, 40), (7, 7)], strict=True
    ):
        record(unit, "IKK-2.3", 1, A=a, B=b)
    return {"palu": palu, "rutan": rutan, "kupang": kupang}


def url(name, *args, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name, args=args) + (f"?{query}" if query else "")


# --- access ----------------------------------------------------------------------------------

SECTION_TABS = ("region_completeness", "region_findings", "region_budget")


def test_an_evaluator_sees_their_region_and_nothing_of_another_or_the_nation(login, world, filled):
    client = login(world.users["evaluator_sulteng"])
    own = client.get(url("region", "kanwil-sulteng", tahun=YEAR))
    assert own.status_code == 200
    # no crumb to the directorate's page, which would answer 404; a national user has it
    assert f'href="{reverse("region", args=["ditjenpas"])}"' not in own.content.decode()
    national = login(world.users["viewer_national"]).get(url("region", "kanwil-sulteng"))
    assert f'href="{reverse("region", args=["ditjenpas"])}"' in national.content.decode()
    client = login(world.users["evaluator_sulteng"])
    for target in (
        url("region", "kanwil-ntt", tahun=YEAR),
        url("region", "ditjenpas", tahun=YEAR),
        url("region_indicator", "kanwil-ntt", "IKK-2.3", tahun=YEAR),
        url("region_heatmap_xlsx", "kanwil-ntt", tahun=YEAR),
        url("region_ikk_xlsx", "kanwil-ntt", tahun=YEAR),
        url("region_ikk_xlsx", "ditjenpas", tahun=YEAR),
        url("region_completeness_xlsx", "kanwil-ntt", tahun=YEAR),
        url("region_budget_xlsx", "ditjenpas", tahun=YEAR),
        url("region_findings_xlsx", "kanwil-ntt", tahun=YEAR),
        url("region_rollup_json", "kanwil-ntt", tahun=YEAR),
        url("region_rollup_json", "ditjenpas", tahun=YEAR),
        *(
            url(tab, slug, tahun=YEAR)
            for tab in SECTION_TABS
            for slug in ("kanwil-ntt", "ditjenpas")
        ),
    ):
        assert client.get(target).status_code == 404, target
    for tab in SECTION_TABS:
        assert client.get(url(tab, "kanwil-sulteng", tahun=YEAR)).status_code == 200, tab


def test_a_facility_user_gets_404_on_every_dashboard(login, world, filled):
    client = login(world.users["operator_luwuk"])
    for target in (
        url("region", "kanwil-sulteng"),
        url("region", "ditjenpas"),
        url("region_indicator", "kanwil-sulteng", "IKK-2.3"),
        url("region_heatmap_xlsx", "kanwil-sulteng"),
        url("region_ikk_xlsx", "ditjenpas"),
        url("region_rollup_json", "kanwil-sulteng"),
        *(url(tab, "kanwil-sulteng") for tab in SECTION_TABS),
    ):
        assert client.get(target).status_code == 404, target


def test_the_national_users_see_the_directorate_and_every_region(login, world, filled):
    for name in ("viewer_national", "admin_national"):
        client = login(world.users[name])
        for slug in ("ditjenpas", "kanwil-sulteng", "kanwil-ntt"):
            page = client.get(url("region", slug, tahun=YEAR))
            assert page.status_code == 200, (name, slug)
            assert (
                client.get(url("region_indicator", slug, "IKK-2.3", tahun=YEAR)).status_code == 200
            )
        for name_ in ("region_completeness_xlsx", "region_budget_xlsx", "region_findings_xlsx"):
            assert client.get(url(name_, "ditjenpas", tahun=YEAR)).status_code == 200, name_
        for tab in SECTION_TABS:
            for slug in ("ditjenpas", "kanwil-ntt"):
                assert client.get(url(tab, slug, tahun=YEAR)).status_code == 200, (tab, slug)
        national = client.get(url("region", "ditjenpas", tahun=YEAR)).content.decode()
        # per region rows with drill-down to the region's dashboard
        assert reverse("region", args=["kanwil-ntt"]) in national
        assert filled["kupang"][0].name in national


def test_only_the_national_admin_switches_the_peer_names(login, world):
    switch = reverse("peer_names_switch", args=["ditjenpas"])
    assert login(world.users["viewer_national"]).post(switch, {"tampil": "1"}).status_code == 404
    assert login(world.users["evaluator_sulteng"]).post(switch, {"tampil": "1"}).status_code == 404
    assert not PeerNames.objects.exists()
    assert login(world.users["admin_national"]).post(switch, {"tampil": "1"}).status_code == 302
    assert PeerNames.objects.get().shown is True


def test_home_links_national_and_regional_users_to_their_dashboard(login, world):
    page = login(world.users["viewer_national"]).get(reverse("home")).content.decode()
    assert reverse("region", args=["ditjenpas"]) in page
    page = login(world.users["evaluator_sulteng"]).get(reverse("home")).content.decode()
    assert reverse("region", args=["kanwil-sulteng"]) in page
    assert reverse("region", args=["ditjenpas"]) not in page


# --- figures ---------------------------------------------------------------------------------


def test_the_json_download_is_the_roll_up_of_what_the_user_may_see(login, world, filled):
    client = login(world.users["evaluator_sulteng"])
    data = client.get(url("region_rollup_json", "kanwil-sulteng", tahun=YEAR, tw=4)).json()
    item = next(i for i in data["indicators"] if i["code"] == "IKK-2.3")
    # Sulteng only (two Lapas and a Rutan): 111 / 152, never Kupang's 7 / 7
    assert item["sums"] == {"A": "111", "B": "152"}
    assert item["realisation"] == "73.02"
    assert {c["unit"] for c in data["children"]} == {
        u.slug for u in filled["palu"] + filled["rutan"]
    } | {"lapas-luwuk"}
    national = login(world.users["viewer_national"]).get(
        url("region_rollup_json", "ditjenpas", tahun=YEAR, tw=4, tipe="rutan")
    )
    rutan = next(i for i in national.json()["indicators"] if i["code"] == "IKK-2.3")
    assert rutan["sums"] == {"A": "10", "B": "40"} and rutan["facilities"] == 1


def test_the_page_shows_the_rollups_figures_and_its_counts(login, world, filled):
    client = login(world.users["viewer_national"])
    page = client.get(url("region", "ditjenpas", tahun=YEAR, tw=1))
    item = rollup(world.ditjen, YEAR, quarter=1).indicator("IKK-2.3")
    aggregate = item.aggregate
    assert aggregate.sums == {"A": D(118), "B": D(159)}
    text = page.content.decode()
    assert aggregate.computation in text
    assert format_percent(aggregate.achievement.capped) in text
    # the chart's data are the table's counts
    chart = page.context["chart_counts"]
    column = chart["labels"].index("IKK-2.3")
    assert [s["values"][column] for s in chart["series"]] == [
        str(aggregate.counts[s]) for s in [s for s, _ in page.context["standings"]]
    ]


def test_the_rutan_filter_keeps_only_rutan(login, world, filled):
    client = login(world.users["viewer_national"])
    page = client.get(url("region", "ditjenpas", tahun=YEAR, tw=1, tipe="rutan"))
    units = [row["unit"] for row in page.context["heat_rows"]]
    assert units == filled["rutan"]
    item = page.context["result"].indicator("IKK-2.3")
    assert item.aggregate.sums == {"A": D(10), "B": D(40)}
    # 10 / 40 = 25% against 85: missed, shown with its symbol as well as its colour
    html = page.content.decode()
    assert 'class="num heat-tidak"' in html and "✗" in html


def test_the_heat_map_sorts_by_one_ikk_best_first_and_pages(login, world, filled):
    client = login(world.users["viewer_national"])
    page = client.get(url("region", "ditjenpas", tahun=YEAR, tw=1, urut="IKK-2.3"))
    names = [row["unit"].name for row in page.context["heat_rows"]]
    # 7/7 = 100%, 95/100, 6/12 = 50%, 10/40 = 25%; Luwuk has no PK and comes last
    assert names[:4] == [
        filled["kupang"][0].name,
        filled["palu"][1].name,
        filled["palu"][0].name,
        filled["rutan"][0].name,
    ]
    assert page.context["page"].paginator.per_page == 50


def test_the_default_quarter_is_the_latest_with_data_else_the_latest_started(login, world, filled):
    client = login(world.users["viewer_national"])
    now = dt.datetime(2024, 11, 20, 3, tzinfo=dt.UTC)  # 20 November in WIB: TW IV has started
    with mock.patch("django.utils.timezone.now", return_value=now):
        page = client.get(url("region", "ditjenpas"))
    # No entry window is open; the facilities have entered TW I only: the page opens there, not
    # on an empty TW IV.
    assert (page.context["year"], page.context["quarter"]) == (2024, 1)
    # A year without any report: its last quarter (it is past).
    assert client.get(url("region", "ditjenpas", tahun=2023)).context["quarter"] == 4


@pytest.mark.parametrize(
    "params",
    [
        "tahun=abc",
        "tahun=99999999999",
        "tw=9",
        "tw=x",
        "tipe=kapal",
        "kelas=Z",
        "wilayah=tidak-ada",
        "urut=IKK-99",
        "urut=%00",
        "hal=-1",
        "hal=abc",
        "hal=99999",
        "tipe=rutan&kelas=I&wilayah=kanwil-ntt&urut=wilayah",
    ],
)
def test_bad_get_parameters_never_fail(login, world, filled, params):
    client = login(world.users["viewer_national"])
    for name, args in (
        ("region", ["ditjenpas"]),
        ("region_indicator", ["ditjenpas", "IKK-2.3"]),
        ("region_heatmap_xlsx", ["ditjenpas"]),
        ("region_ikk_xlsx", ["kanwil-sulteng"]),
    ):
        status = client.get(reverse(name, args=args) + "?" + params).status_code
        assert status in (200, 400, 404), (name, params, status)  # never a 500


def test_an_unknown_ikk_is_404(login, world, filled):
    client = login(world.users["viewer_national"])
    assert client.get(url("region_indicator", "ditjenpas", "IKK-99")).status_code == 404


def test_the_ikk_page_lists_every_facility_and_the_trend(login, world, filled):
    record(filled["palu"][0], "IKK-2.3", 2, A=12, B=12)
    client = login(world.users["viewer_national"])
    page = client.get(url("region_indicator", "ditjenpas", "IKK-2.3", tahun=YEAR, tw=2))
    assert page.status_code == 200
    ordered = [f.unit for f in page.context["ordered"]]
    assert set(ordered) == set(filled["palu"] + filled["rutan"] + filled["kupang"])
    by_quarter = dict(page.context["by_quarter"])
    assert by_quarter["TW I"].sums == {"A": D(118), "B": D(159)}
    assert by_quarter["TW II"].sums == {"A": D(124), "B": D(159)}
    chart = page.context["chart_quarters"]
    assert chart["realisation"][0] == str(by_quarter["TW I"].realisation.value)
    assert [label for label, _ in page.context["by_year"]] == [str(YEAR)]


def test_the_downloads_hold_the_pages_figures_as_values(login, world, filled):
    client = login(world.users["evaluator_sulteng"])
    response = client.get(url("region_ikk_xlsx", "kanwil-sulteng", tahun=YEAR, tw=1))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    aggregate = rollup(world.sulteng, YEAR, quarter=1).indicator("IKK-2.3").aggregate
    assert rows["IKK-2.3"][5] == aggregate.computation
    heat = client.get(url("region_heatmap_xlsx", "kanwil-sulteng", tahun=YEAR, tw=1))
    sheet = load_workbook(io.BytesIO(heat.content)).active
    names = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert set(names) >= {u.name for u in filled["palu"] + filled["rutan"]}
    assert filled["kupang"][0].name not in names


def test_a_facility_named_like_a_formula_is_text_in_the_download(login, world, facilities):
    (unit,) = facilities.add(1)
    unit.name = '=HYPERLINK("http://x")'
    unit.save()
    client = login(world.users["evaluator_sulteng"])
    heat = client.get(url("region_heatmap_xlsx", "kanwil-sulteng", tahun=YEAR))
    sheet = load_workbook(io.BytesIO(heat.content)).active
    cells = [c for row in sheet.iter_rows(min_row=4) for c in row if c.value == unit.name]
    assert cells and all(c.data_type == "s" for c in cells)


# --- query count -----------------------------------------------------------------------------


def test_the_dashboards_query_count_does_not_grow_with_the_facilities(login, world, facilities):
    client = login(world.users["viewer_national"])
    for unit in [*facilities.add(2), *facilities.add(1, region=world.ntt)]:
        record(unit, "IKK-2.3", 1, A=5, B=10)
    pages = [
        url("region", "ditjenpas", tahun=YEAR, tw=1),
        url("region", "kanwil-sulteng", tahun=YEAR, tw=1),
        url("region_indicator", "ditjenpas", "IKK-2.3", tahun=YEAR, tw=1),
        *(
            url(tab, slug, tahun=YEAR)
            for tab in SECTION_TABS
            for slug in ("ditjenpas", "kanwil-ntt")
        ),
    ]

    def counts():
        found = []
        for target in pages:
            client.get(target)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(target).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    small = counts()
    for unit in facilities.add(4, region=world.ntt, facility_type="rutan"):
        record(unit, "IKK-2.3", 1, A=5, B=10)
    assert counts() == small
    # session and user, the unit's time zone, the filters' lists, the roll-up (6), the Kanwil's
    # monitoring (5); the IKK page one roll-up per period (the year, four quarters, each year with
    # a PK); the tabs: completeness 7, findings 3, budget 6 on top of the page's own, and the
    # quarter to open on when none is asked for (one query)
    assert small[0] <= 16 and small[1] <= 18 and small[2] <= 40, small
    assert max(small[3:]) <= 15, small


# --- a facility's place among its peers ------------------------------------------------------


def test_the_facility_sees_its_rank_and_quartile_without_names(login, world, filled):
    best = filled["palu"][1]  # 95 / 100
    user = user_upsert(username="op_best", password="rahasia-uji-123")
    membership_grant(user=user, unit=best, role=Role.OPERATOR)
    client = login(user)
    page = client.get(url("results_peers", best.slug, tahun=YEAR))
    html = page.content.decode()
    peers = {row["indicator"].id: row["peers"] for row in page.context["rows"]}
    ikk = rollup(world.ditjen, YEAR).indicator("IKK-2.3").indicator.id
    # Sulteng: 95%, 50%, 25% → first of 3; nation: 100% (NTT) first → second of 4
    assert (peers[ikk].region.rank, peers[ikk].region.of) == (1, 3)
    assert (peers[ikk].nation.rank, peers[ikk].nation.of, peers[ikk].nation.quartile) == (2, 4, 2)
    assert peers[ikk].region.quartile == 1  # the best of its region is in the best quarter
    assert "peringkat 1 dari 3" in html
    for other in filled["palu"][:1] + filled["rutan"] + filled["kupang"]:
        assert other.name not in html

    PeerNames.objects.create(shown=True, by=world.users["admin_national"])
    html = client.get(url("results_peers", best.slug, tahun=YEAR)).content.decode()
    assert filled["rutan"][0].name in html  # the named list of its region
    assert filled["kupang"][0].name not in html  # never another region's


def test_the_results_page_links_to_the_peer_place_and_an_outsider_gets_404(login, world, filled):
    unit = filled["palu"][0]
    user = user_upsert(username="op_link", password="rahasia-uji-123")
    membership_grant(user=user, unit=unit, role=Role.OPERATOR)
    page = login(user).get(url("results", unit.slug, tahun=YEAR)).content.decode()
    assert reverse("results_peers", args=[unit.slug]) in page
    # another facility's operator learns nothing, not even that the facility exists
    outsider = login(world.users["operator_luwuk"])
    assert outsider.get(url("results_peers", unit.slug, tahun=YEAR)).status_code == 404
    assert login(world.outsider).get(url("results_peers", unit.slug, tahun=YEAR)).status_code == 404


def test_the_peer_place_adds_no_query_per_ikk(login, world, filled, facilities):
    client = login(world.users["operator_luwuk"])
    unit = filled["palu"][0]
    user = user_upsert(username="op_peer", password="rahasia-uji-123")
    membership_grant(user=user, unit=unit, role=Role.OPERATOR)
    client = login(user)
    target = url("results_peers", unit.slug, tahun=YEAR)
    client.get(target)
    with CaptureQueriesContext(connection) as before:
        client.get(target)
    for other in facilities.add(3, region=world.ntt):
        record(other, "IKK-2.3", 1, A=1, B=2)
        record(other, "IKK-4.6", 1, A=1)
    with CaptureQueriesContext(connection) as after:
        client.get(target)
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize(
    "name, section",
    [
        ("region_completeness", "completeness"),
        ("region_findings", "findings"),
        ("region_budget", "budget"),
    ],
)
def test_each_section_has_its_tab_paging_its_facilities_while_totals_count_all(
    login, world, filled, monkeypatch, name, section
):
    from kinerja.dashboards import views

    monkeypatch.setattr(views, "SECTION_PAGE", 4)
    client = login(world.users["viewer_national"])
    # the IKK page links each tab with the filters kept, and does not compute the sections
    main = client.get(url("region", "ditjenpas", tahun=YEAR, tw=4, tipe="lapas"))
    assert section not in main.context
    assert url(name, "ditjenpas", tipe="lapas", tahun=YEAR, tw=4).replace("&", "&amp;") in (
        main.content.decode()
    )
    first = client.get(url(name, "ditjenpas", tahun=YEAR, tw=4))
    second = client.get(url(name, "ditjenpas", tahun=YEAR, tw=4, hal=2))
    assert first.status_code == second.status_code == 200
    shown = [[row.unit.id for row in p.context[section].facilities] for p in (first, second)]
    # six facilities (the four of the fixture, Luwuk, Atambua): four, then two, none twice
    assert [len(ids) for ids in shown] == [4, 2]
    assert len(set(shown[0]) | set(shown[1])) == 6
    assert "Berikutnya" in first.content.decode() and "halaman 2 dari 2" in second.content.decode()
    if section == "completeness":  # the per-region rows still count every facility
        assert sum(len(r.facilities) for r in first.context["completeness"].regions) == 6
    if section == "budget":
        assert first.context["budget"].totals == second.context["budget"].totals
    # a bad page number is the first page
    assert client.get(url(name, "ditjenpas", tahun=YEAR, hal="x")).status_code == 200


@pytest.mark.parametrize("name", ["region_completeness", "region_findings", "region_budget"])
def test_a_tab_of_the_whole_year_offers_no_period_and_keeps_it_for_the_way_back(
    login, world, filled, name
):
    """Completeness shows every quarter, findings and budget the year: a Periode that changes
    nothing is not offered there; the period chosen on the IKK page comes back with its tab."""
    client = login(world.users["viewer_national"])
    main = client.get(url("region", "ditjenpas", tahun=YEAR, tw=2)).content.decode()
    assert '<select name="tw">' in main
    page = client.get(url(name, "ditjenpas", tahun=YEAR, tw=2, tipe="lapas")).content.decode()
    assert '<select name="tw">' not in page and "Periode" not in page
    assert '<input type="hidden" name="tw" value="2">' in page
    back = url("region", "ditjenpas", tipe="lapas", tahun=YEAR, tw=2).replace("&", "&amp;")
    assert back in page
    # the detail of an IKK depends on the period: it offers it
    detail = client.get(url("region_indicator", "ditjenpas", "IKK-2.3", tahun=YEAR, tw=2))
    assert '<select name="tw">' in detail.content.decode()
