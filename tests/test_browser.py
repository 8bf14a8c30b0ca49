"""Real clicks in Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from tests.conftest import blank_pdf, chromium_path, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KINERJA_SCREENSHOTS")


@contextlib.contextmanager
def chromium_page(monkeypatch, width: int = 1280, height: int = 900):
    """A page of Debian's Chromium, headless, at the given viewport."""
    path = chromium_path()
    require(path is not None, "Chromium tidak terpasang (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev extra missing
        require(False, "playwright (pip) tidak terpasang")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        page = context.new_page()
        # Irreversible actions ask first (data-confirm); these walks answer "OK". The kinds of
        # dialog seen are kept (a page left with unsaved edits asks with "beforeunload").
        page.dialogs = []

        def answer(dialog):
            page.dialogs.append(dialog.type)
            dialog.accept()

        page.on("dialog", answer)
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(live_server, monkeypatch):
    with chromium_page(monkeypatch) as opened:
        yield opened


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "rahasia-uji-123")
    page.click("button[type=submit]")


def to_own_facility(page, base: str) -> None:
    """A one-facility user lands on the home page (the to-do list first) and opens the facility."""
    page.wait_for_url(f"{base}/")
    assert "Yang perlu Anda kerjakan" in page.content()
    page.click("a.button:has-text('Perjanjian Kinerja')")
    page.wait_for_url(f"{base}/unit/lapas-luwuk/")


def test_an_operator_fills_targets_and_the_head_signs(page, live_server, world):
    agreement = world.draft_pk(complete=False)
    base = live_server.url
    log_in(page, base, "operator_luwuk")
    to_own_facility(page, base)
    assert "Belum dapat ditandatangani" not in page.content()  # operators do not sign
    shot(page, "unit-draft")
    page.click("text=Ubah PK dan target")
    rows = {r.indicator.code: r.id for r in agreement.indicators.select_related("indicator")}
    page.fill(f"#id_t-target_{rows['IKK-1.1']}", "delapan")
    page.click("button:has-text('Simpan')")
    assert "bukan angka" in page.content()
    shot(page, "pk-form-error")
    for code, row_id in rows.items():
        page.fill(f"#id_t-target_{row_id}", "92,5" if code == "IKP-2.2" else "80")
    page.select_option("#id_budget-0-kind", "program")
    page.fill("#id_budget-0-name", "Program Dukungan Manajemen")
    page.fill("#id_budget-0-amount", "3.628.749.000")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(f"{base}/unit/lapas-luwuk/?tahun=2024")
    assert "Perjanjian Kinerja disimpan" in page.content()
    assert "Rp 3.628.749.000" in page.content() and "92,5" in page.content()

    page.click("text=Keluar")
    log_in(page, base, "head_luwuk")
    to_own_facility(page, base)
    page.click("button:has-text('Tandatangani dan kunci')")
    # The review still has open errors (no Rencana Aksi yet): the head signs knowing them.
    assert "galat terbuka" in page.content() and "REN-02" in page.content()
    shot(page, "pk-sign-confirm")
    page.click("button:has-text('Tetap tandatangani dan kunci')")
    assert "ditandatangani dan dikunci" in page.content()
    assert "Ubah PK dan target" not in page.content()
    shot(page, "unit-signed")
    agreement.refresh_from_db()
    assert agreement.status == "signed"


def test_an_outsider_sees_nothing_of_another_facility(page, live_server, world):
    world.draft_pk()
    log_in(page, live_server.url, "operator_atambua")
    response = page.goto(f"{live_server.url}/unit/lapas-luwuk/")
    assert response.status == 404
    assert "Luwuk" not in page.content()


def test_a_quarter_goes_from_operator_to_head_to_region_and_back(
    page, live_server, world, tmp_path
):
    from decimal import Decimal

    from kinerja.measurement.services import realization_save
    from kinerja.planning import services as planning

    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    food = None
    for row in agreement.indicators.filter(indicator__level="ikk").select_related(
        "indicator", "agreement"
    ):
        if row.indicator.code == "IKK-1.1":
            food = row
            continue
        realization_save(
            pk_indicator=row,
            quarter=1,
            values={v.symbol: Decimal(1) for v in row.indicator.variables.all()},
        )
    evidence = tmp_path / "BAST-makanan.pdf"
    evidence.write_bytes(blank_pdf())
    base = live_server.url
    entry = f"{base}/unit/lapas-luwuk/realisasi/2024/tw/1/"

    log_in(page, base, "operator_luwuk")
    page.goto(entry)
    card = page.locator(f"#ikk-{food.id}")
    card.locator("input[name$='-A']").fill("190")
    card.locator("input[name$='-B']").fill("190")
    card.locator("button:has-text('Simpan')").click()
    page.locator(f"#ikk-{food.id} .ok").wait_for()
    assert "190 / 190 × 100 = 100,00%" in page.locator(f"#ikk-{food.id}").inner_text()
    page.locator(f"#ikk-{food.id} input[type=file]").set_input_files(str(evidence))
    page.locator(f"#ikk-{food.id} button:has-text('Unggah')").click()
    page.locator(f"#evidence-{food.id} a:has-text('BAST-makanan.pdf')").wait_for()
    assert "BAST-makanan.pdf" in page.locator(f"#ikk-{food.id}").inner_text()
    page.click("button:has-text('Ajukan ke Kepala UPT')")
    assert "Diajukan" in page.content()
    shot(page, "entry-submitted")
    page.click("text=Keluar")

    log_in(page, base, "head_luwuk")
    page.goto(entry)
    page.click("button:has-text('Setujui')")
    assert "Disetujui Kepala UPT" in page.content()
    page.click("text=Keluar")

    log_in(page, base, "evaluator_sulteng")
    page.goto(entry)
    page.fill("#reason", "Foto kegiatan TW I belum dilampirkan")
    page.click("button:has-text('Kembalikan')")
    assert "Dikembalikan" in page.content()
    page.click("text=Keluar")

    log_in(page, base, "operator_luwuk")
    page.goto(entry)
    assert "Dikembalikan: Foto kegiatan TW I belum dilampirkan" in page.content()
    shot(page, "entry-returned")
