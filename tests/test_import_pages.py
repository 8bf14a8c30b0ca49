"""The import page: upload, preview with problems and places, confirm; downloads; outsiders get nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.imports.models import ImportRecord
from kinerja.planning.models import PerjanjianKinerja
from tests.test_imports import XLSX, text_in_pagu, workbook_bytes


def upload(client, data: bytes, name: str = "renaksi.xlsx", slug: str = "lapas-luwuk"):
    return client.post(
        reverse("renaksi_upload", args=[slug]),
        {"year": "2024", "file": SimpleUploadedFile(name, data)},
    )


def test_upload_preview_and_confirm(login, world):
    client = login(world.users["operator_luwuk"])
    response = upload(client, XLSX.read_bytes())
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "23 indikator" in preview and "Rp 9.485.886.000" in preview
    assert "renaksi.xlsx, lembar RENAKSI, baris 61" in preview and "Rp 10.200.000" in preview
    assert "Konfirmasi impor" in preview
    assert not PerjanjianKinerja.objects.filter(
        unit=world.luwuk, year=2024
    ).exists()  # nothing before confirming
    done = client.post(response["Location"])
    assert done.status_code == 302
    assert PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024).indicators.count() == 23
    record = ImportRecord.objects.get(unit=world.luwuk)
    assert record.status == "imported" and record.uploaded_by == world.users["operator_luwuk"]
    assert record.file.read() == XLSX.read_bytes() and len(record.warnings) == 3


def test_a_damaged_upload_shows_its_errors_and_cannot_be_confirmed(login, world):
    client = login(world.users["operator_luwuk"])
    response = upload(client, workbook_bytes(text_in_pagu), "rusak.xlsx")
    preview = client.get(response["Location"]).content.decode()
    assert "impor tidak dapat dilanjutkan" in preview
    assert "rusak.xlsx, lembar RENAKSI, baris 9, kolom F (PAGU)" in preview
    assert "Konfirmasi impor" not in preview
    client.post(response["Location"])
    assert not PerjanjianKinerja.objects.filter(unit=world.luwuk).exists()


def test_an_outsider_can_neither_upload_nor_see_a_preview_nor_download(login, world):
    owner = login(world.users["operator_luwuk"])
    preview_url = upload(owner, XLSX.read_bytes())["Location"]
    owner.post(preview_url)
    outsider = login(world.users["operator_atambua"])
    assert upload(outsider, XLSX.read_bytes()).status_code == 404
    assert outsider.get(preview_url).status_code == 404
    assert outsider.post(preview_url).status_code == 404
    for fmt in ("xlsx", "pdf"):
        assert (
            outsider.get(reverse("renaksi_download", args=["lapas-luwuk", 2024, fmt])).status_code
            == 404
        )
    assert ImportRecord.objects.filter(unit=world.luwuk).count() == 1


def test_the_regional_evaluator_downloads_but_cannot_import(login, world):
    upload_client = login(world.users["operator_luwuk"])
    upload_client.post(upload(upload_client, XLSX.read_bytes())["Location"])
    evaluator = login(world.users["evaluator_sulteng"])
    response = evaluator.get(reverse("renaksi_download", args=["lapas-luwuk", 2024, "xlsx"]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="rencana-aksi-lapas-luwuk-2024.xlsx"'
    )
    assert evaluator.get(reverse("renaksi_upload", args=["lapas-luwuk"])).status_code == 404
