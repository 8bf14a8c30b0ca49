from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import calc

COMPOSITE = "(A / B * 100 + C / D * 100) / 2"


def test_it_computes_a_ratio_as_a_percentage_exactly():
    # Atambua 2023, integration: 73 of 78 proposed inmates.
    outcome = calc.evaluate("A / B * 100", {"A": 73, "B": 78})
    assert outcome.value.quantize(Decimal("0.01")) == Decimal("93.59")
    assert isinstance(outcome.value, Decimal)


def test_it_computes_a_composite_of_two_ratios():
    outcome = calc.evaluate(COMPOSITE, {"A": 1, "B": 1, "C": 1, "D": 2})
    assert outcome.value == Decimal("75")


def test_a_zero_denominator_is_na_with_the_reason_never_a_number():
    outcome = calc.evaluate("A / B * 100", {"A": 0, "B": 0})
    assert outcome.is_na
    assert outcome.value is None
    assert "tidak ada populasi" in outcome.na_reason and "B = 0" in outcome.na_reason


def test_a_zero_denominator_inside_a_composite_is_na():
    outcome = calc.evaluate(COMPOSITE, {"A": 1, "B": 1, "C": 0, "D": 0})
    assert outcome.is_na
    assert "D = 0" in outcome.na_reason


def test_a_count_formula_returns_the_count():
    assert calc.evaluate("A", {"A": "4"}).value == Decimal(4)


def test_decimal_literals_stay_exact():
    assert calc.evaluate("A * 0.1", {"A": 3}).value == Decimal("0.3")


def test_missing_or_non_numeric_values_name_the_variable():
    with pytest.raises(calc.FormulaError, match="B belum diisi"):
        calc.evaluate("A / B", {"A": 1})
    with pytest.raises(calc.FormulaError, match="A bukan angka"):
        calc.evaluate("A / B", {"A": "lima", "B": 1})


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "A ** 2",
        "open('x')",
        "A if B else C",
        "[A]",
        "A.real",
        "a / b",
    ],
)
def test_anything_but_arithmetic_on_variables_is_refused(formula):
    with pytest.raises(calc.FormulaError):
        calc.parse_formula(formula)


def test_a_syntax_error_says_where():
    with pytest.raises(calc.FormulaError, match="kolom"):
        calc.parse_formula("(A / B * 100")


def test_problems_name_unknown_variables():
    problems = calc.formula_problems("A / C * 100", {"A": "jumlah a", "B": "jumlah b"})
    assert any("tidak dikenal" in p and "C" in p for p in problems)


def test_problems_flag_identical_numerator_and_denominator():
    problems = calc.formula_problems("A * 100 / A", {"A": "jumlah"})
    assert any("Pembilang dan penyebut rumus sama" in p for p in problems)


def test_problems_flag_two_variables_with_the_same_meaning():
    # Luwuk 2024, education: both sides read "Jumlah narapidana yang mendapat pendidikan".
    variables = {
        "A": "Jumlah narapidana yang mendapat pendidikan",
        "B": "Jumlah  narapidana yang mendapat pendidikan.",
    }
    problems = calc.formula_problems("A / B * 100", variables)
    assert any("arti yang sama" in p for p in problems)


def test_a_sound_formula_has_no_problems():
    assert calc.formula_problems(COMPOSITE, {"A": "a", "B": "b", "C": "c", "D": "d"}) == []


counts = st.integers(min_value=0, max_value=10**9)


@given(a=counts, b=counts, c=counts, d=counts)
def test_no_counts_make_the_composite_crash_or_give_a_number_for_zero_population(a, b, c, d):
    outcome = calc.evaluate(COMPOSITE, {"A": a, "B": b, "C": c, "D": d})
    if b == 0 or d == 0:
        assert outcome.is_na and outcome.value is None
    else:
        assert outcome.value == (Decimal(a) / b * 100 + Decimal(c) / d * 100) / 2


@given(st.text(max_size=60))
def test_any_text_as_formula_is_either_parsed_or_refused_cleanly(text):
    try:
        formula = calc.parse_formula(text)
    except calc.FormulaError:
        return
    values = {name: 1 for name in formula.variables}
    outcome = calc.evaluate(formula, values)
    assert outcome.is_na or isinstance(outcome.value, Decimal)
