"""What a user reads after acting: messages shown by their kind (an open review error is red,
never green), every problem of a form at once and each at its place, buttons named by what the
user's role does there, and quarters written TW I-IV."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kinerja.budget import services as budget
from kinerja.budget.models import BudgetScore, SpendingMonth
from kinerja.measurement.models import EntryWindow, MonitoringNote, QuarterReport
from kinerja.measurement.services import (
    entry_window_set,
    evidence_add,
    monitoring_note_add,
    quarter_transition,
    realization_save,
)
from kinerja.organizations.models import StaffRankCount, StaffReport
from kinerja.planning import services as planning
from kinerja.reporting.models import AnnualReport
from kinerja.review.models import ReviewRun
from tests.conftest import blank_pdf, year_in_order

PDF = blank_pdf()
SUBMIT = "/unit/lapas-luwuk/realisasi/2024/tw/1/status/"
RUN_REVIEW = "/unit/lapas-luwuk/reviu/2024/jalankan/"


def shown_messages(response) -> list[tuple[str, str]]:
    """The page's messages as (kind, text), read from base.html's `ul.messages`."""
    page = response.content.decode()
    box = re.search(r'<ul class="messages">(.*?)</ul>', page, re.S)
    if box is None:
        return []
    return [
        (kind, html.unescape(text))
        for kind, text in re.findall(r'<li class="([^"]*)">(.*?)</li>', box[1], re.S)
    ]


def kinds_of(response, start: str) -> list[str]:
    return [kind for kind, text in shown_messages(response) if text.startswith(start)]


def tidy_year(world, *, staff_total: int = 40, evidence: bool = True):
    """Luwuk 2024 in order (as test_review's clean year), signed, with TW I results; a staff
    total other than 40 is a review error (PEG-01), results without evidence a warning."""
    agreement = world.draft_pk(2024)
    year_in_order(agreement)
    staff = StaffReport.objects.create(
        unit=world.luwuk,
        year=2024,
        as_of=dt.date(2024, 12, 31),
        stated_total=staff_total,
        men=31,
        women=9,
    )
    StaffRankCount.objects.create(report=staff, rank="III/a", count=25)
    StaffRankCount.objects.create(report=staff, rank="II/c", count=15)
    AnnualReport.objects.create(
        unit=world.luwuk,
        year=2024,
        place="Luwuk",
        report_date=dt.date(2025, 1, 6),
        decree_date=dt.date(2024, 12, 16),
    )
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    agreement.refresh_from_db()
    for row in agreement.indicators.filter(indicator__level="ikk").select_related(
        "indicator", "agreement"
    ):
        values = {v.symbol: D(1) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=1, values=values)
        if evidence:
            evidence_add(pk_indicator=row, quarter=1, data=PDF, filename="laporan.pdf")
    return agreement


# --- 1. messages by their kind ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the review runs when the submission commits
def test_a_submission_whose_review_has_open_errors_says_so_in_red(world, login):
    tidy_year(world, staff_total=41)
    response = login(world.users["operator_luwuk"]).post(SUBMIT, {"action": "submit"}, follow=True)
    assert QuarterReport.objects.get(agreement__unit=world.luwuk, quarter=1).status == "submitted"
    run = ReviewRun.objects.get(unit=world.luwuk, year=2024)
    assert run.errors >= 1
    shown = shown_messages(response)
    review = [(kind, text) for kind, text in shown if text.startswith("Reviu 2024:")]
    assert review == [
        (
            "error",
            f"Reviu 2024: {run.errors} galat, {run.warnings} peringatan, {run.notes} catatan "
            "terbuka. Periksa halaman Reviu sebelum laporan disetujui.",
        )
    ], shown
    # The submission itself succeeded, and says so apart from the review's notice.
    assert kinds_of(response, "Laporan TW I 2024:") == ["success"]


@pytest.mark.django_db(transaction=True)
def test_a_submission_whose_review_has_only_warnings_is_a_warning(world, login):
    tidy_year(world, evidence=False)
    response = login(world.users["operator_luwuk"]).post(SUBMIT, {"action": "submit"}, follow=True)
    run = ReviewRun.objects.get(unit=world.luwuk, year=2024)
    assert run.errors == 0 and run.warnings >= 1
    assert kinds_of(response, "Reviu 2024:") == ["warning"]
    assert '<li class="warning">Reviu 2024: 0 galat' in response.content.decode()


def test_running_the_review_with_open_errors_is_an_error_message(world, login):
    tidy_year(world, staff_total=41)
    response = login(world.users["operator_luwuk"]).post(RUN_REVIEW, follow=True)
    assert kinds_of(response, "Reviu 2024 dijalankan dan disimpan") == ["error"]


def test_running_the_review_with_only_warnings_or_nothing_open(world, login):
    agreement = tidy_year(world)
    client = login(world.users["operator_luwuk"])
    clean = client.post(RUN_REVIEW, follow=True)
    nothing_open = "Reviu 2024 dijalankan dan disimpan: 0 galat, 0 peringatan, 0 catatan terbuka."
    assert ("success", nothing_open) in shown_messages(clean)
    # One result submitted without its evidence: a warning (DUK-01), shown as one.
    first = agreement.indicators.filter(indicator__level="ikk").order_by("goal__number", "number")
    first[0].realizations.get(quarter=1).evidence.all().delete()
    quarter_transition(
        agreement=agreement, quarter=1, action="submit", by=world.users["operator_luwuk"]
    )
    warned = client.post(RUN_REVIEW, follow=True)
    assert kinds_of(warned, "Reviu 2024 dijalankan dan disimpan: 0 galat, 1 peringatan") == [
        "warning"
    ]


# --- 2. every problem of a form at once ---------------------------------------------------------


def two_lines(world):
    salaries = budget.line_add(
        unit=world.luwuk, year=2024, level="component", code="001", name="Gaji",
        pagu=D(1_000_000), spending_type="51",
    )  # fmt: skip
    goods = budget.line_add(
        unit=world.luwuk, year=2024, level="component", code="002", name="Operasional",
        pagu=D(3_500_000), spending_type="52", blocked=D(500_000), blocked_reason="Blokir hemat",
    )  # fmt: skip
    return salaries, goods


def row_problems(page: str, line_id: int) -> list[str]:
    """The problems written under one row of the monthly entry table."""
    return [
        html.unescape(text)
        for text in re.findall(
            rf'<p class="error" id="masalah-{line_id}-\d+">(.*?)</p>', page, re.S
        )
    ]


def test_the_monthly_entry_names_both_bad_rows_at_their_rows_and_writes_nothing(world, login):
    salaries, goods = two_lines(world)
    client = login(world.users["operator_luwuk"])
    url = reverse("budget_entry", args=["lapas-luwuk", 2024, 7])
    response = client.post(
        url,
        {
            f"planned_{salaries.id}": "banyak",
            f"realised_{salaries.id}": "100.000",
            f"planned_{goods.id}": "1.000.000",
            f"realised_{goods.id}": "3.200.000",  # 3.000.000 available (3.500.000 − 500.000)
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Belum disimpan: 2 masalah" in page
    first, second = row_problems(page, salaries.id), row_problems(page, goods.id)
    assert len(first) == 1 and "Rencana 'banyak' bukan angka" in first[0]
    assert len(second) == 1 and "melebihi pagu tersedia" in second[0]
    # The bad input is marked and what was typed is kept.
    assert re.search(rf'name="planned_{salaries.id}" value="banyak"[^>]*aria-invalid="true"', page)
    assert f'name="realised_{goods.id}" value="3.200.000"' in page
    assert not SpendingMonth.objects.filter(month=7).exists()


def field_problems(page: str, field: str) -> list[str]:
    box = re.search(rf'<div id="masalah-{field}">(.*?)</div>', page, re.S)
    if box is None:
        return []
    return [html.unescape(t) for t in re.findall(r'<p class="error">(.*?)</p>', box[1], re.S)]


def test_the_scores_form_names_every_bad_field_at_its_field(world, login):
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("budget_scores", args=["lapas-luwuk", 2024]),
        {
            "smart": "sembilan puluh",
            "ikpa": "150",
            "smart_components": "Penyerapan\nDeviasi = 90",
            "ikpa_components": "Penyerapan = 120",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    smart = field_problems(page, "smart")
    ikpa = field_problems(page, "ikpa")
    smart_parts = field_problems(page, "smart_components")
    ikpa_parts = field_problems(page, "ikpa_components")
    assert len(smart) == 1 and smart[0].startswith("Nilai SMART:"), smart
    assert ikpa == ["Nilai IKPA harus antara 0 dan 100."], ikpa
    assert smart_parts == ["Komponen SMART baris 1: tulis 'Nama = nilai'."], smart_parts
    assert len(ikpa_parts) == 1 and "Komponen IKPA Penyerapan" in ikpa_parts[0], ikpa_parts
    assert "Belum disimpan: 4 masalah" in page
    for field in ("smart", "ikpa", "smart_components", "ikpa_components"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page), field
    assert not BudgetScore.objects.filter(unit=world.luwuk, year=2024).exists()


# --- 3. labels by role --------------------------------------------------------------------------


def quarter_buttons(client) -> list[str]:
    page = client.get(reverse("results", args=["lapas-luwuk"]) + "?tahun=2024").content.decode()
    actions = re.search(r'<p class="actions">(.*?)</p>', page, re.S)
    assert actions, "the results page shows no quarter buttons"
    return [html.unescape(t) for t in re.findall(r'<a class="button"[^>]*>(.*?)</a>', actions[1])]


@pytest.fixture
def signed(world):
    agreement = world.draft_pk(2024)
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    return agreement


def test_the_quarter_buttons_say_what_each_role_does(signed, world, login):
    assert quarter_buttons(login(world.users["operator_luwuk"]))[0] == "Isi realisasi TW I"
    for reviewer in ("head_luwuk", "evaluator_sulteng"):
        assert quarter_buttons(login(world.users[reviewer])) == [
            "Periksa realisasi TW I",
            "Periksa realisasi TW II",
            "Periksa realisasi TW III",
            "Periksa realisasi TW IV",
        ], reviewer
    assert quarter_buttons(login(world.users["viewer_national"])) == [
        "Lihat realisasi TW I",
        "Lihat realisasi TW II",
        "Lihat realisasi TW III",
        "Lihat realisasi TW IV",
    ]


def test_the_operator_reads_a_submitted_quarter_instead_of_filling_it(signed, world, login):
    QuarterReport.objects.create(agreement=signed, quarter=1, status="submitted")
    buttons = quarter_buttons(login(world.users["operator_luwuk"]))
    assert buttons == [
        "Lihat realisasi TW I",
        "Isi realisasi TW II",
        "Isi realisasi TW III",
        "Isi realisasi TW IV",
    ]


# --- 4. quarters as TW I-IV ---------------------------------------------------------------------


def test_saving_an_entry_window_names_the_quarter_in_roman(world, login):
    client = login(world.users["evaluator_sulteng"])
    url = reverse("region", args=["kanwil-sulteng"]) + "?tahun=2024&tw=2"
    response = client.post(url, {"opens": "2024-07-01", "closes": "2024-07-15"}, follow=True)
    assert ("success", "Masa pengisian TW II 2024 disimpan.") in shown_messages(response)
    window = EntryWindow.objects.get(region=world.sulteng, year=2024)
    assert (window.quarter, window.opens, window.closes) == (
        2,
        dt.date(2024, 7, 1),
        dt.date(2024, 7, 15),
    )
    wrong = client.post(url, {"opens": "2024-07-15", "closes": "2024-07-01"}, follow=True)
    assert kinds_of(wrong, "Tanggal ditutup tidak boleh sebelum tanggal dibuka") == ["error"]
    assert not kinds_of(wrong, "Masa pengisian")


def test_records_name_their_quarter_in_roman(signed, world):
    window = entry_window_set(
        region=world.sulteng,
        year=2024,
        quarter=3,
        opens=dt.date(2024, 10, 1),
        closes=dt.date(2024, 10, 10),
        by=world.users["evaluator_sulteng"],
    )
    assert str(window) == f"{world.sulteng} 2024 TW III: 2024-10-01 s.d. 2024-10-10"
    row = signed.indicators.filter(indicator__level="ikk").select_related("indicator")[0]
    note = monitoring_note_add(
        pk_indicator=row,
        quarter=4,
        text="Lengkapi data dukung.",
        by=world.users["evaluator_sulteng"],
    )
    assert str(MonitoringNote.objects.get(pk=note.pk)) == f"Catatan {row.indicator.code} TW IV"
    report = QuarterReport.objects.create(agreement=signed, quarter=2)
    assert str(report) == f"{world.luwuk} 2024 TW II"
    realization = realization_save(
        pk_indicator=row, quarter=1, values={v.symbol: D(1) for v in row.indicator.variables.all()}
    )
    assert str(realization) == f"{row.indicator.code} TW I"
    for text in (str(window), str(note), str(report), str(realization)):
        assert not re.search(r"\bTW ?[1-4]\b|triwulan [1-4]", text, re.I), text
