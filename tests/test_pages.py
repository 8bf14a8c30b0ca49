from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.planning import services
from kinerja.planning.models import PerjanjianKinerja


def test_login_page_is_indonesian_and_logs_in(client, world):
    page = client.get(reverse("login"))
    assert "Nama pengguna" in page.content.decode()
    bad = client.post(reverse("login"), {"username": "operator_luwuk", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah" in bad.content.decode()
    good = client.post(
        reverse("login"), {"username": "operator_luwuk", "password": "rahasia-uji-123"}
    )
    assert good.status_code == 302


def test_a_single_facility_user_lands_on_their_to_do_list_with_the_facility_one_click_away(
    login, world
):
    # Issue 15: the home page starts with the to-do list for every user; a user of one facility
    # is no longer redirected past it to the facility page.
    response = login(world.users["operator_luwuk"]).get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Yang perlu Anda kerjakan" in page
    assert page.index("Yang perlu Anda kerjakan") < page.index('href="/unit/lapas-luwuk/"')


def test_the_facility_page_shows_the_pk_with_targets_in_indonesian_format(login, world):
    agreement = world.draft_pk()
    row = agreement.indicators.get(indicator__code="IKP-2.2")
    services.pk_targets_set(agreement=agreement, targets={row.id: Decimal("92.5")})
    services.pk_budget_set(
        agreement=agreement,
        lines=[services.BudgetLine("program", "Program Dukungan Manajemen", Decimal("3628749000"))],
    )
    page = (
        login(world.users["operator_luwuk"])
        .get(reverse("unit_detail", args=["lapas-luwuk"]))
        .content.decode()
    )
    assert "Perjanjian Kinerja 2024" in page
    assert "92,5" in page and "85%" in page
    assert "Rp 3.628.749.000" in page
    assert "16 Januari 2024" in page
    assert "Rencana Aksi 2024" in page


def test_creating_a_pk_through_the_form(login, world):
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("pk_create", args=["lapas-luwuk"]),
        {
            "year": "2025",
            "place": "Palu",
            "signed_on": "2025-01-20",
            "first_party": world.head_person.id,
            "first_party_title": "Kepala Lapas",
            "second_party": world.kakanwil.id,
            "second_party_title": "Kepala Kanwil",
        },
    )
    assert response.status_code == 302
    agreement = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2025)
    assert agreement.indicators.count() == 38


def test_the_pk_form_explains_bad_numbers_and_saves_nothing(login, world):
    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    client = login(world.users["operator_luwuk"])
    data = {
        "pk-place": "Luwuk",
        "pk-signed_on": "2024-01-16",
        "pk-first_party": world.head_person.id,
        "pk-first_party_title": "Kepala",
        "pk-second_party": world.kakanwil.id,
        "pk-second_party_title": "Kakanwil",
        f"t-target_{food.id}": "delapan puluh",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-kind": "program",
        "budget-0-name": "Program Dukungan Manajemen",
        "budget-0-amount": "3.628.749.000",
    }
    page = client.post(reverse("pk_edit", args=["lapas-luwuk", 2024]), data).content.decode()
    assert "&#x27;delapan puluh&#x27; bukan angka" in page
    agreement.refresh_from_db()
    # The budget table the PK had (the fixture's one programme) is as it was.
    assert agreement.place == "Palu"
    assert [i.name for i in agreement.budget_items.all()] == [
        "Program Penegakan dan Pelayanan Hukum"
    ]

    data[f"t-target_{food.id}"] = "82,5"
    response = client.post(reverse("pk_edit", args=["lapas-luwuk", 2024]), data)
    assert response.status_code == 302
    food.refresh_from_db()
    agreement.refresh_from_db()
    assert food.target == Decimal("82.5") and agreement.place == "Luwuk"
    assert agreement.budget_items.get().amount == Decimal("3628749000")


def test_a_negative_target_is_refused_with_a_message(login, world):
    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    client = login(world.users["operator_luwuk"])
    page = client.post(
        reverse("pk_edit", args=["lapas-luwuk", 2024]),
        {
            "pk-place": "Luwuk",
            f"t-target_{food.id}": "-5",
            "budget-TOTAL_FORMS": "0",
            "budget-INITIAL_FORMS": "0",
        },
    ).content.decode()
    assert "tidak boleh kurang dari 0" in page


