import datetime as dt

import pytest

from kinerja.organizations.nip import nip_problems

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("nip", ["197008271995031001", "196411261991032001", "199412172017121002"])
def test_real_nips_from_the_reference_documents_are_valid(nip):
    assert nip_problems(nip, today=TODAY) == []


def test_the_pk_signatory_nip_with_appointment_year_3996_is_refused():
    # Atambua PK 2023 prints "197208103996031001" for Edwar Hadi.
    problems = nip_problems("197208103996031001", today=TODAY)
    assert any("pengangkatan" in p and "3996" in p for p in problems)


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("19700827199503100", "18 angka"),
        ("19700827199503100A", "18 angka"),
        ("197002301995031001", "Tanggal lahir"),
        ("197008271995131001", "Bulan pengangkatan"),
        ("197008271995033001", "jenis kelamin"),
        ("197008271995031000", "000"),
        ("197008271980031001", "terlalu dekat"),
    ],
)
def test_implausible_nips_are_refused_with_the_reason(nip, fragment):
    assert any(fragment in p for p in nip_problems(nip, today=TODAY))
