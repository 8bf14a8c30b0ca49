"""Every page at phone width (390 × 844) in Debian's Chromium: for each role (operator, head of
facility, regional evaluator, regional administrator, national viewer and admin), every page that
role reaches fits the screen without horizontal scrolling of the page (wide tables scroll inside
their own box), no form control is cut off at the screen's edge, and no page answers an error.

One browser and one demo load for the whole walk; one login per role. Screenshots of every page
go to $KINERJA_SCREENSHOTS when it is set (never committed)."""

from __future__ import annotations

import re

import pytest

from kinerja.demo import DEMO_PASSWORD, load_demo
from kinerja.organizations.models import Unit
from kinerja.planning.models import PKIndicator
from tests.test_browser import chromium_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390

# What sticks out past the screen's right edge, outside any box that scrolls on its own: the
# outermost such elements (their parent still fits), and any form control cut off at the edge.
OVERFLOW_JS = """
(width) => {
  const name = (e) => {
    let s = e.tagName.toLowerCase();
    if (e.id) s += '#' + e.id;
    if (typeof e.className === 'string' && e.className.trim())
      s += '.' + e.className.trim().split(/\\s+/).join('.');
    if (e.name) s += '[name=' + e.name + ']';
    return s;
  };
  const scrolls = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  const found = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || scrolls(e)) continue;
    const control = e.matches('input, select, textarea, button, a.button');
    const parent = e.parentElement.getBoundingClientRect();
    if (r.right > width + 0.5 && (control || parent.right <= width + 0.5)) {
      found.push(name(e) + ' (to ' + Math.round(r.right) + ' px)');
    } else if (control && r.left < -0.5) {
      found.push(name(e) + ' (from ' + Math.round(r.left) + ' px)');
    }
  }
  return found.slice(0, 8);
}
"""


@pytest.fixture
def phone(live_server, monkeypatch):
    """The page fixture of tests/test_browser.py at phone width."""
    with chromium_page(monkeypatch, WIDTH, 844) as opened:
        yield opened


def shot_name(role: str, url: str) -> str:
    return f"{role}--{re.sub(r'[^a-z0-9]+', '-', url.lower()).strip('-') or 'home'}"


