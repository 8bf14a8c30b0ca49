"""The entry page: per-indicator saves, evidence checked by content and size, workflow buttons, access."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.measurement.models import Evidence, QuarterReport, Realization
from kinerja.planning import services as planning
from tests.conftest import blank_pdf

PDF = blank_pdf()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode"


@pytest.fixture
def signed(world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    return agreement, agreement.indicators.get(indicator__code="IKK-2.3")


def row_url(row, quarter=1):
    return reverse("entry_row", args=["lapas-luwuk", 2024, quarter, row.id])


def test_the_entry_page_lists_every_ikk_with_its_variables(login, world, signed):
    page = (
        login(world.users["operator_luwuk"])
        .get(reverse("entry", args=["lapas-luwuk", 2024, 1]))
        .content.decode()
    )
    assert page.count('class="card ikk"') == 28
    assert 'value="-"' not in page  # an empty count is an empty field, not a dash to delete first
    assert "A = Jumlah narapidana yang mendapat program reintegrasi sosial" in page
    assert "kinerja/htmx.min.js" in page and "https://" not in page.split("<body>")[1]


def test_a_row_saves_through_htmx_and_returns_its_figure(login, world, signed):
    _, row = signed
    client = login(world.users["operator_luwuk"])
    response = client.post(
        row_url(row),
        {"v_A": "73", "v_B": "78", "narrative": "Usulan PB/CB"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<section")
    assert "Tersimpan." in html and "73 / 78 × 100 = 93,58%" in html
    assert Realization.objects.get(pk_indicator=row, quarter=1).narrative == "Usulan PB/CB"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"v_A": "tujuh", "v_B": "78"}, "&#x27;tujuh&#x27; bukan angka"),
        ({"v_A": "79", "v_B": "78"}, "A (79) tidak boleh lebih besar dari B (78)"),
        ({"v_A": "-3", "v_B": "78"}, "A tidak boleh negatif"),
    ],
)
def test_bad_values_come_back_with_a_message_and_nothing_is_saved(
    login, world, signed, values, message
):
    _, row = signed
    html = (
        login(world.users["operator_luwuk"])
        .post(row_url(row), values, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert message in html and "Tersimpan." not in html
    assert not Realization.objects.filter(pk_indicator=row).exists()


def test_without_javascript_the_row_form_redirects_back_with_a_message(login, world, signed):
    _, row = signed
    response = login(world.users["operator_luwuk"]).post(
        row_url(row), {"v_A": "73", "v_B": "78"}, follow=True
    )
    assert "IKK-2.3 disimpan." in response.content.decode()


def upload(client, row, name, data, quarter=1):
    url = reverse("evidence_upload", args=["lapas-luwuk", 2024, quarter, row.id])
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True).content.decode()


def test_evidence_is_checked_by_content_and_size(login, world, signed, settings):
    _, row = signed
    client = login(world.users["operator_luwuk"])
    assert "bukan PDF, JPG atau PNG menurut isinya" in upload(client, row, "laporan.pdf", EXE)
    settings.KINERJA_EVIDENCE_MAX_BYTES = 1024
    assert "batasnya" in upload(client, row, "besar.pdf", PDF + b"0" * 2048)
    assert not Evidence.objects.exists()
    settings.KINERJA_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    assert "Data dukung BAST.pdf ditambahkan" in upload(client, row, "BAST.pdf", PDF)
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    download = client.get(reverse("evidence", args=["lapas-luwuk", evidence.id]))
    assert b"".join(download.streaming_content) == PDF


def test_an_outsider_gets_nothing_from_the_entry_pages(login, world, signed):
    agreement, row = signed
    owner = login(world.users["operator_luwuk"])
    upload(owner, row, "BAST.pdf", PDF)
    evidence = Evidence.objects.get()
    outsider = login(world.users["operator_atambua"])
    assert outsider.get(reverse("entry", args=["lapas-luwuk", 2024, 1])).status_code == 404
    assert outsider.post(row_url(row), {"v_A": "1", "v_B": "2"}).status_code == 404
    assert (
        outsider.post(
            reverse("evidence_upload", args=["lapas-luwuk", 2024, 1, row.id]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        ).status_code
        == 404
    )
    assert outsider.get(reverse("evidence", args=["lapas-luwuk", evidence.id])).status_code == 404
    assert (
        outsider.post(
            reverse("quarter_action", args=["lapas-luwuk", 2024, 1]), {"action": "submit"}
        ).status_code
        == 404
    )
    assert not Realization.objects.filter(pk_indicator=row, values__isnull=False).exists()
    assert Evidence.objects.count() == 1


def test_the_evaluator_sees_but_cannot_enter_and_returns_with_a_reason(login, world, signed):
    agreement, row = signed
    QuarterReport.objects.create(agreement=agreement, quarter=1, status="approved")
    evaluator = login(world.users["evaluator_sulteng"])
    page = evaluator.get(reverse("entry", args=["lapas-luwuk", 2024, 1])).content.decode()
    assert "Verifikasi" in page and "disabled" in page
    assert evaluator.post(row_url(row), {"v_A": "1", "v_B": "2"}).status_code == 404
    response = evaluator.post(
        reverse("quarter_action", args=["lapas-luwuk", 2024, 1]),
        {"action": "return", "reason": "Lampiran BAST belum ada"},
        follow=True,
    )
    assert "Dikembalikan" in response.content.decode()
    operator_page = login(world.users["operator_luwuk"]).get(
        reverse("entry", args=["lapas-luwuk", 2024, 1])
    )
    assert "Dikembalikan: Lampiran BAST belum ada" in operator_page.content.decode()


def test_every_change_is_on_the_indicator_history_page(login, world, signed):
    _, row = signed
    client = login(world.users["operator_luwuk"])
    client.post(row_url(row), {"v_A": "70", "v_B": "78"}, HTTP_HX_REQUEST="true")
    client.post(row_url(row), {"v_A": "73", "v_B": "78"}, HTTP_HX_REQUEST="true")
    upload(client, row, "BAST.pdf", PDF)
    page = client.get(
        reverse("indicator_history", args=["lapas-luwuk", 2024, row.id])
    ).content.decode()
    assert "<td>TW I variabel A: nilai</td><td>70</td><td>73</td>" in page  # old and new value
    assert "<td>TW I variabel A: nilai</td><td>-</td><td>70</td>" in page  # first entry
    assert "operator_luwuk" in page and "BAST.pdf" in page
    outsider = login(world.users["operator_atambua"])
    assert (
        outsider.get(reverse("indicator_history", args=["lapas-luwuk", 2024, row.id])).status_code
        == 404
    )
