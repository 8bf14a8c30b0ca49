"""Keyboard and screen readers on the facility's daily pages, in Debian's Chromium: axe-core
(vendored for the tests, tests/vendor/axe-core/) finds no violation of impact "serious" or
"critical" on any page the operator and the head work on, nor on the regional dashboard; the
first Tab reaches the skip link, and Enter moves focus to the main content.

The application's Content-Security-Policy (script-src 'self', nothing inline) refuses
`page.add_script_tag()`, which inserts the script's text inline; the engine is evaluated through
the DevTools protocol instead (`page.evaluate`), which the page's policy does not govern."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja.budget import services as budget
from kinerja.measurement.services import evidence_add, realization_save
from kinerja.notifications.models import Kind, Notification
from kinerja.planning import services as planning
from tests.conftest import blank_pdf, year_in_order
from tests.test_browser import log_in, page, shot  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SLUG = "lapas-luwuk"
YEAR = 2024
BLOCKING = ("serious", "critical")


def facility_year(world):
    """Luwuk 2024 signed, with its Rencana Aksi, TW I results with evidence, DIPA lines with
    monthly figures and scores, and a Renstra; 2025 a draft PK with one Rencana Aksi row; one
    notification for each of the operator and the head."""
    agreement = world.draft_pk(YEAR)
    rows = year_in_order(agreement)
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    agreement.refresh_from_db()
    pdf = blank_pdf()
    for i, row in enumerate(
        agreement.indicators.filter(indicator__level="ikk").select_related("indicator", "agreement")
    ):
        values = {v.symbol: Decimal(1) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=1, values=values)
        if i % 2 == 0:  # half with evidence, half without
            evidence_add(pk_indicator=row, quarter=1, data=pdf, filename="laporan.pdf")

    salaries = budget.line_add(
        unit=world.luwuk, year=YEAR, level="component", code="001", name="Gaji",
        pagu=Decimal(1_000_000), spending_type="51",
    )  # fmt: skip
    goods = budget.line_add(
        unit=world.luwuk, year=YEAR, level="component", code="002", name="Operasional",
        pagu=Decimal(3_500_000), spending_type="52", blocked=Decimal(500_000),
        blocked_reason="Blokir hemat", funds=["IKK-3.1", "IKK-3.2"],
    )  # fmt: skip
    budget.spending_save(
        budget.MonthFigures(line=line, month=m, planned=Decimal(80_000), realised=Decimal(70_000))
        for line in (salaries, goods)
        for m in range(1, 4)
    )
    budget.score_set(unit=world.luwuk, year=YEAR, smart=Decimal("99.84"), ikpa=Decimal("98.96"))

    draft = world.draft_pk(YEAR + 1)
    next_row = draft.indicators.filter(indicator__level="ikk").order_by("id").first()
    for name in ("operator_luwuk", "head_luwuk"):
        Notification.objects.create(
            user=world.users[name],
            kind=Kind.DEADLINE,
            text="Batas pengisian realisasi TW I 2024 tinggal 3 hari.",
            link=f"/unit/{SLUG}/realisasi/{YEAR}/tw/1/",
            unit=world.luwuk,
            year=YEAR,
            quarter=1,
            created_at=dt.datetime(2024, 4, 2, 8, 0, tzinfo=dt.UTC),
            key=f"a11y-{name}",
        )
    return rows[0], next_row


def facility_pages(row, next_row) -> dict[str, str]:
    unit = f"/unit/{SLUG}"
    return {
        "facility page": f"{unit}/?tahun={YEAR}",
        "PK edit": f"{unit}/pk/{YEAR + 1}/ubah/",
        "Rencana Aksi edit": f"{unit}/pk/{YEAR + 1}/rencana-aksi/{next_row.id}/",
        "entry TW I": f"{unit}/realisasi/{YEAR}/tw/1/",
        "results": f"{unit}/capaian/?tahun={YEAR}",
        "indicator history": f"{unit}/pk/{YEAR}/indikator/{row.id}/riwayat/",
        "change log": f"{unit}/riwayat/",
        "budget": f"{unit}/anggaran/?tahun={YEAR}",
        "monthly budget entry": f"{unit}/anggaran/{YEAR}/bulan/3/",
        "budget scores": f"{unit}/anggaran/{YEAR}/nilai/",
        "review": f"{unit}/reviu/?tahun={YEAR}",
        "documents": f"{unit}/dokumen/?tahun={YEAR}",
        "AKIP evaluation": f"{unit}/lke/{YEAR}/",
        "publication": f"{unit}/publikasi/",
        "public facility page": f"/publik/upt/{SLUG}/",
        "public national page": "/publik/",
        "Renstra list": f"{unit}/renstra/",
        "Renstra": f"{unit}/renstra/2020/",
        "home": "/",
        "notifications": "/notifikasi/",
        "account": "/akun/",
    }


def axe_violations(tab) -> list[dict]:
    """axe-core's violations of impact serious or critical on the page as it stands."""
    if tab.evaluate("typeof window.axe") != "object":
        tab.evaluate(AXE.read_text(encoding="utf-8"))
    result = tab.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def check_pages(tab, base: str, pages: dict[str, str], who: str) -> list[str]:
    """Open every page, run axe; return one line per blocking violation."""
    failures = []
    for name, path in pages.items():
        response = tab.goto(base + path)
        assert response is not None and response.status == 200, (name, path, response.status)
        assert tab.url == base + path, f"{name}: {path} redirected to {tab.url}"
        tab.wait_for_load_state("networkidle")
        shot(tab, f"a11y-{who}-{name.replace(' ', '-')}")
        for v in axe_violations(tab):
            more = len(v["targets"]) - 12
            targets = ", ".join(v["targets"][:12]) + (f" and {more} more" if more > 0 else "")
            failures.append(
                f"{who} · {name} ({path}): {v['id']} [{v['impact']}] {v['help']} — {targets}"
            )
    return failures


def test_the_facility_pages_have_no_serious_accessibility_violation(
    page,  # noqa: F811
    live_server,
    world,
):
    row, next_row = facility_year(world)
    pages = facility_pages(row, next_row)
    base = live_server.url
    failures = []
    for who in ("operator_luwuk", "head_luwuk"):
        log_in(page, base, who)
        page.wait_for_url(f"{base}/")
        failures += check_pages(page, base, pages, who)
        page.click("text=Keluar")
    log_in(page, base, "evaluator_sulteng")
    page.wait_for_url(f"{base}/")
    failures += check_pages(
        page, base, {"regional dashboard": f"/wilayah/kanwil-sulteng/?tahun={YEAR}"}, "evaluator"
    )
    assert not failures, "axe-core violations (serious/critical):\n" + "\n".join(failures)


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_to_the_content(
    page,  # noqa: F811
    live_server,
    world,
):
    base = live_server.url
    log_in(page, base, "operator_luwuk")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/unit/{SLUG}/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href'),"
        " visible: document.activeElement.getBoundingClientRect().width > 1})"
    )
    assert focused == {"text": "Langsung ke isi", "href": "#isi", "visible": True}
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "isi"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # Not shown until focused: off screen before the first Tab.
    page.goto(f"{base}/unit/{SLUG}/")
    box = page.locator("a.skip").bounding_box()
    assert box is None or box["width"] <= 1 or box["y"] + box["height"] <= 0