def test_a_signed_pk_cannot_be_edited_through_the_form(login, world):
    agreement = world.draft_pk()
    services.pk_sign(agreement=agreement, by=None)
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("pk_edit", args=["lapas-luwuk", 2024]),
        {
            "pk-place": "Luwuk",
            f"t-target_{food.id}": "1",
            "budget-TOTAL_FORMS": "0",
            "budget-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert "sudah ditandatangani dan tidak dapat diubah" in response.content.decode()
    food.refresh_from_db()
    assert food.target == Decimal("85")


def test_a_signed_pk_is_read_only_in_the_admin(client, world):
    agreement = world.draft_pk()
    services.pk_sign(agreement=agreement, by=None)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "rahasia-uji-123")
    client.force_login(admin)
    url = reverse("admin:planning_perjanjiankinerja_change", args=[agreement.id])
    page = client.get(url)
    assert page.status_code == 200 and b'name="place"' not in page.content
    client.post(url, {"place": "Diubah", "year": 2024, "unit": world.luwuk.id})
    agreement.refresh_from_db()
    assert agreement.place == "Palu"


def test_the_rencana_aksi_form_saves_an_activity_and_its_quarters(login, world):
    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    client = login(world.users["operator_luwuk"])
    data = {"new_activity": "Pengadaan Bahan Makanan", "pagu": "5.160.600.000"}
    for q, rpd in zip(
        (1, 2, 3, 4),
        ("1.012.304.000", "1.140.000.000", "1.290.000.000", "1.718.296.000"),
        strict=True,
    ):
        data |= {
            f"rpd_{q}": rpd,
            f"target_{q}": "21,25",
            f"activity_{q}": "Kontrak bahan makanan",
            f"evidence_{q}": "BAST",
        }
    response = client.post(reverse("ra_edit", args=["lapas-luwuk", 2024, food.id]), data)
    assert response.status_code == 302
    food.refresh_from_db()
    assert food.activity.pagu == Decimal("5160600000")
    assert sum(q.planned_disbursement for q in food.activity.quarters.all()) == Decimal(
        "5160600000"
    )
    assert [q.target_increment for q in food.quarters.all()] == [Decimal("21.25")] * 4
    page = client.get(reverse("unit_detail", args=["lapas-luwuk"])).content.decode()
    assert "Rp 5.160.600.000" in page and "Rp 1.012.304.000" in page and "TW IV" in page


def test_the_rencana_aksi_form_requires_a_pagu_for_an_activity(login, world):
    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    page = (
        login(world.users["operator_luwuk"])
        .post(
            reverse("ra_edit", args=["lapas-luwuk", 2024, food.id]), {"new_activity": "Pengadaan"}
        )
        .content.decode()
    )
    assert "Pagu kegiatan wajib diisi" in page
    food.refresh_from_db()
    assert food.activity is None


def test_a_new_pk_starts_with_the_heads_of_record_as_parties(login, world):
    import datetime as dt

    from django.utils import timezone

    from kinerja.organizations.models import HeadAppointment

    year = timezone.localdate().year
    HeadAppointment.objects.create(
        unit=world.luwuk,
        person=world.head_person,
        title="Kepala Lapas Kelas IIB Luwuk",
        start=dt.date(year - 1, 3, 1),
    )
    HeadAppointment.objects.create(
        unit=world.sulteng,
        person=world.kakanwil,
        title="Kepala Kantor Wilayah Sulteng",
        start=dt.date(year, 2, 1),
    )
    form = (
        login(world.users["operator_luwuk"])
        .get(reverse("pk_create", args=["lapas-luwuk"]))
        .context["form"]
    )
    assert form.initial["first_party"] == world.head_person
    assert form.initial["first_party_title"] == "Kepala Lapas Kelas IIB Luwuk"
    assert form.initial["second_party"] == world.kakanwil


def test_an_ikk_without_a_plan_is_one_row_saying_so(login, world):
    world.draft_pk()
    page = (
        login(world.users["operator_luwuk"])
        .get(reverse("unit_detail", args=["lapas-luwuk"]))
        .content.decode()
    )
    assert page.count("Rencana aksi belum diisi.") == 28


def test_revising_a_signed_pk_through_the_page(login, world):
    agreement = world.draft_pk()
    services.pk_sign(agreement=agreement, by=None)
    client = login(world.users["operator_luwuk"])
    refused = client.post(
        reverse("pk_revise", args=["lapas-luwuk", 2024]), {"reason": ""}, follow=True
    )
    assert "Alasan revisi wajib diisi" in refused.content.decode()
    response = client.post(
        reverse("pk_revise", args=["lapas-luwuk", 2024]), {"reason": "Revisi DIPA"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/pk/2024/ubah/")
    page = client.get(reverse("unit_detail", args=["lapas-luwuk"])).content.decode()
    assert (
        "revisi 1" in page
        and "Revisi DIPA" in page
        and "Versi lain tahun ini: revisi 0 (Ditandatangani)" in page
    )
