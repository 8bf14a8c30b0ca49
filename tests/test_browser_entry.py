"""The entry page as an operator uses it, in Debian's Chromium: nothing typed is lost (evidence is
uploaded without reloading the page, leaving with unsaved edits asks first), "Simpan semua" saves a
quarter in one action and all or nothing, and the keyboard stays where it was after a save."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.measurement.models import Evidence, Realization, VariableValue
from tests.conftest import blank_pdf
from tests.test_browser import log_in, page, shot  # noqa: F401 - the page fixture
from tests.test_daily_pages import _rows, signed  # noqa: F401 - the signed fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typed_counts_survive_an_upload_and_save_all_is_all_or_nothing(
    page,  # noqa: F811
    live_server,
    world,
    signed,  # noqa: F811
    tmp_path,
):
    rows = _rows(signed)
    a, b, c = rows["IKK-2.3"], rows["IKK-1.1"], rows["IKK-3.1"]
    base = live_server.url
    log_in(page, base, "operator_luwuk")
    page.wait_for_url(f"{base}/")
    page.goto(base + reverse("entry", args=["lapas-luwuk", 2024, 1]))
    # The window's state is the first thing on the page (no window set: open until submitted).
    assert "Masa pengisian TW I 2024" in page.inner_text("section.window")

    page.fill(f"#v-{a.id}-A", "73")
    page.fill(f"#v-{a.id}-B", "78")
    page.fill(f"#v-{b.id}-A", "12")
    assert "2 IKK belum disimpan" in page.inner_text("[data-dirty-count]")

    # Evidence of a third indicator goes up without reloading: the counts typed above stay.
    pdf = tmp_path / "absensi.pdf"
    pdf.write_bytes(blank_pdf())
    page.set_input_files(f"#file-{c.id}", str(pdf))
    page.click(f"#unggah-{c.id}")
    page.wait_for_selector(f"#evidence-{c.id} a:has-text('absensi.pdf')")
    assert Evidence.objects.filter(realization__pk_indicator=c).count() == 1
    assert page.input_value(f"#v-{a.id}-A") == "73"
    assert page.input_value(f"#v-{a.id}-B") == "78"
    assert page.input_value(f"#v-{b.id}-A") == "12"
    assert page.dialogs == []
    shot(page, "entry-after-upload")
    # A refused file says why in the same box, and still nothing typed is lost.
    fake = tmp_path / "bukan.pdf"
    fake.write_bytes(b"MZ\x90\x00 bukan PDF")
    page.set_input_files(f"#file-{c.id}", str(fake))
    page.click(f"#unggah-{c.id}")
    page.wait_for_selector(f"#evidence-{c.id} [role=alert]")
    assert "bukan PDF, JPG atau PNG" in page.inner_text(f"#evidence-{c.id}")
    assert page.input_value(f"#v-{a.id}-A") == "73"
    assert Evidence.objects.filter(realization__pk_indicator=c).count() == 1

    # One bad value: "Simpan semua" writes nothing, marks the bad one, keeps everything typed.
    page.fill(f"#v-{b.id}-A", "dua belas")
    page.click("#simpan-semua")
    page.wait_for_selector(f"#ikk-{b.id}.refused")
    assert not VariableValue.objects.filter(realization__pk_indicator__in=[a, b]).exists()
    assert "Tidak ada yang disimpan" in page.inner_text("ul.messages li.error")
    assert "bukan angka" in page.inner_text(f"#ikk-{b.id}")
    assert page.get_attribute(f"#v-{b.id}-A", "aria-invalid") == "true"
    assert page.input_value(f"#v-{a.id}-A") == "73"
    shot(page, "entry-save-all-refused")
    # The same page on a phone: nothing wider than the screen, "Simpan semua" at hand.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.is_visible("#simpan-semua")
    shot(page, "entry-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Every indicator of the quarter, then one action saves them all.
    for row in rows.values():
        for field in page.query_selector_all(f"#ikk-{row.id} input.num"):
            if not field.input_value():
                field.fill("7")
    page.fill(f"#v-{b.id}-A", "6")
    page.click("#simpan-semua")
    page.wait_for_selector("ul.messages li.success")
    assert f"{len(rows)} IKK disimpan" in page.inner_text("ul.messages li.success")
    saved = {
        (v.realization.pk_indicator_id, v.symbol): v.value
        for v in VariableValue.objects.select_related("realization")
    }
    assert saved[(a.id, "A")] == Decimal(73) and saved[(b.id, "A")] == Decimal(6)
    assert Realization.objects.filter(quarter=1).count() == len(rows)
    assert page.dialogs == []  # saving is not leaving with unsaved edits

    # Leaving with an unsaved edit (another quarter's tab) asks first.
    page.fill(f"#v-{a.id}-A", "74")
    page.click("nav.tabs a:has-text('TW II')")
    page.wait_for_url("**/tw/2/")
    assert page.dialogs == ["beforeunload"]


def test_enter_saves_one_indicator_and_the_focus_stays_in_its_field(
    page,  # noqa: F811
    live_server,
    world,
    signed,  # noqa: F811
):
    row = _rows(signed)["IKK-2.3"]
    base = live_server.url
    log_in(page, base, "operator_luwuk")
    page.wait_for_url(f"{base}/")
    page.goto(base + reverse("entry", args=["lapas-luwuk", 2024, 1]))
    page.fill(f"#v-{row.id}-A", "30")
    page.fill(f"#v-{row.id}-B", "40")
    page.focus(f"#v-{row.id}-B")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#ikk-{row.id} .ok")
    assert page.evaluate("document.activeElement.id") == f"v-{row.id}-B"
    assert page.url.endswith("/tw/1/")  # the page was not reloaded
    assert VariableValue.objects.filter(realization__pk_indicator=row).count() == 2
    # The skip link is the first stop of the keyboard.
    page.keyboard.press("Shift+Tab")
    page.goto(page.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Langsung ke isi"
