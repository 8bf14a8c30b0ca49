import datetime as dt
from decimal import Decimal

import pytest

from kinerja.core.formatting import (
    format_date,
    format_number,
    format_percent,
    format_rupiah,
    parse_decimal,
)


def test_money_and_percent_use_indonesian_separators():
    assert format_rupiah(Decimal("7363920000")) == "Rp 7.363.920.000"
    assert format_percent(Decimal("93.58") / Decimal("85") * 100) == "110,09%"
    assert format_percent(None) == "N/A"


def test_rounding_is_half_up_at_display():
    assert format_number(Decimal("0.125")) == "0,13"
    assert format_number(Decimal("2.5"), 0) == "3"


def test_trim_drops_empty_decimals_only():
    assert format_number(Decimal("80.0000"), 4, trim=True) == "80"
    assert format_number(Decimal("92.5000"), 4, trim=True) == "92,5"


def test_dates_read_the_indonesian_way():
    assert format_date(dt.date(2023, 1, 16)) == "16 Januari 2023"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.363.920.000", Decimal("7363920000")),
        ("Rp. 464.229.000", Decimal("464229000")),
        ("92,5", Decimal("92.5")),
        ("1.234,56", Decimal("1234.56")),
        ("85%", Decimal("85")),
        ("92.5", Decimal("92.5")),
        ("-", None),
        ("", None),
        (5160600000, Decimal("5160600000")),
    ],
)
def test_numbers_are_read_as_offices_type_them(text, expected):
    assert parse_decimal(text) == expected


def test_text_that_is_no_number_is_refused_with_the_text():
    with pytest.raises(ValueError, match="'lima' bukan angka"):
        parse_decimal("lima")