class Walk:
    """Visits pages, collecting every problem, so one run names all of them."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.problems: list[str] = []
        self.visited = 0

    def check(self, role: str, label: str) -> None:
        page = self.page
        width = page.evaluate("document.documentElement.scrollWidth")
        # Django's own admin lays out its (clipped) rows wider than the screen; its page width is
        # what matters there.
        stuck = [] if label.startswith("/admin/") else page.evaluate(OVERFLOW_JS, WIDTH)
        if width > WIDTH or stuck:
            self.problems.append(
                f"{role}: {label} is {width} px wide at {WIDTH} px"
                + (f"; sticking out: {', '.join(stuck)}" if stuck else "")
            )
        shot(page, shot_name(role, label))
        self.visited += 1

    def visit(self, role: str, url: str) -> None:
        response = self.page.goto(self.base + url)
        self.page.wait_for_load_state("load")
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            self.problems.append(f"{role}: {url} answered {status}")
            return
        self.check(role, url)

    def log_in(self, username: str) -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.base}/")


def facility_pages(unit: str, year: int, row: int, *, draft: bool, head: bool = False):
    """Every page of a facility a member of it reaches (`row`: an IKK row of that year's PK)."""
    pages = [
        f"/unit/{unit}/?tahun={year}",
        f"/unit/{unit}/renstra/",
        f"/unit/{unit}/capaian/?tahun={year}",
        f"/unit/{unit}/capaian/sejawat/?tahun={year}",
        f"/unit/{unit}/pk/{year}/indikator/{row}/riwayat/",
        f"/unit/{unit}/riwayat/?tahun={year}",
        f"/unit/{unit}/anggaran/?tahun={year}",
        f"/unit/{unit}/anggaran/{year}/bulan/1/",
        f"/unit/{unit}/anggaran/{year}/nilai/",
        f"/unit/{unit}/anggaran/{year}/revisi-pagu/",
        f"/unit/{unit}/reviu/?tahun={year}",
        f"/unit/{unit}/dokumen/?tahun={year}",
        f"/unit/{unit}/dokumen/{year}/narasi/",
        f"/unit/{unit}/rencana-aksi/impor/",
        f"/unit/{unit}/pk/baru/",
    ]
    pages += [f"/unit/{unit}/realisasi/{year}/tw/{q}/" for q in (1, 2, 3, 4)]
    if draft:
        pages += [f"/unit/{unit}/pk/{year}/ubah/", f"/unit/{unit}/pk/{year}/rencana-aksi/{row}/"]
    return pages


PERSONAL = ["/", "/notifikasi/", "/akun/", "/akun/token/", "/kata-sandi/ubah/"]
PERSONAL_DONE = ["/kata-sandi/ubah/selesai/"]


def region_pages(region: str, year: int, code: str = "IKK-1.1"):
    query = f"?tahun={year}&tw=4"
    return [
        f"/wilayah/{region}/{query}",
        f"/wilayah/{region}/kelengkapan/{query}",
        f"/wilayah/{region}/temuan/{query}",
        f"/wilayah/{region}/anggaran/{query}",
        f"/wilayah/{region}/ikk/{code}/{query}",
    ]


def test_every_page_fits_a_phone(phone, live_server):
    load_demo()
    atambua = Unit.objects.get(slug="lapas-atambua")
    luwuk = Unit.objects.get(slug="lapas-luwuk")

    def ikk_row(unit, year):
        return (
            PKIndicator.objects.filter(
                agreement__unit=unit, agreement__year=year, indicator__level="ikk"
            )
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )

    atambua_row, luwuk_row = ikk_row(atambua, 2023), ikk_row(luwuk, 2024)
    walk = Walk(phone, live_server.url)

    # Public pages, before anyone logs in.
    for url in (
        "/masuk/",
        "/kata-sandi/lupa/",
        "/kata-sandi/lupa/terkirim/",
        "/kata-sandi/atur/MQ/tanpa-token/",
        "/kata-sandi/atur/selesai/",
    ):
        walk.visit("public", url)

    roles = {
        "operator.atambua": PERSONAL
        + facility_pages("lapas-atambua", 2023, atambua_row, draft=False)
        + ["/unit/lapas-atambua/renstra/2020/"],
        "operator.luwuk": PERSONAL + facility_pages("lapas-luwuk", 2024, luwuk_row, draft=True),
        "kepala.luwuk": PERSONAL
        + [
            "/unit/lapas-luwuk/?tahun=2024",
            "/unit/lapas-luwuk/realisasi/2024/tw/1/",
            "/unit/lapas-luwuk/reviu/?tahun=2024",
        ],
        "kepala.atambua": PERSONAL
        + [
            "/unit/lapas-atambua/?tahun=2023",
            "/unit/lapas-atambua/realisasi/2023/tw/4/",
            "/unit/lapas-atambua/capaian/?tahun=2023",
        ],
        "evaluator.ntt": PERSONAL
        + region_pages("kanwil-ntt", 2023)
        + [
            "/unit/lapas-atambua/?tahun=2023",
            "/unit/lapas-atambua/realisasi/2023/tw/4/",
            "/unit/lapas-atambua/capaian/?tahun=2023",
            "/unit/lapas-atambua/anggaran/?tahun=2023",
            "/unit/lapas-atambua/reviu/?tahun=2023",
        ],
        "admin.sulteng": PERSONAL
        + region_pages("kanwil-sulteng", 2024)
        + [
            "/administrasi/",
            "/administrasi/orientasi/",
            "/administrasi/unit-baru/",
            "/administrasi/unit/kanwil-sulteng/",
            "/administrasi/unit/lapas-luwuk/",
        ],
        "pimpinan": PERSONAL
        + region_pages("ditjenpas", 2024)
        + region_pages("kanwil-contoh-01", 2024),
        "admin": PERSONAL
        + region_pages("ditjenpas", 2023)
        + [
            "/administrasi/",
            "/administrasi/nama-organisasi/",
            "/administrasi/unit/ditjenpas/",
            "/administrasi/unit/lapas-atambua/",
            "/admin/",
        ],
    }
    for role, urls in roles.items():
        walk.log_in(role)
        walk.check(role, "/ (after login)")
        for url in urls:
            walk.visit(role, url)
    print(f"\n{walk.visited} pages checked at {WIDTH} px")
    assert not walk.problems, "Pages that do not fit a phone:\n" + "\n".join(walk.problems)
