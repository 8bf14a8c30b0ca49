"""Onboarding from one workbook (issue 17, point 2), the regional administrator (point 1) and every
user's own account (point 3)."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command

from kinerja.organizations.models import (
    HeadAppointment,
    Membership,
    OnboardingImport,
    Person,
    Role,
    Unit,
)
from kinerja.organizations.onboarding import SHEETS, onboard, onboarding_template
from kinerja.organizations.services import membership_grant, user_upsert

POSO = [
    "",
    "Rutan Kelas IIB Poso",
    "Rutan",
    "IIB",
    "kanwil-sulteng",
    "Poso",
    "Jl. Pulau Seram",
    150,
    "WITA",
]
PEOPLE = [
    ["198501152010121001", "Andi Saputra", "rutan-poso", "Kepala Rutan Kelas IIB Poso"],
    ["199002202015032002", "Sri Wahyuni", "rutan-poso", "Pengelola Data"],
]
USERS = [
    ["sri.poso", "Sri Wahyuni", "sri@example.org", "rutan-poso", "Operator UPT"],
    ["andi.poso", "Andi Saputra", "", "rutan-poso", "Kepala UPT"],
]
HEADS = [["rutan-poso", "198501152010121001", "Kepala Rutan Kelas IIB Poso", "02-01-2025", ""]]


def workbook(**sheets: list[list]) -> bytes:
    """A filled onboarding workbook: the template's headers, then the rows given per sheet."""
    book = openpyxl.load_workbook(io.BytesIO(onboarding_template()))
    for name, rows in sheets.items():
        for row in rows:
            book[name].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def poso_file() -> bytes:
    return workbook(Unit=[POSO], Pegawai=PEOPLE, Pengguna=USERS, Kepala=HEADS)


def test_the_template_has_the_four_sheets_with_their_headers():
    book = openpyxl.load_workbook(io.BytesIO(onboarding_template()))
    assert book.sheetnames == ["Petunjuk", *SHEETS]
    for name, columns in SHEETS.items():
        assert [c.value for c in book[name][1]] == columns


def test_one_file_onboards_a_facility_and_the_same_file_again_changes_nothing(world, tmp_path):
    path = tmp_path / "poso.xlsx"
    path.write_bytes(poso_file())
    out = io.StringIO()
    call_command("onboard", str(path), "--dry-run", stdout=out)
    assert "Unit!baris 2: Unit baru: Rutan Kelas IIB Poso (rutan-poso)" in out.getvalue()
    assert "8 akan dibuat atau diubah" in out.getvalue()
    assert not Unit.objects.filter(slug="rutan-poso").exists()  # a dry run writes nothing
    assert not User.objects.filter(username="sri.poso").exists()

    out = io.StringIO()
    call_command("onboard", str(path), stdout=out)
    poso = Unit.objects.get(slug="rutan-poso")
    assert (poso.parent, poso.facility_type, poso.facility_class, poso.capacity) == (
        world.sulteng,
        "rutan",
        "IIB",
        150,
    )
    assert poso.time_zone == "Asia/Makassar"
    andi = Person.objects.get(nip="198501152010121001")
    assert HeadAppointment.objects.get(unit=poso).person == andi
    sri = User.objects.get(username="sri.poso")
    assert (sri.first_name, sri.last_name, sri.email) == ("Sri", "Wahyuni", "sri@example.org")
    assert not sri.has_usable_password()  # no password is made, written or kept
    assert set(Membership.objects.filter(unit=poso).values_list("user__username", "role")) == {
        ("sri.poso", Role.OPERATOR),
        ("andi.poso", Role.HEAD),
    }
    # Sri is mailed her link; Andi has no address, so his link is printed.
    assert [m.to for m in mail.outbox] == [["sri@example.org"]]
    assert "/kata-sandi/atur/" in mail.outbox[0].body
    assert re.search(r"Tautan masuk pertama andi\.poso: http\S+/kata-sandi/atur/", out.getvalue())
    # History records the file.
    assert poso.history.first().history_change_reason == "orientasi poso.xlsx"

    out = io.StringIO()
    counts = (Unit.objects.count(), Person.objects.count(), User.objects.count())
    call_command("onboard", str(path), stdout=out)
    assert "0 dibuat atau diubah; 6 sudah sesuai, tidak diubah." in out.getvalue()
    assert (Unit.objects.count(), Person.objects.count(), User.objects.count()) == counts
    assert poso.history.count() == 1 and len(mail.outbox) == 1


