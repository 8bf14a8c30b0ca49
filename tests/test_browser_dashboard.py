"""The national dashboard in Debian's Chromium (issue 15): the national read-only user opens it
from the home page, filters to Rutan, and drills down from a red (missed) heat-map cell to that
facility's results page; the charts draw without a Content-Security-Policy complaint.

Screenshots (1366×768 and 390×844) go to $KINERJA_SCREENSHOTS when it is set (never committed)."""

from __future__ import annotations

import pytest

from tests.test_browser import log_in, page, shot  # noqa: F401 - the page fixture
from tests.test_rollup import YEAR, Facilities, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_user_filters_to_rutan_and_drills_down_from_a_red_cell(
    page,  # noqa: F811
    live_server,
    world,
):
    facilities = Facilities(world)
    lapas = facilities.add(2)
    (rutan_ok,) = facilities.add(1, facility_type="rutan")
    (rutan_missed,) = facilities.add(1, region=world.ntt, facility_type="rutan")
    for unit in lapas:
        record(unit, "IKK-2.3", 1, A=9, B=10)
    record(rutan_ok, "IKK-2.3", 1, A=95, B=100)  # 95 / 85: achieved
    record(rutan_missed, "IKK-2.3", 1, A=10, B=40)  # 25 / 85: missed

    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    base = live_server.url
    log_in(page, base, "viewer_national")
    page.wait_for_url(f"{base}/")
    page.click("text=Dasbor kinerja Direktorat Jenderal Pemasyarakatan")
    page.wait_for_url(f"{base}/wilayah/ditjenpas/")

    page.fill("input[name=tahun]", str(YEAR))
    page.select_option("select[name=tw]", "1")
    page.select_option("select[name=tipe]", "rutan")
    page.click("form.filters button")
    page.wait_for_url("**tipe=rutan**")
    rows = page.locator("#heatmap tbody tr")
    assert rows.count() == 2  # only the two Rutan
    assert lapas[0].name not in page.locator("#heatmap").inner_text()
    # the chart drew (Chart.js loaded from this site, its data read from the JSON block)
    assert page.evaluate("typeof window.Chart") == "function"
    assert page.locator("canvas[data-chart=counts]").bounding_box()["height"] > 50
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"dasbor-nasional-rutan-{width}")

    red = page.locator("#heatmap td.heat-tidak a").first
    assert "✗" in red.inner_text()  # a symbol as well as the colour
    red.click()
    page.wait_for_url(f"{base}/unit/{rutan_missed.slug}/capaian/?tahun={YEAR}")
    assert rutan_missed.name in page.content()
    assert "Posisi di antara UPT" in page.content()
    shot(page, "dasbor-drilldown-capaian-390")
    page.set_viewport_size({"width": 1366, "height": 768})
    shot(page, "dasbor-drilldown-capaian-1366")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
