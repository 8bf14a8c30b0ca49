import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.indicators.models import Indicator, Level
from kinerja.organizations.models import HeadAppointment
from kinerja.planning import selectors, services
from kinerja.planning.models import PerjanjianKinerja, PKFrozenError, PKStatus


def test_a_new_pk_holds_every_catalogue_indicator_under_its_goal(world):
    agreement = world.draft_pk(complete=False)
    ikk = agreement.indicators.filter(indicator__level=Level.IKK)
    assert ikk.count() == 28
    assert agreement.goals.filter(level=Level.IKK).count() == 4
    assert all(
        row.goal.level == row.indicator.level
        for row in agreement.indicators.select_related("goal", "indicator")
    )
    assert agreement.status == PKStatus.DRAFT


def test_signing_is_refused_until_every_target_and_party_is_there(world):
    agreement = world.draft_pk(complete=False)
    services.pk_update(agreement=agreement, place="")
    with pytest.raises(ValidationError) as exc:
        services.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    text = " ".join(exc.value.messages)
    assert "Tempat penandatanganan belum diisi" in text
    assert "Target belum diisi: IKK-1.1" in text
    agreement.refresh_from_db()
    assert agreement.status == PKStatus.DRAFT


def test_the_parties_must_be_the_heads_of_record_on_the_signing_day(world, login):
    agreement = world.draft_pk()
    # The facility head chosen as both parties, as the old form allowed.
    services.pk_update(agreement=agreement, second_party=world.head_person)
    with pytest.raises(ValidationError) as exc:
        services.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    text = " ".join(exc.value.messages)
    assert "Pihak Pertama dan Pihak Kedua tidak boleh orang yang sama" in text
    assert (
        "Pihak Kedua (Endi Wahyudi) bukan kepala Kanwil Sulawesi Tengah pada 16 Januari 2024; "
        "kepala yang tercatat: Kepala Kanwil Sulteng." in text
    )
    # A new facility head took office on 10 January: the old one may no longer sign.
    HeadAppointment.objects.filter(unit=world.luwuk).update(end=dt.date(2024, 1, 9))
    successor = world.appoint_head(world.luwuk, start=dt.date(2024, 1, 10))
    services.pk_update(agreement=agreement, second_party=world.kakanwil)
    with pytest.raises(ValidationError) as exc:
        services.pk_sign(agreement=agreement, by=None)
    assert exc.value.messages == [
        f"Pihak Pertama (Endi Wahyudi) bukan kepala Lapas Kelas IIB Luwuk pada 16 Januari 2024; "
        f"kepala yang tercatat: {successor.name}."
    ]
    # Before anyone's appointment the head is not on record: said, not guessed.
    services.pk_update(agreement=agreement, signed_on=dt.date(2023, 12, 20))
    HeadAppointment.objects.filter(unit=world.sulteng).update(start=dt.date(2024, 1, 1))
    problems = services.pk_sign_problems(agreement)
    assert any(
        p.startswith("Kepala Kantor Wilayah pada 20 Desember 2023 belum tercatat") for p in problems
    )
    services.pk_update(agreement=agreement, first_party=successor, signed_on=dt.date(2024, 1, 16))
    HeadAppointment.objects.filter(unit=world.sulteng).update(start=dt.date(2020, 1, 1))
    services.pk_sign(agreement=agreement, by=None)
    # The form offers only the region's people as Pihak Kedua.
    page = login(world.users["head_luwuk"]).get("/unit/lapas-luwuk/pk/baru/").content.decode()
    second = page[
        page.index('name="second_party"') : page.index(
            "</select>", page.index('name="second_party"')
        )
    ]
    assert "Kepala Kanwil Sulteng" in second and "Endi Wahyudi" not in second


def test_a_signing_date_outside_the_pk_year_is_refused(world):
    agreement = world.draft_pk()
    services.pk_update(agreement=agreement, signed_on=dt.date(2020, 1, 2))
    with pytest.raises(ValidationError, match="tidak sesuai dengan tahun PK 2024"):
        services.pk_sign(agreement=agreement, by=None)