def test_every_problem_is_said_at_its_sheet_row_and_column_and_nothing_is_written(world):
    content = workbook(
        Unit=[
            POSO,
            ["", "Rutan Ampana", "Rutan", "IIB", "kanwil-sulteng", "Ampana", "", "12,5", ""],
            ["", "Lapas Entah", "Penjara", "", "kanwil-sulteng", "", "", "", ""],
            ["", "Lapas Kupang", "Lapas", "IIA", "kanwil-nowhere", "Kupang", "", "", ""],
        ],
        Pegawai=[*PEOPLE, ["12345", "Salah NIP", "rutan-poso", ""]],
        Pengguna=[
            *USERS,
            ["budi", "Budi", "bukan-surel", "rutan-poso", "Operator UPT"],
            ["cici", "Cici", "", "rutan-poso", "Evaluator Kanwil"],
        ],
        Kepala=[["rutan-poso", "198501152010121001", "Kepala", "31-02-2025", ""]],
    )
    result = onboard(content=content, filename="salah.xlsx", by=None, write=True)
    located = {p.location: p.message for p in result.problems}
    assert located["Unit!H3 (Kapasitas)"].startswith("kapasitas harus bilangan bulat")
    assert located["Unit!C4 (Jenis)"] == "tulis Lapas, Rutan, LPKA, Bapas atau Kanwil"
    assert located["Unit!E5 (Induk)"] == "'kanwil-nowhere' bukan kode Kanwil yang dikenal"
    assert located["Pegawai!A4 (NIP)"].startswith("NIP harus 18 angka")
    assert located["Pengguna!C4 (Surel)"] == "'bukan-surel' bukan alamat surel"
    assert located["Pengguna!E5 (Peran)"].startswith("peran untuk unit ini: ")
    assert located["Kepala!D2 (Mulai)"].startswith("'31-02-2025' bukan tanggal")
    assert not result.written and not result.changes
    assert not Unit.objects.filter(slug="rutan-poso").exists()


def test_a_new_head_closes_the_previous_appointment_and_an_overlap_is_refused(world):
    onboard(content=poso_file(), filename="poso.xlsx", by=None, write=True)
    successor = ["197912312005011003", "Budi Hartono", "rutan-poso", "Kepala Rutan"]
    content = workbook(
        Pegawai=[successor],
        Kepala=[["rutan-poso", successor[0], "Kepala Rutan Kelas IIB Poso", "2025-07-01", ""]],
    )
    preview = onboard(content=content, filename="ganti.xlsx", by=None, write=False)
    assert "Penunjukan Andi Saputra di Rutan Kelas IIB Poso diakhiri 30 Juni 2025" in [
        c.text for c in preview.changes
    ]
    assert HeadAppointment.objects.get(unit__slug="rutan-poso").end is None  # a preview only
    onboard(content=content, filename="ganti.xlsx", by=None, write=True)
    heads = HeadAppointment.objects.filter(unit__slug="rutan-poso").order_by("start")
    assert [(h.person.name, h.end) for h in heads] == [
        ("Andi Saputra", dt.date(2025, 6, 30)),
        ("Budi Hartono", None),
    ]
    # Someone said to start inside Andi's closed term is refused, not bent.
    third = ["198811112012121002", "Citra Dewi", "rutan-poso", "Plt. Kepala"]
    content = workbook(
        Pegawai=[third], Kepala=[["rutan-poso", third[0], "Plt. Kepala Rutan", "01-03-2025", ""]]
    )
    result = onboard(content=content, filename="plt.xlsx", by=None, write=True)
    assert [str(p) for p in result.problems] == [
        "Kepala!D2 (Mulai): bertumpang tindih dengan Andi Saputra (sejak 02 Januari 2025 s.d. "
        "30 Juni 2025)"
    ]
    assert not Person.objects.filter(nip=third[0]).exists()  # all or nothing


@pytest.fixture
def regional_admin(world):
    user = user_upsert(username="admin_sulteng", password="rahasia-uji-123")
    membership_grant(user=user, unit=world.sulteng, role=Role.REGIONAL_ADMIN)
    return user


def test_a_regional_administrator_stays_inside_the_region(world, regional_admin):
    scope = Unit.objects.restrict(regional_admin, "administer")
    assert set(scope.values_list("slug", flat=True)) == {"kanwil-sulteng", "lapas-luwuk"}
    content = workbook(
        Unit=[
            ["", "Lapas Kupang", "Lapas", "IIA", "kanwil-ntt", "Kupang", "", "", ""],
            ["", "Kanwil Papua", "Kanwil", "", "", "Jayapura", "", "", "WIT"],
        ],
        Pengguna=[
            ["operator_atambua", "Operator", "", "lapas-luwuk", "Operator UPT"],
            ["baru", "Baru", "", "lapas-luwuk", "Admin Nasional"],
            ["lain", "Lain", "", "lapas-atambua", "Operator UPT"],
        ],
    )
    result = onboard(content=content, filename="x.xlsx", by=regional_admin, write=True, scope=scope)
    located = {p.location: p.message for p in result.problems}
    assert located["Unit!E2 (Induk)"] == "Kanwil Nusa Tenggara Timur bukan wilayah wewenang Anda"
    assert located["Unit!C3 (Jenis)"] == "Kanwil hanya dapat ditambahkan Admin Nasional"
    assert located["Pengguna!A2 (Nama pengguna)"] == (
        "pengguna operator_atambua sudah ada dan juga bekerja di luar wewenang Anda"
    )
    assert located["Pengguna!E3 (Peran)"].startswith("peran untuk unit ini")
    assert located["Pengguna!D4 (Unit)"] == "unit lapas-atambua bukan wewenang Anda"
    # The role gives no right to the results: administering is not changing a facility's data.
    assert not Unit.objects.restrict(regional_admin, "change").exists()


