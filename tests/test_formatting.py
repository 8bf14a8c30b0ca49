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


def test_the_page_filters_print_a_figure_as_the_documents_do():
    from kinerja.core.templatetags.kinerja import angka, nilai, persen, skor
    from kinerja.documents.common import figure, percent

    achievement = Decimal("110.1")
    assert persen(achievement) == percent(achievement) == "110,10%"
    assert persen(Decimal("93.58") / Decimal("85") * 100) == "110,09%"
    assert persen(None) == percent(None) == "N/A"
    assert persen(Decimal(60), "0") == "60%"  # a weight, as the LKjIP's formula writes it
    assert persen(Decimal("120.00"), "ringkas") == "120%"  # a cap typed by people
    # a realisation with its unit, and a count or a value, as in the LKjIP and Laporan Capaian
    assert nilai(Decimal("92.50"), "%") == figure(Decimal("92.50"), "%") == "92,5%"
    assert nilai(Decimal(4), "Unit") == figure(Decimal(4), "Unit") == "4 Unit"
    assert nilai(Decimal("0.75"), "Indeks") == "0,75"
    assert angka(Decimal("20.00")) == format_number(Decimal(20), 2, trim=True) == "20"
    assert skor(Decimal("87.3")) == "87,30"  # SMART, IKPA: two decimals, as in the LKjIP


def test_no_template_appends_a_percent_sign_by_hand():
    """'%' after a printed value is the percent filter's job ({{ x|persen }}), so a page can never
    show '110,1%' where the documents print '110,10%'."""
    import re
    from pathlib import Path

    import kinerja

    by_hand = re.compile(r"(\}\}|\{%\s*endif\s*%\})\s*%(?!\})")
    offenders = [
        f"{path.relative_to(Path(kinerja.__file__).parent)}:{number}: {line.strip()[:80]}"
        for path in Path(kinerja.__file__).parent.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if by_hand.search(line)
    ]
    assert offenders == []


def test_json_numbers_are_strings_with_a_dot():
    from kinerja.core.formatting import json_number

    assert json_number(Decimal("6946743000.00")) == "6946743000"  # rupiah, exact
    assert json_number(Decimal("99.375"), 2) == "99.38"  # percentage, half-up
    assert json_number(Decimal(80), 2) == "80.00"  # results command: always two places
    assert json_number(Decimal("12.345")) == "12.35"
    assert json_number(None) is None


def test_svg_numbers_never_take_the_indonesian_comma():
    from kinerja.core.formatting import svg_number

    assert svg_number(Decimal("40.1666")) == "40.2"
    assert svg_number(720) == "720.0"