def test_a_signed_pk_refuses_every_edit(world):
    agreement = world.draft_pk()
    services.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    row = agreement.indicators.first()
    with pytest.raises(PKFrozenError):
        services.pk_targets_set(agreement=agreement, targets={row.id: Decimal("1")})
    with pytest.raises(PKFrozenError):
        services.pk_update(agreement=agreement, place="Luwuk")
    with pytest.raises(PKFrozenError):
        services.ra_activity_save(agreement=agreement, name="Kegiatan", pagu=Decimal(1))
    # Not even a direct write of the model gets through.
    row.target = Decimal("1")
    with pytest.raises(PKFrozenError):
        row.save()
    agreement.place = "Luwuk"
    with pytest.raises(PKFrozenError):
        agreement.save()
    with pytest.raises(PKFrozenError):
        row.delete()
    row.refresh_from_db()
    assert row.target == Decimal("85")


def test_a_revision_copies_the_plan_and_keeps_the_signed_version(world):
    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    activity = services.ra_activity_save(
        agreement=agreement,
        name="Pengadaan Bahan Makanan",
        pagu=Decimal("5160600000"),
        disbursements={
            1: Decimal("1012304000"),
            2: Decimal("1140000000"),
            3: Decimal("1290000000"),
            4: Decimal("1718296000"),
        },
    )
    services.ra_indicator_plan_set(
        pk_indicator=food,
        activity=activity,
        quarters=[
            services.QuarterPlan(
                quarter=q, target_increment=Decimal("21.25"), planned_activity="Kontrak"
            )
            for q in (1, 2, 3, 4)
        ],
    )
    services.pk_sign(agreement=agreement, by=None)

    revision = services.pk_revise(agreement=agreement, reason="Perubahan pagu setelah revisi DIPA")
    assert revision.revision == 1 and revision.status == PKStatus.DRAFT
    new_food = revision.indicators.get(indicator__code="IKK-1.1")
    assert new_food.target == Decimal("85")
    assert new_food.activity.pagu == Decimal("5160600000")
    assert new_food.activity.agreement == revision
    assert [q.target_increment for q in new_food.quarters.all()] == [Decimal("21.25")] * 4

    services.pk_targets_set(agreement=revision, targets={new_food.id: Decimal("90")})
    services.pk_sign(agreement=revision, by=None)
    agreement.refresh_from_db()
    assert agreement.status == PKStatus.SUPERSEDED
    assert agreement.indicators.get(indicator__code="IKK-1.1").target == Decimal("85")
    assert PerjanjianKinerja.objects.latest_for(world.luwuk, 2024) == revision


def test_a_revision_needs_a_reason_and_a_signed_pk(world):
    agreement = world.draft_pk()
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        services.pk_revise(agreement=agreement, reason="x")
    services.pk_sign(agreement=agreement, by=None)
    with pytest.raises(ValidationError, match="Alasan revisi wajib"):
        services.pk_revise(agreement=agreement, reason="  ")


def test_an_activity_funding_several_ikk_is_counted_once(world):
    # Luwuk 2024: one Rp 24.000.000 activity funds maternal, elderly and disability care.
    agreement = world.draft_pk()
    shared = services.ra_activity_save(
        agreement=agreement,
        name="Penyediaan Perlengkapan Khusus Kelompok Rentan",
        pagu=Decimal("24000000"),
        disbursements={
            1: Decimal("1000000"),
            2: Decimal("19500000"),
            3: Decimal("1500000"),
            4: Decimal("2000000"),
        },
    )
    food = services.ra_activity_save(
        agreement=agreement, name="Pengadaan Bahan Makanan", pagu=Decimal("5160600000")
    )
    for code in ("IKK-1.3", "IKK-1.5", "IKK-1.6"):
        row = agreement.indicators.get(indicator__code=code)
        services.ra_indicator_plan_set(pk_indicator=row, activity=shared, quarters=[])
    services.ra_indicator_plan_set(
        pk_indicator=agreement.indicators.get(indicator__code="IKK-1.1"), activity=food, quarters=[]
    )
    rows, total_pagu, total_rpd = selectors.action_plan(agreement)
    assert total_pagu == Decimal("5184600000")
    assert total_rpd == Decimal("24000000")
    assert sum(1 for r in rows if r.row.activity_id == shared.id) == 3
    assert all(r.rpd[2] == Decimal("19500000") for r in rows if r.row.activity_id == shared.id)