def test_the_regional_administrator_onboards_through_the_pages(world, regional_admin, login):
    client = login(regional_admin)
    assert "Administrasi" in client.get("/").content.decode()
    template = client.get("/administrasi/orientasi/templat.xlsx")
    assert template.status_code == 200 and template["Content-Disposition"].startswith("attachment")
    upload = io.BytesIO(poso_file())
    upload.name = "poso.xlsx"
    preview = client.post("/administrasi/orientasi/", {"file": upload})
    text = preview.content.decode()
    assert preview.status_code == 200 and "poso.xlsx lolos pemeriksaan" in text
    assert "Unit baru: Rutan Kelas IIB Poso (rutan-poso)" in text
    assert not Unit.objects.filter(slug="rutan-poso").exists()
    record = OnboardingImport.objects.get()
    # Another administrator cannot apply or read someone else's upload.
    other = user_upsert(username="admin_ntt", password="rahasia-uji-123")
    membership_grant(user=other, unit=world.ntt, role=Role.REGIONAL_ADMIN)
    assert login(other).post(f"/administrasi/orientasi/{record.pk}/terapkan/").status_code == 404
    client = login(regional_admin)
    done = client.post(f"/administrasi/orientasi/{record.pk}/terapkan/", follow=True)
    page = done.content.decode()
    assert "poso.xlsx diterapkan: 8 perubahan" in page
    assert "Tautan masuk pertama" in page and "andi.poso" in page
    link = re.search(r"http://[^<]+/kata-sandi/atur/[^<]+", page).group(0)
    # Applying twice does nothing more.
    again = client.post(f"/administrasi/orientasi/{record.pk}/terapkan/", follow=True)
    assert "sudah diterapkan" in again.content.decode()
    assert Membership.objects.filter(unit__slug="rutan-poso").count() == 2
    # The head opens the link, sets a password and logs in; the link is then spent.
    client.logout()
    path = link.split("localhost:8000", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "Poso-aman-2025!", "new_password2": "Poso-aman-2025!"},
        follow=True,
    )
    # Setting the password logs the head in and opens the home page.
    assert done.redirect_chain[-1][0] == "/" and done.context["user"].username == "andi.poso"
    client.logout()
    logged = client.post(
        "/masuk/", {"username": "andi.poso", "password": "Poso-aman-2025!"}, follow=True
    )
    assert logged.context["user"].username == "andi.poso"
    client.logout()
    assert "new_password1" not in client.get(path, follow=True).content.decode()
    # The result page no longer lists Andi, who has logged in.
    result = login(regional_admin).get(f"/administrasi/orientasi/{record.pk}/").content.decode()
    assert "<strong>andi.poso</strong>" not in result and "<strong>sri.poso</strong>" in result


def test_outsiders_get_nothing_from_the_administration(world, login):
    for name in ("operator_luwuk", "head_luwuk", "evaluator_sulteng", "viewer_national"):
        client = login(world.users[name])
        for url in (
            "/administrasi/",
            "/administrasi/orientasi/",
            "/administrasi/orientasi/templat.xlsx",
        ):
            assert client.get(url).status_code == 404, (name, url)
        assert "Administrasi</a>" not in client.get("/").content.decode()


def test_every_user_manages_their_own_profile(world, login):
    user = world.users["operator_luwuk"]
    client = login(user)
    page = client.get("/akun/").content.decode()
    assert "Operator UPT — Lapas Kelas IIB Luwuk" in page
    assert "/kata-sandi/ubah/" in page and "/akun/token/" in page
    bad = client.post("/akun/", {"first_name": "Rina", "last_name": "", "email": "rina@"})
    assert bad.status_code == 422 and "Alamat surel tidak sah" in bad.content.decode()
    client.post("/akun/", {"first_name": "Rina", "last_name": "Lestari", "email": "rina@x.id"})
    user.refresh_from_db()
    assert (user.get_full_name(), user.email) == ("Rina Lestari", "rina@x.id")
    assert user.history.first().history_user == user


def test_the_command_refuses_a_bad_file_with_its_problems(tmp_path, world):
    path = tmp_path / "salah.xlsx"
    path.write_bytes(workbook(Pegawai=[["1", "X", "rutan-poso", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 masalah; tidak ada yang ditulis"):
        call_command("onboard", str(path), stderr=err)
    assert "Pegawai!A2 (NIP): NIP harus 18 angka" in err.getvalue()
    path.write_bytes(b"bukan xlsx")
    with pytest.raises(CommandError, match="1 masalah"):
        call_command("onboard", str(path), stderr=io.StringIO())
