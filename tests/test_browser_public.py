"""The public pages in Debian's Chromium, as a visitor without an account sees them: the facility
page with its chart within 100 KB all told, no cookie, nothing wider than a phone; the national
page with its search."""

from __future__ import annotations

import pytest

from kinerja.planning import services as planning
from kinerja.publication import services
from tests.test_browser import page, shot  # noqa: F401 - the page fixture
from tests.test_publication import YEAR, job, record_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page, its stylesheet and everything else it loads, as the browser received them.
WEIGHT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return [nav.transferSize || nav.encodedBodySize, ...res.map(r => r.transferSize || r.encodedBodySize)]
    .reduce((a, b) => a + b, 0);
}"""


def test_the_public_facility_page_is_light_and_fits_a_phone(
    page,  # noqa: F811
    live_server,
    world,
):
    agreement = world.draft_pk(YEAR)
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    agreement.refresh_from_db()
    record_quarter(agreement, 1)
    head = world.users["head_luwuk"]
    services.publish(job=job(world.luwuk, "pk"), by=head)
    services.publish(job=job(world.luwuk, "capaian", quarter=1), by=head)
    base = live_server.url

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/publik/upt/lapas-luwuk/", wait_until="networkidle")
    assert page.locator("svg.chart-svg rect").count() >= 1
    weight = page.evaluate(WEIGHT)
    print(f"public facility page: {weight} bytes")  # docs/performance.md
    assert 0 < weight <= 100 * 1024
    assert page.context.cookies() == []
    assert page.locator("script").count() == 0
    shot(page, "public-facility-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "public-facility-390")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/publik/", wait_until="networkidle")
    page.fill("#q", "luwuk")
    page.click("button:has-text('Cari')")
    page.wait_for_selector("#hasil")
    page.click("#hasil a:has-text('Luwuk')")
    page.wait_for_url(f"{base}/publik/upt/lapas-luwuk/")
    page.goto(f"{base}/publik/?tahun={YEAR}", wait_until="networkidle")
    assert "Perjanjian Kinerja" in page.inner_text("#per-wilayah")
    shot(page, "public-national-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "public-national-390")
    assert page.context.cookies() == []
