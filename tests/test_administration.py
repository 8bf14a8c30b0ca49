"""The administration pages (issue 17, point 1): a regional administrator manages the facilities
of the region, their people, heads of record and users, with history; nobody else gets in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User

from kinerja.organizations.models import HeadAppointment, Membership, Person, Role, Unit
from kinerja.organizations.services import membership_grant, user_upsert
from kinerja.planning.forms import PKHeaderForm


@pytest.fixture
def admin_client(world, login):
    user = user_upsert(username="admin_sulteng", password="rahasia-uji-123", full_name="Rina Admin")
    membership_grant(user=user, unit=world.sulteng, role=Role.REGIONAL_ADMIN)
    return login(user)


def test_a_regional_administrator_adds_a_facility_its_people_heads_and_users(world, admin_client):
    client = admin_client
    response = client.post(
        "/administrasi/unit-baru/",
        {
            "unit-parent": world.sulteng.pk,
            "unit-name": "Rutan Kelas IIB Poso",
            "unit-facility_type": "rutan",
            "unit-facility_class": "IIB",
            "unit-city": "Poso",
            "unit-capacity": "150",
            "unit-time_zone": "Asia/Makassar",
        },
        follow=True,
    )
    assert "Rutan Kelas IIB Poso ditambahkan dengan kode rutan-poso" in response.content.decode()
    poso = Unit.objects.get(slug="rutan-poso")
    assert poso.parent == world.sulteng and poso.local_time_zone == "Asia/Makassar"
    page = "/administrasi/unit/rutan-poso/"
    assert "Belum ada kepala tercatat" in client.get(page).content.decode()

    # A wrong NIP is said at its field and nothing is saved.
    bad = client.post(
        page,
        {
            "bagian": "pegawai",
            "pegawai-name": "Andi",
            "pegawai-nip": "19850115",
            "pegawai-position": "",
        },
    )
    assert bad.status_code == 422 and "NIP harus 18 angka" in bad.content.decode()
    assert not Person.objects.filter(unit=poso).exists()
    for name, nip in (
        ("Andi Saputra", "198501152010121001"),
        ("Budi Hartono", "197912312005011003"),
    ):
        client.post(
            page,
            {
                "bagian": "pegawai",
                "pegawai-name": name,
                "pegawai-nip": nip,
                "pegawai-position": "Kepala",
            },
        )
    andi, budi = Person.objects.get(name="Andi Saputra"), Person.objects.get(name="Budi Hartono")
    client.post(
        page,
        {
            "bagian": "kepala",
            "kepala-person": andi.pk,
            "kepala-title": "Kepala Rutan Kelas IIB Poso",
            "kepala-start": "2024-01-02",
        },
    )
    done = client.post(
        page,
        {
            "bagian": "kepala",
            "kepala-person": budi.pk,
            "kepala-title": "Kepala Rutan Kelas IIB Poso",
            "kepala-start": "2025-07-01",
        },
        follow=True,
    )
    assert "Penunjukan Andi Saputra diakhiri 30 Juni 2025" in done.content.decode()
    assert list(HeadAppointment.objects.filter(unit=poso).values_list("person__name", "end")) == [
        ("Budi Hartono", None),
        ("Andi Saputra", dt.date(2025, 6, 30)),
    ]

    # A new account without an address: its first-login link is shown once, on the answer.
    new = client.post(
        page,
        {
            "bagian": "peran",
            "peran-username": "budi.poso",
            "peran-full_name": "Budi Hartono",
            "peran-role": Role.HEAD,
        },
    )
    text = new.content.decode()
    assert new.status_code == 200 and "Akun baru: budi.poso" in text
    assert re.search(r"/kata-sandi/atur/[^/]+/[^/]+/", text)
    budi_user = User.objects.get(username="budi.poso")
    assert not budi_user.has_usable_password() and budi_user.get_full_name() == "Budi Hartono"
    # An existing user gets a role; a role that does not fit the unit is refused.
    client.post(
        page, {"bagian": "peran", "peran-username": "operator_luwuk", "peran-role": Role.OPERATOR}
    )
    assert Membership.objects.filter(user__username="operator_luwuk", unit=poso).exists()
    wrong = client.post(
        page, {"bagian": "peran", "peran-username": "budi.poso", "peran-role": Role.EVALUATOR}
    )
    assert wrong.status_code == 422
    # Revoking a role.
    membership = Membership.objects.get(user__username="operator_luwuk", unit=poso)
    client.post(f"{page}peran/{membership.pk}/cabut/")
    assert not Membership.objects.filter(pk=membership.pk).exists()

    # The unit's facts change with history naming who.
    client.post(
        page,
        {
            "bagian": "unit",
            "unit-name": "Rutan Kelas IIB Poso",
            "unit-facility_type": "rutan",
            "unit-facility_class": "IIB",
            "unit-city": "Poso",
            "unit-capacity": "180",
            "unit-time_zone": "Asia/Makassar",
        },
    )
    poso.refresh_from_db()
    assert poso.capacity == 180 and poso.history.first().history_user.username == "admin_sulteng"
    history = client.get(page).content.decode()
    assert "Riwayat perubahan" in history and "Rina Admin" in history
    assert "Peran" in history and "dihapus" in history

    # The facility's PK now offers its recorded head as Pihak Pertama, the region's as Pihak Kedua.
    form = PKHeaderForm(unit=poso)
    assert set(form.fields["first_party"].queryset) == {andi, budi}
    assert set(form.fields["second_party"].queryset) == {world.kakanwil}


def test_the_regional_administrator_stays_in_the_region(world, admin_client):
    client = admin_client
    assert client.get("/administrasi/unit/lapas-atambua/").status_code == 404
    assert client.get("/administrasi/unit/kanwil-ntt/").status_code == 404
    # Their own Kanwil: people, heads and users, but not its name and kind (national).
    page = client.get("/administrasi/unit/kanwil-sulteng/").content.decode()
    assert "Data unit" not in page and "Kepala Kanwil Sulteng" in page
    assert (
        client.post(
            "/administrasi/unit/kanwil-sulteng/", {"bagian": "unit", "unit-name": "X"}
        ).status_code
        == 404
    )
    # No national role from a regional administrator; the choice is not even offered.
    response = client.post(
        "/administrasi/unit/kanwil-sulteng/",
        {"bagian": "peran", "peran-username": "operator_luwuk", "peran-role": Role.ADMIN},
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(role=Role.ADMIN, user__username="operator_luwuk").exists()
    # A unit under another region cannot be made from here.
    response = client.post(
        "/administrasi/unit-baru/",
        {"unit-parent": world.ntt.pk, "unit-name": "Lapas Kupang", "unit-facility_type": "lapas"},
    )
    assert response.status_code == 422 and not Unit.objects.filter(name="Lapas Kupang").exists()


def test_outsiders_get_nothing_from_the_unit_pages(world, login):
    world.draft_pk()
    for name in ("operator_luwuk", "head_luwuk", "evaluator_sulteng", "viewer_national"):
        client = login(world.users[name])
        assert client.get("/administrasi/unit/lapas-luwuk/").status_code == 404
        assert client.get("/administrasi/unit-baru/").status_code == 404
        response = client.post(
            "/administrasi/unit/lapas-luwuk/",
            {"bagian": "pegawai", "pegawai-name": "Penyusup", "pegawai-nip": ""},
        )
        assert response.status_code == 404
    assert not Person.objects.filter(name="Penyusup").exists()
    membership = Membership.objects.get(user__username="operator_luwuk")
    other = login(world.users["head_luwuk"])
    assert (
        other.post(f"/administrasi/unit/lapas-luwuk/peran/{membership.pk}/cabut/").status_code
        == 404
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
