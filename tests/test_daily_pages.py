"""The facility's daily pages: "Simpan semua" (all or nothing, every problem at its indicator), the
entry window shown first and a closed period read-only, each facility in its own time zone, notes
with their author and date, and signing a PK knowing the review's open errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.core.formatting import format_datetime
from kinerja.measurement.models import EntryWindow, MonitoringNote, Realization, VariableValue
from kinerja.measurement.services import realization_save
from kinerja.organizations.models import Membership, Role
from kinerja.organizations.services import user_upsert
from kinerja.planning import services as planning
from kinerja.planning.models import PKStatus

ENTRY = reverse("entry", args=["lapas-luwuk", 2024, 1])
SAVE_ALL = reverse("entry_save_all", args=["lapas-luwuk", 2024, 1])


@pytest.fixture
def signed(world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    return agreement


def _rows(agreement):
    return {
        r.indicator.code: r
        for r in agreement.indicators.filter(indicator__level="ikk").select_related("indicator")
    }


def _at(text: str):
    """A frozen clock at a moment given in UTC."""
    moment = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_save_all_writes_the_changed_indicators_at_once(login, world, signed):
    rows = _rows(signed)
    a, b = rows["IKK-2.3"], rows["IKK-1.1"]
    realization_save(pk_indicator=b, quarter=1, values={"A": Decimal(3), "B": Decimal(4)})
    history_before = VariableValue.history.count()
    client = login(world.users["operator_luwuk"])
    response = client.post(
        SAVE_ALL,
        {
            f"r{a.id}-A": "73",
            f"r{a.id}-B": "78",
            f"r{a.id}-narrative": "Usulan PB/CB",
            f"r{b.id}-A": "3",  # as stored: not written again
            f"r{b.id}-B": "4",
            f"r{b.id}-narrative": "",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "1 IKK disimpan: IKK-2.3." in html
    stored = {v.symbol: v.value for v in VariableValue.objects.filter(realization__pk_indicator=a)}
    assert stored == {"A": Decimal(73), "B": Decimal(78)}
    assert VariableValue.history.count() == history_before + 2  # b's unchanged values: no record
    again = client.post(SAVE_ALL, {f"r{a.id}-A": "73", f"r{a.id}-B": "78"}, follow=True)
    assert "Tidak ada perubahan untuk disimpan." in again.content.decode()


def test_save_all_writes_nothing_and_names_every_problem_at_its_indicator(login, world, signed):
    rows = _rows(signed)
    a, b, c = rows["IKK-2.3"], rows["IKK-1.1"], rows["IKK-3.1"]
    client = login(world.users["operator_luwuk"])
    response = client.post(
        SAVE_ALL,
        {
            f"r{a.id}-A": "73",
            f"r{a.id}-B": "78",
            f"r{b.id}-A": "dua",  # not a number
            f"r{b.id}-B": "-1",  # and negative: both shown, not only the first
            f"r{c.id}-A": "9",
            f"r{c.id}-B": "5",  # a part larger than its whole (checked by the service)
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert not VariableValue.objects.exists()
    assert "Tidak ada yang disimpan: 2 IKK perlu diperbaiki" in html
    section_b = html.split(f'id="ikk-{b.id}"')[1].split("</section>")[0]
    assert "bukan angka" in section_b and 'aria-invalid="true"' in section_b
    section_c = html.split(f'id="ikk-{c.id}"')[1].split("</section>")[0]
    assert "tidak boleh lebih besar dari" in section_c
    # What was typed is still in the fields, the good row's too.
    assert f'name="r{a.id}-A" class="num" inputmode="decimal" autocomplete="off" value="73"' in html
    assert 'value="dua"' in html


def test_a_closed_period_is_read_only_with_its_date_and_who_reopens_it(login, world, signed):
    evaluator = user_upsert(username="evaluator_kedua", password="rahasia-uji-123")
    evaluator.first_name, evaluator.last_name = "Sri", "Wahyuni"
    evaluator.save()
    Membership.objects.create(user=evaluator, unit=world.sulteng, role=Role.EVALUATOR)
    today = world.luwuk.local_today()
    EntryWindow.objects.create(
        region=world.sulteng,
        year=2024,
        quarter=1,
        opens=today - dt.timedelta(days=20),
        closes=today - dt.timedelta(days=10),
    )
    html = login(world.users["operator_luwuk"]).get(ENTRY).content.decode()
    top = html.split('class="card window')[1].split("</section>")[0]
    assert "Sudah ditutup sejak" in top and "hanya dapat dibaca" in top
    assert "Sri Wahyuni" in top and "Kanwil" in top
    row = _rows(signed)["IKK-2.3"]
    assert f'id="v-{row.id}-A" name="r{row.id}-A"' in html
    field = html.split(f'id="v-{row.id}-A"')[1].split(">")[0]
    assert "disabled" in field
    assert "Simpan semua" not in html and 'type="file"' not in html
    assert "Ajukan ke Kepala UPT" not in html
    # Posting anyway is refused with the same reason, and nothing is written.
    response = login(world.users["operator_luwuk"]).post(
        SAVE_ALL, {f"r{row.id}-A": "1", f"r{row.id}-B": "2"}
    )
    assert response.status_code == 422 and "sudah ditutup sejak" in response.content.decode()
    assert not VariableValue.objects.exists()


def test_a_wita_facility_sees_its_deadline_and_saved_time_in_wita(login, world, signed):
    world.luwuk.time_zone = "Asia/Makassar"
    world.luwuk.save()
    EntryWindow.objects.create(
        region=world.sulteng,
        year=2024,
        quarter=1,
        opens=dt.date(2024, 4, 1),
        closes=dt.date(2024, 4, 10),
    )
    row = _rows(signed)["IKK-2.3"]
    client = login(world.users["operator_luwuk"])
    url = reverse("entry_row", args=["lapas-luwuk", 2024, 1, row.id])
    # 15.30 UTC is 22.30 WIB but 23.30 WITA: still the last day in Luwuk.
    with _at("2024-04-10 15:30"):
        top = client.get(ENTRY).content.decode().split('class="card window')[1]
        assert "Hari ini hari terakhir" in top and "(WITA)" in top
        saved = client.post(url, {f"r{row.id}-A": "73", f"r{row.id}-B": "78"}, HTTP_HX_REQUEST="1")
        assert "Tersimpan." in saved.content.decode()
        assert "10 April 2024 23.30 WITA" in saved.content.decode()
    # 16.30 UTC is 23.30 WIB, but already 11 April 00.30 in Luwuk: closed there.
    with _at("2024-04-10 16:30"):
        assert timezone.localdate() == dt.date(2024, 4, 10)  # the server's (WIB) date
        html = client.get(ENTRY).content.decode()
        assert "Sudah ditutup sejak <strong>10 April 2024</strong> (WITA)" in html
        refused = client.post(
            url, {f"r{row.id}-A": "70", f"r{row.id}-B": "78"}, HTTP_HX_REQUEST="1"
        )
        assert "sudah ditutup sejak 10 April 2024" in refused.content.decode()
    assert VariableValue.objects.get(symbol="A").value == Decimal(73)


def test_the_change_log_and_history_show_times_in_the_facilitys_zone(login, world, signed):
    world.luwuk.time_zone = "Asia/Makassar"
    world.luwuk.save()
    row = _rows(signed)["IKK-2.3"]
    with _at("2024-04-02 06:05"):
        realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(1), "B": Decimal(2)})
    client = login(world.users["operator_luwuk"])
    history = client.get(reverse("indicator_history", args=["lapas-luwuk", 2024, row.id]))
    assert "02 April 2024 14.05 WITA" in history.content.decode()


def test_one_date_time_format_everywhere():
    moment = dt.datetime(2024, 1, 16, 6, 5, tzinfo=dt.UTC)
    import zoneinfo

    assert (
        format_datetime(moment, zoneinfo.ZoneInfo("Asia/Makassar")) == "16 Januari 2024 14.05 WITA"
    )
    assert (
        format_datetime(moment, zoneinfo.ZoneInfo("Asia/Jayapura")) == "16 Januari 2024 15.05 WIT"
    )
    assert format_datetime(moment, zoneinfo.ZoneInfo("Asia/Jakarta")) == "16 Januari 2024 13.05 WIB"
    assert format_datetime(None) == "-"


def test_a_monitoring_note_shows_its_author_and_date(login, world, signed):
    evaluator = world.users["evaluator_sulteng"]
    evaluator.first_name, evaluator.last_name = "Budi", "Santoso"
    evaluator.save()
    row = _rows(signed)["IKK-2.3"]
    note_url = reverse("monitoring_note", args=["lapas-luwuk", 2024, 1, row.id])
    login(evaluator).post(note_url, {"text": "BAST Maret belum ada.\nMohon diunggah."})
    note = MonitoringNote.objects.get()
    html = login(world.users["operator_luwuk"]).get(ENTRY).content.decode()
    assert f"Budi Santoso, {format_datetime(note.at)}" in html
    assert "BAST Maret belum ada.<br>Mohon diunggah." in html
    # The evaluator writes in a text area with a label, not a one-line input.
    page = login(evaluator).get(ENTRY).content.decode()
    assert f'<label for="note-{row.id}">Catatan monitoring untuk IKK-2.3</label><textarea' in page


def test_an_empty_budget_table_blocks_signing(world):
    agreement = world.draft_pk()
    planning.pk_budget_set(agreement=agreement, lines=[])
    problems = planning.pk_sign_problems(agreement)
    assert any("Tabel anggaran PK masih kosong" in p for p in problems)
    with pytest.raises(Exception, match="Tabel anggaran PK masih kosong"):
        planning.pk_sign(agreement=agreement, by=None)


def test_signing_with_open_review_errors_asks_for_a_confirmation_listing_them(login, world):
    agreement = world.draft_pk()  # no Rencana Aksi yet: the review's REN-02 is an open error
    head = login(world.users["head_luwuk"])
    url = reverse("pk_sign", args=["lapas-luwuk", 2024])
    response = head.post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "galat terbuka" in html
    assert "REN-02" in html and "Rencana Aksi" in html
    assert 'name="konfirmasi" value="1"' in html
    agreement.refresh_from_db()
    assert agreement.status == PKStatus.DRAFT
    head.post(url, {"konfirmasi": "1"})
    agreement.refresh_from_db()
    assert agreement.status == PKStatus.SIGNED


def test_the_region_page_opens_on_the_open_quarter_else_the_latest_with_data(login, world, signed):
    row = _rows(signed)["IKK-2.3"]
    realization_save(pk_indicator=row, quarter=3, values={"A": Decimal(1), "B": Decimal(2)})
    client = login(world.users["evaluator_sulteng"])
    region = reverse("region", args=["kanwil-sulteng"]) + "?tahun=2024"
    with _at("2024-11-20 03:00"):
        # November: TW IV has started but nothing is entered for it; TW III has data.
        assert client.get(region).context["quarter"] == 3
        EntryWindow.objects.create(
            region=world.sulteng,
            year=2024,
            quarter=4,
            opens=dt.date(2024, 11, 15),
            closes=dt.date(2024, 12, 31),
        )
        assert client.get(region).context["quarter"] == 4
        assert client.get(region + "&tw=2").context["quarter"] == 2


def _versions(html: str) -> dict[str, str]:
    """The row versions a page carries (`r<id>-versi`), as the browser sends them back."""
    import re

    return dict(re.findall(r'name="(r\d+-versi)" value="([0-9a-f]+)"', html))


def test_save_all_refuses_a_row_someone_changed_since_the_page_was_opened(login, world, signed):
    rows = _rows(signed)
    a, b = rows["IKK-2.3"], rows["IKK-1.1"]
    realization_save(pk_indicator=b, quarter=1, values={"A": Decimal(3), "B": Decimal(4)})
    client = login(world.users["operator_luwuk"])
    shown = _versions(client.get(ENTRY).content.decode())
    # Meanwhile the head saves IKK-1.1 again.
    realization_save(
        pk_indicator=b,
        quarter=1,
        values={"A": Decimal(30), "B": Decimal(40)},
        by=world.users["head_luwuk"],
    )
    # A page without JavaScript sends every row: IKK-1.1 as it was shown, IKK-2.3 typed.
    response = client.post(
        SAVE_ALL,
        {
            **shown,
            f"r{a.id}-A": "73",
            f"r{a.id}-B": "78",
            f"r{b.id}-A": "3",
            f"r{b.id}-B": "4",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "IKK-1.1 sudah diubah oleh head_luwuk sejak halaman ini dibuka" in html
    assert "tersimpan sekarang: A = 30, B = 40" in html
    stored = {v.symbol: v.value for v in VariableValue.objects.filter(realization__pk_indicator=b)}
    assert stored == {"A": Decimal(30), "B": Decimal(40)}
    assert not VariableValue.objects.filter(realization__pk_indicator=a).exists()
    # The row's own save checks the same (the page sends the version it showed).
    row_url = reverse("entry_row", args=["lapas-luwuk", 2024, 1, b.id])
    refused = client.post(
        row_url,
        {f"r{b.id}-A": "5", f"r{b.id}-B": "6", f"r{b.id}-versi": shown[f"r{b.id}-versi"]},
        HTTP_HX_REQUEST="1",
    )
    assert "sudah diubah oleh head_luwuk" in refused.content.decode()


def test_save_all_never_applies_one_rows_fields_to_every_row(login, world, signed):
    client = login(world.users["operator_luwuk"])
    response = client.post(SAVE_ALL, {"narrative": "x", "v_A": "1"}, follow=True)
    assert "Tidak ada perubahan untuk disimpan." in response.content.decode()
    assert not Realization.objects.exists()


def test_a_page_from_before_a_pk_revision_keeps_what_was_typed(login, world, signed):
    old_row = _rows(signed)["IKK-2.3"]
    client = login(world.users["operator_luwuk"])
    shown = _versions(client.get(ENTRY).content.decode())
    revision = planning.pk_revise(agreement=signed, reason="Target IKK-1.1 dikoreksi")
    planning.pk_sign(agreement=revision, by=None)
    new_row = _rows(revision)["IKK-2.3"]
    response = client.post(SAVE_ALL, {**shown, f"r{old_row.id}-A": "73", f"r{old_row.id}-B": "78"})
    html = response.content.decode()
    assert response.status_code == 409 and "telah direvisi" in html
    assert not VariableValue.objects.exists()
    # The figures typed stand in the revision's row, to check and save again.
    assert (
        f'name="r{new_row.id}-A" class="num" inputmode="decimal" autocomplete="off" value="73"'
        in html
    )


def test_a_stored_decimal_is_shown_whole_and_an_untouched_row_is_not_written(world, signed):
    from kinerja.measurement.selectors import entry_rows, entry_version

    row = _rows(signed)["IKK-2.3"]
    realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(73), "B": Decimal(78)})
    item = next(i for i in entry_rows(signed, 1) if i.row.id == row.id)
    assert item.shown == {"A": "73", "B": "78"}
    assert item.version == entry_version({"A": Decimal("73.0000"), "B": Decimal(78)}, "")
    item.values["A"] = Decimal("3.456")  # as an index with decimals would be stored
    assert item.shown["A"] == "3,456"  # never rounded to the 2 places of a figure
