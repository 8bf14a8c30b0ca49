"""In Debian's Chromium: the Content-Security-Policy breaks nothing on the main pages (no violation
in the console, htmx still saves), and irreversible actions ask first (issue 13, point 8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.demo import DEMO_PASSWORD, load_demo
from kinerja.measurement.models import QuarterReport, Transition
from kinerja.measurement.services import realization_save
from kinerja.planning import services as planning
from tests.conftest import chromium_path, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    path = chromium_path()
    require(path is not None, "Chromium tidak terpasang (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev extra missing
        require(False, "playwright (pip) tidak terpasang")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        yield context.new_page()
        browser.close()


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_the_main_pages_run_under_the_policy_without_a_violation(browser_page, live_server):
    load_demo()
    page, base = browser_page, live_server.url
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"{page.url}: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    # every resource loads (the admin's pages ask for /favicon.ico, which is not served)
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.url}: HTTP {r.status}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(f"{base}/masuk/")
    log_in(page, base, "admin", DEMO_PASSWORD)
    pages = [
        "/unit/lapas-atambua/?tahun=2023",
        "/unit/lapas-atambua/capaian/?tahun=2023",
        "/unit/lapas-atambua/realisasi/2023/tw/4/",
        "/unit/lapas-atambua/anggaran/?tahun=2023",
        "/unit/lapas-luwuk/anggaran/?tahun=2024",
        "/unit/lapas-atambua/dokumen/?tahun=2023",
        "/unit/lapas-atambua/reviu/?tahun=2023",
        "/wilayah/kanwil-ntt/?tahun=2023&tw=4",
        "/unit/lapas-luwuk/?tahun=2024",
        "/kata-sandi/ubah/",
        "/",
        "/notifikasi/",
        "/admin/",
    ]
    for url in pages:
        response = page.goto(base + url)
        page.wait_for_load_state("load")
        assert response.status == 200, url
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
    # the budget chart is drawn (inline SVG is markup, not a script)
    page.goto(f"{base}/unit/lapas-atambua/anggaran/?tahun=2023")
    assert page.locator("svg.chart polyline.realised").count() == 1
    # htmx loaded and left no style element of its own
    page.goto(f"{base}/unit/lapas-atambua/realisasi/2023/tw/4/")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert problems == [], "\n".join(problems)


def test_submitting_a_quarter_asks_first_and_cancelling_changes_nothing(
    browser_page, live_server, world
):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    for row in agreement.indicators.filter(indicator__level="ikk").select_related(
        "indicator", "agreement"
    ):
        realization_save(
            pk_indicator=row,
            quarter=2,
            values={v.symbol: Decimal(1) for v in row.indicator.variables.all()},
        )
    page, base = browser_page, live_server.url
    log_in(page, base, "operator_luwuk", "rahasia-uji-123")
    page.goto(f"{base}/unit/lapas-luwuk/realisasi/2024/tw/2/")

    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("button:has-text('Ajukan ke Kepala UPT')")
    page.wait_for_timeout(500)
    assert asked == [
        "Ajukan realisasi TW II 2024 ke Kepala UPT? Setelah diajukan, data tidak dapat diubah."
    ]
    report = QuarterReport.objects.get(agreement=agreement, quarter=2)
    assert report.status == "draft" and not Transition.objects.exists()
    assert "Diajukan" not in page.content()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Ajukan ke Kepala UPT')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "submitted" and Transition.objects.count() == 1


def test_signing_the_pk_asks_first(browser_page, live_server, world):
    agreement = world.draft_pk()
    page, base = browser_page, live_server.url
    log_in(page, base, "head_luwuk", "rahasia-uji-123")
    page.goto(f"{base}/unit/lapas-luwuk/?tahun=2024")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button:has-text('Tandatangani dan kunci')")
    page.wait_for_timeout(500)
    assert asked and asked[0].startswith("Tandatangani Perjanjian Kinerja 2024?")
    agreement.refresh_from_db()
    assert agreement.status == "draft"