def test_quarters_must_be_distinct_and_within_tw_i_to_iv(world):
    agreement = world.draft_pk()
    row = agreement.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(ValidationError, match="hanya boleh muncul sekali"):
        services.ra_indicator_plan_set(
            pk_indicator=row,
            activity=None,
            quarters=[services.QuarterPlan(quarter=1), services.QuarterPlan(quarter=1)],
        )
    with pytest.raises(ValidationError):
        services.ra_indicator_plan_set(
            pk_indicator=row, activity=None, quarters=[services.QuarterPlan(quarter=5)]
        )


def test_an_indicator_cannot_sit_under_a_goal_of_another_level(world):
    agreement = world.draft_pk()
    goal = agreement.goals.filter(level=Level.IKK).first()
    with pytest.raises(ValidationError, match="tidak dapat ditempatkan"):
        services.pk_indicator_add(
            goal=goal, indicator=Indicator.objects.get(code="IKU-1"), target=Decimal(80)
        )


def test_a_second_pk_for_the_same_year_is_refused(world):
    world.draft_pk()
    with pytest.raises(ValidationError, match="sudah ada"):
        world.draft_pk()


def test_a_pk_belongs_to_a_facility_not_a_region(world):
    with pytest.raises(ValidationError, match="untuk UPT"):
        services.pk_create(unit=world.sulteng, year=2024)


def test_renstra_targets_must_fall_within_its_period(world):
    with pytest.raises(ValidationError, match="di luar periode"):
        services.renstra_save(
            unit=world.luwuk,
            start_year=2020,
            end_year=2024,
            targets={("IKK-1.1", 2025): Decimal(70)},
        )


# --- next year from this year ---------------------------------------------------------------


@pytest.fixture
def signed_2024_with_plan(world):
    """Luwuk's signed PK 2024 with a Rencana Aksi row, a Renstra 2025-2029 with two targets for
    2025, and a catalogue that retires one IKK after 2024 and adds one from 2025."""
    from kinerja.indicators.services import indicator_save

    agreement = world.draft_pk(2024)
    row = agreement.indicators.get(indicator__code="IKK-1.1")
    activity = services.ra_activity_save(
        agreement=agreement,
        name="Pelaksana Satker",
        pagu=Decimal("125000000"),
        disbursements={1: Decimal("25000000"), 2: Decimal("50000000")},
    )
    services.ra_indicator_plan_set(
        pk_indicator=row,
        activity=activity,
        quarters=[
            services.QuarterPlan(q, Decimal("21.25"), f"Pembinaan TW {q}", "Laporan bulanan")
            for q in (1, 2, 3, 4)
        ],
    )
    services.pk_budget_set(
        agreement=agreement,
        lines=[services.BudgetLine("program", "Program Dukungan Manajemen", Decimal("900000000"))],
    )
    services.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    services.renstra_save(
        unit=world.luwuk,
        start_year=2025,
        end_year=2029,
        targets={("IKK-1.1", 2025): Decimal("90"), ("IKK-1.2", 2025): Decimal("95.5")},
    )
    retired = Indicator.objects.get(code="IKK-1.3")
    retired.valid_to = 2024
    retired.save()
    old = Indicator.objects.get(code="IKK-1.4")
    indicator_save(
        code="IKK-1.9",
        level=old.level,
        goal=old.goal,
        name="Persentase layanan baru 2025",
        unit=old.unit,
        formula="A / B * 100",
        variables={"A": "Jumlah layanan terlaksana", "B": "Jumlah layanan direncanakan"},
        order=99,
        valid_from=2025,
    )
    return agreement


