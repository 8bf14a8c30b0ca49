"""The AKIP evaluation as its users do it, in Debian's Chromium: the head fills the self-assessment
(taking the pre-fill's proposals, answering the rest, uploading evidence) and submits it; the
regional evaluator finds it on the to-do list, scores it, writes a recommendation and finishes;
the facility records its follow-up."""

from __future__ import annotations

import datetime as dt

import pytest

from kinerja.evaluation.models import Answer, AnswerFile, Evaluation, FollowUp
from tests.conftest import blank_pdf
from tests.test_browser import log_in, page, shot  # noqa: F401 - the page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/unit/lapas-luwuk/lke/2024/"


def test_head_fills_and_submits_evaluator_scores_and_facility_follows_up(
    page,  # noqa: F811
    live_server,
    world,
    tmp_path,
):
    base = live_server.url
    world.draft_pk(2024)  # a PK being prepared: the pre-fill says so

    # The head: the proposals first, then the rest by hand, evidence, and submit.
    log_in(page, base, "head_luwuk")
    page.wait_for_url(f"{base}/")
    page.goto(base + URL)
    assert "Belum dimulai" in page.inner_text("#status")
    assert "usulan C" in page.content()  # 1.1.4: the PK is still a draft
    page.click("button:has-text('Pakai usulan untuk kriteria yang belum dijawab')")
    page.wait_for_selector("ul.messages li.success")
    taken = Answer.objects.filter(evaluation__unit=world.luwuk).exclude(self_value="")
    assert taken.count() >= 15
    assert taken.filter(criterion__prefill="pk_exists", self_value="C").exists()
    # Every criterion still blank: answered "B", one with an explanation typed.
    page.eval_on_selector_all(
        "#lembar select", "els => els.forEach(e => { if (!e.value) e.value = 'B'; })"
    )
    first_blank = page.locator("#lembar textarea").first
    first_blank.fill("Pedoman teknis perencanaan disusun Kanwil dan dipakai UPT.")
    page.click("button:has-text('Simpan jawaban')")
    page.wait_for_selector("ul.messages li.success")
    assert "80 dari 80 kriteria dijawab" in page.inner_text("#ringkasan")
    # Evidence for one criterion, through its own small form.
    pdf = tmp_path / "pedoman.pdf"
    pdf.write_bytes(blank_pdf())
    row = page.locator("tr[id^=k]").first
    row.locator("summary:has-text('Tambah data dukung')").click()
    row.locator("input[type=file]").set_input_files(str(pdf))
    row.locator("button:has-text('Unggah')").click()
    page.wait_for_selector("ul.messages li.success")
    assert AnswerFile.objects.filter(original_name="pedoman.pdf").count() == 1
    assert page.locator("a:has-text('pedoman.pdf')").count() == 1
    shot(page, "lke-self")
    page.click("button:has-text('Ajukan kepada evaluator')")  # confirmed
    page.wait_for_selector("ul.messages li.success")
    assert "Diajukan kepada evaluator" in page.inner_text("#status")
    assert page.locator("#lembar").count() == 0  # locked: no form left for the facility
    page.click("text=Keluar")

    # The evaluator: from the to-do list to the sheet, scores, a recommendation, finish.
    log_in(page, base, "evaluator_sulteng")
    page.wait_for_url(f"{base}/")
    page.click("a:has-text('Evaluasi AKIP 2024')")
    page.wait_for_url(f"{base}{URL}")
    page.eval_on_selector_all("#lembar select", "els => els.forEach(e => { e.value = 'B'; })")
    page.click("button:has-text('Simpan jawaban evaluator')")
    page.wait_for_selector("ul.messages li.success")
    deadline = world.luwuk.local_today() + dt.timedelta(days=10)
    page.fill("#rek", "Kaitkan setiap IKK dengan anggaran yang mendanainya.")
    page.fill("#rek-batas", deadline.isoformat())
    page.click("button:has-text('Tambah rekomendasi')")
    page.wait_for_selector("ul.messages li.success")
    page.fill("#simpulan", "Implementasi SAKIP sangat baik; perbaiki keterkaitan anggaran.")
    page.click("button:has-text('Selesaikan dan kunci')")
    page.wait_for_selector("ul.messages li.success")
    assert "nilai 75,00, predikat BB" in page.inner_text("ul.messages")
    assert "75,00 · BB" in page.inner_text("#nilai-akhir")
    evaluation = Evaluation.objects.get(unit=world.luwuk, year=2024)
    assert (str(evaluation.score), evaluation.grade, evaluation.status) == ("75.00", "BB", "final")
    shot(page, "lke-final")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "lke-final-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("text=Keluar")

    # The facility: the recommendation is on its to-do list; it records the follow-up.
    log_in(page, base, "operator_luwuk")
    page.wait_for_url(f"{base}/")
    assert "Tindak lanjuti rekomendasi evaluasi AKIP 2024" in page.inner_text("section.todo")
    page.click("a:has-text('Tindak lanjuti rekomendasi evaluasi AKIP 2024')")
    page.click("summary:has-text('Catat tindak lanjut')")
    page.fill("textarea[name=tindak_lanjut]", "Setiap IKK kini terhubung dengan baris DIPA-nya.")
    page.check("input[name=selesai]")
    page.locator("form:has(textarea[name=tindak_lanjut]) input[type=file]").set_input_files(
        str(pdf)
    )
    page.click("button:has-text('Simpan tindak lanjut')")
    page.wait_for_selector("ul.messages li.success")
    follow = FollowUp.objects.get()
    assert follow.done and follow.original_name == "pedoman.pdf"
    assert "Setiap IKK kini terhubung" in page.inner_text("#rekomendasi ~ table")
    page.goto(f"{base}/")
    assert "Tindak lanjuti rekomendasi" not in page.inner_text("section.todo")