def test_next_year_starts_from_this_year(world, signed_2024_with_plan):
    before = signed_2024_with_plan
    started = services.pk_start_from(previous=before, year=2025, by=world.users["head_luwuk"])
    new = started.agreement
    assert (new.year, new.status, new.revision, new.signed_on) == (2025, PKStatus.DRAFT, 0, None)
    assert new.place == "Palu"
    # Parties from the heads of record of 2025.
    assert (new.first_party, new.second_party) == (world.head_person, world.kakanwil)
    rows = {r.indicator.code: r for r in new.indicators.select_related("indicator", "goal")}
    old_codes = set(before.indicators.values_list("indicator__code", flat=True))
    # The retired IKK is left out and named; the new one is in, under its catalogue goal.
    assert started.retired == ["IKK-1.3"] and "IKK-1.3" not in rows
    assert started.added == ["IKK-1.9"] and rows["IKK-1.9"].goal.level == Level.IKK
    assert set(rows) == (old_codes - {"IKK-1.3"}) | {"IKK-1.9"}
    # Targets from the Renstra where it has one for 2025; the others empty, never last year's.
    assert started.from_renstra == ["IKK-1.1", "IKK-1.2"]
    assert rows["IKK-1.1"].target == Decimal("90") and rows["IKK-1.2"].target == Decimal("95.5")
    assert rows["IKK-1.4"].target is None and "IKK-1.4" in started.without_target
    assert len(started.without_target) == len(rows) - 2
    # The Rencana Aksi's structure: the activity (money left to fill) and the quarter texts.
    activity = rows["IKK-1.1"].activity
    assert activity.name == "Pelaksana Satker" and activity.pagu == 0
    assert not activity.quarters.exists()
    plans = list(rows["IKK-1.1"].quarters.order_by("quarter"))
    assert [p.planned_activity for p in plans] == [f"Pembinaan TW {q}" for q in (1, 2, 3, 4)]
    assert all(
        p.evidence_expected == "Laporan bulanan" and p.target_increment is None for p in plans
    )
    assert not new.budget_items.exists()
    # Goals numbered as in 2024; the PK 2024 itself is unchanged.
    assert list(new.goals.filter(level=Level.IKK).values_list("number", "name")) == list(
        before.goals.filter(level=Level.IKK).values_list("number", "name")
    )
    before.refresh_from_db()
    assert before.status == PKStatus.SIGNED and before.indicators.count() == len(old_codes)
    # A second start for the same year is refused; so is a year that is not later.
    with pytest.raises(ValidationError, match="sudah ada"):
        services.pk_start_from(previous=before, year=2025)
    with pytest.raises(ValidationError, match="harus sesudahnya"):
        services.pk_start_from(previous=before, year=2024)


def test_the_head_starts_next_year_from_the_facility_page(world, signed_2024_with_plan, login):
    client = login(world.users["head_luwuk"])
    page = client.get("/unit/lapas-luwuk/?tahun=2024").content.decode()
    assert "Mulai PK 2025 dari PK ini" in page
    response = client.post("/unit/lapas-luwuk/pk/2024/lanjut/", follow=True)
    assert response.redirect_chain[-1][0] == "/unit/lapas-luwuk/pk/2025/ubah/"
    text = response.content.decode()
    assert "Draf Perjanjian Kinerja 2025 dimulai dari PK 2024" in text
    assert "Target 2 indikator diambil dari Renstra" in text
    assert "Tidak berlaku lagi di katalog 2025, tidak dibawa: IKK-1.3" in text
    assert PerjanjianKinerja.objects.get(unit=world.luwuk, year=2025).status == PKStatus.DRAFT
    # The button is gone once 2025 exists; another facility's user gets nothing.
    assert "Mulai PK 2025" not in client.get("/unit/lapas-luwuk/?tahun=2024").content.decode()
    other = login(world.users["operator_atambua"])
    assert other.post("/unit/lapas-luwuk/pk/2025/lanjut/").status_code == 404
    assert not PerjanjianKinerja.objects.filter(year=2026).exists()


def test_the_operator_sees_why_there_is_nothing_to_fill_while_the_pk_is_a_draft(world, login):
    world.draft_pk(2024, complete=False)
    client = login(world.users["operator_luwuk"])
    page = client.get("/unit/lapas-luwuk/?tahun=2024").content.decode()
    assert "Realisasi 2024 belum dapat diisi" in page
    assert "ditandatangani oleh Kepala UPT (head_luwuk)" in page
    assert "Target belum diisi: IKK-1.1" in page
    results = client.get("/unit/lapas-luwuk/capaian/?tahun=2024").content.decode()
    assert "Perjanjian Kinerja 2024 masih draf" in results
    entry = client.get("/unit/lapas-luwuk/realisasi/2024/tw/1/")
    assert entry.status_code == 302 and entry["Location"] == "/unit/lapas-luwuk/?tahun=2024#pk"
    # Another facility's operator learns nothing, not even that a draft exists.
    outsider = login(world.users["operator_atambua"])
    assert outsider.get("/unit/lapas-luwuk/realisasi/2024/tw/1/").status_code == 404
