from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja import calc
from kinerja.core.formatting import format_percent

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
    assert [p.code for p in problems] == [
        calc.Problem.UNKNOWN_VARIABLE,
        calc.Problem.UNUSED_VARIABLE,
    ]
    assert "tidak dikenal" in problems[0].message and "C" in problems[0].message


def test_problems_flag_identical_numerator_and_denominator():
    problems = calc.formula_problems("A * 100 / A", {"A": "jumlah"})
    assert [p.code for p in problems] == [calc.Problem.SAME_NUMERATOR_DENOMINATOR]
    assert "Pembilang dan penyebut rumus sama" in problems[0].message


def test_problems_flag_two_variables_with_the_same_meaning():
    # Luwuk 2024, education: both sides read "Jumlah narapidana yang mendapat pendidikan".
    variables = {
        "A": "Jumlah narapidana yang mendapat pendidikan",
        "B": "Jumlah  narapidana yang mendapat pendidikan.",
    }
    problems = calc.formula_problems("A / B * 100", variables)
    assert [p.code for p in problems] == [calc.Problem.SAME_MEANING]
    assert "arti yang sama" in problems[0].message


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


# --- achievement ---------------------------------------------------------------------


def test_achievement_of_a_higher_is_better_indicator():
    result = calc.achievement(Decimal("93.58"), Decimal("85"))
    assert result.raw.quantize(Decimal("0.01")) == Decimal("110.09")
    assert result.capped == result.raw and not result.cap_applied


def test_a_count_target_not_reached_is_not_100_percent():
    # Atambua 2023, vehicles: target 6 units, 4 realised.
    result = calc.achievement(calc.evaluate("A", {"A": 4}), Decimal("6"))
    assert result.raw.quantize(Decimal("0.01")) == Decimal("66.67")


def test_no_population_gives_na_achievement_never_the_target():
    result = calc.achievement(calc.evaluate("A / B * 100", {"A": 0, "B": 0}), Decimal("97"))
    assert result.is_na and result.capped is None and "tidak ada populasi" in result.na_reason


def test_a_cap_keeps_both_figures():
    result = calc.achievement(Decimal("100"), Decimal("72"), cap=Decimal("120"))
    assert result.raw.quantize(Decimal("0.01")) == Decimal("138.89")
    assert result.capped == Decimal("120") and result.cap_applied


def test_lower_is_better_uses_the_rule_set_on_the_indicator():
    # Recidivism target 1%: 0,5% realised is better than target, 1,5% is worse.
    assert calc.achievement(Decimal("0.5"), Decimal("1"), direction="lower").raw == Decimal("150")
    assert calc.achievement(Decimal("1.5"), Decimal("1"), direction="lower").raw == Decimal("50")
    assert calc.achievement(Decimal("3"), Decimal("1"), direction="lower").raw == Decimal("0")
    ratio = calc.achievement(Decimal("0.5"), Decimal("1"), direction="lower", lower_rule="ratio")
    assert ratio.raw == Decimal("200")


def test_a_zero_or_missing_target_gives_na():
    assert calc.achievement(Decimal("5"), Decimal("0")).is_na
    assert calc.achievement(Decimal("5"), None).na_reason == "target belum diisi"


@pytest.mark.parametrize(
    ("percent", "population", "people"), [(85, 78, 67), (72, 52, 38), (50, 10, 5), (0, 10, 0)]
)
def test_a_head_count_target_is_rounded_up(percent, population, people):
    assert calc.headcount_target(Decimal(percent), population) == people


def test_quarterly_increments_must_add_up_to_the_annual_target():
    assert (
        calc.increments_problem(
            Decimal("80"), {1: Decimal(20), 2: Decimal(20), 3: Decimal(20), 4: Decimal(20)}
        )
        == ""
    )
    problem = calc.increments_problem(
        Decimal("80"), {1: Decimal(20), 2: Decimal(20), 3: Decimal(20), 4: None}
    )
    assert "60,00" in problem and "80,00" in problem and "selisih 20,00" in problem


def test_the_realisation_is_reported_cut_to_two_decimals_as_the_ministry_does():
    # Atambua 2023, integration (IKK-2.3): 73 of 78 approved, target 85%.
    exact = calc.evaluate("A / B * 100", {"A": 73, "B": 78})
    shown = calc.reported(exact)
    assert shown.value == Decimal("93.58")
    result = calc.achievement(shown, Decimal(85))
    assert format_percent(result.raw) == "110,09%"
    assert calc.achievement_text(shown.value, Decimal(85), result) == "93,58 / 85 × 100 = 110,09%"


def test_the_half_up_reporting_rule_gives_the_rounded_chain():
    shown = calc.reported(calc.evaluate("A / B * 100", {"A": 73, "B": 78}), calc.Rounding.HALF_UP)
    assert shown.value == Decimal("93.59")
    assert format_percent(calc.achievement(shown, Decimal(85)).raw) == "110,11%"
    # Achievement itself is shown half-up whatever the reporting rule: 4 of 6 vehicles.
    vehicles = calc.reported(calc.evaluate("A / B * 100", {"A": 4, "B": 6}))
    assert vehicles.value == Decimal("66.66")
    assert format_percent(calc.achievement(Decimal(4), Decimal(6)).raw) == "66,67%"


def test_reporting_keeps_na_and_refuses_an_unknown_rule():
    na = calc.evaluate("A / B * 100", {"A": 0, "B": 0})
    assert calc.reported(na).is_na and calc.reported(na).na_reason == na.na_reason
    with pytest.raises(ValueError):
        calc.reported(calc.Outcome(Decimal(1)), "banker")


def test_the_computation_is_shown_with_the_counts_filled_in():
    assert calc.computation_text("A / B * 100", {"A": 73, "B": 78}) == "73 / 78 × 100 = 93,58"
    assert (
        calc.computation_text("A / B * 100", {"A": 73, "B": 78}, calc.Rounding.HALF_UP)
        == "73 / 78 × 100 = 93,59"
    )
    assert calc.computation_text("A / B * 100", {"A": 0, "B": 0}).endswith(
        "= N/A (tidak ada populasi (B = 0))"
    )
    assert calc.computation_text("A * 0.5", {"A": 3}) == "3 × 0,5 = 1,50"
    assert calc.computation_text("A / B", {"A": "0.1", "B": "0.3"}) == "0,1 / 0,3 = 0,33"


@given(
    realisation=st.decimals(min_value=0, max_value=10**6, places=2),
    target=st.decimals(min_value=0, max_value=1000, places=2),
)
def test_achievement_never_crashes_and_is_never_negative(realisation, target):
    for direction in ("higher", "lower"):
        result = calc.achievement(realisation, target, direction=direction, cap=Decimal(120))
        assert result.is_na or (result.raw >= 0 and result.capped <= 120)


def test_quarterly_figures_use_increments_of_the_cumulative_realisation():
    # Atambua's PK report: 80% a year as 20 + 20 + 20 + 20; realised 20 then 15 more.
    cumulative = {
        1: calc.Outcome(Decimal(20)),
        2: calc.Outcome(Decimal(35)),
        3: None,
        4: calc.Outcome(None, "tidak ada populasi (B = 0)"),
    }
    figures = calc.quarter_figures(cumulative, {q: Decimal(20) for q in (1, 2, 3, 4)})
    assert [f.increment for f in figures] == [Decimal(20), Decimal(15), None, None]
    assert [f.achievement for f in figures] == [Decimal(100), Decimal(75), None, None]
    assert figures[2].na_reason == "belum diisi" and "tidak ada populasi" in figures[3].na_reason


def test_a_quarter_without_a_target_increment_has_no_quarterly_achievement():
    figures = calc.quarter_figures({1: calc.Outcome(Decimal(5))}, {1: None})
    assert figures[0].achievement is None and figures[0].na_reason == "target triwulan tidak diisi"


def test_a_quarter_after_an_empty_quarter_has_no_increment_and_says_why():
    # Atambua vehicles: only TW IV filled (4 of 6). Counting the whole year against TW IV's target
    # of 1 gave 400%; the increment over an unknown TW III cannot be computed.
    cumulative = {4: calc.Outcome(Decimal(4))}
    figures = calc.quarter_figures(cumulative, {q: Decimal(1) for q in (1, 2, 3, 4)})
    assert [f.cumulative for f in figures] == [None, None, None, Decimal(4)]
    assert [f.increment for f in figures] == [None] * 4
    assert [f.achievement for f in figures] == [None] * 4
    assert [f.na_reason for f in figures[:3]] == ["belum diisi"] * 3
    assert figures[3].na_reason == "TW III belum diisi, kenaikan TW IV tidak dapat dihitung"


def test_an_increment_is_counted_from_the_quarter_just_before_only():
    cumulative = {
        1: calc.Outcome(Decimal(20)),
        3: calc.Outcome(Decimal(50)),
        4: calc.Outcome(Decimal(70)),
    }
    figures = calc.quarter_figures(cumulative, {q: Decimal(20) for q in (1, 2, 3, 4)})
    assert [f.increment for f in figures] == [Decimal(20), None, None, Decimal(20)]
    assert [f.achievement for f in figures] == [Decimal(100), None, None, Decimal(100)]
    assert figures[2].na_reason == "TW II belum diisi, kenaikan TW III tidak dapat dihitung"
    na_before = calc.quarter_figures(
        {1: calc.Outcome(None, "tidak ada populasi (B = 0)"), 2: calc.Outcome(Decimal(5))},
        {1: Decimal(1), 2: Decimal(1)},
    )
    assert na_before[1].achievement is None
    assert na_before[1].na_reason == "TW I N/A, kenaikan TW II tidak dapat dihitung"


def test_computation_steps_are_data_and_the_text_is_made_from_them():
    result = calc.achievement(calc.Outcome(Decimal("93.58")), Decimal(85))
    steps = calc.computation_steps("A / B * 100", {"A": 73, "B": 78}, Decimal(85), result)
    assert [s.kind for s in steps] == [calc.StepKind.REALISATION, calc.StepKind.ACHIEVEMENT]
    assert steps[0].expression == "73 / 78 × 100" and steps[0].result == Decimal("93.58")
    assert calc.steps_text(steps) == "73 / 78 × 100 = 93,58%; 93,58 / 85 × 100 = 110,09%"
    # A count indicator: the realisation is the count, only the achievement step is shown.
    count = calc.computation_steps(
        "A", {"A": 4}, Decimal(6), calc.achievement(Decimal(4), Decimal(6)), target_unit="unit"
    )
    assert [s.kind for s in count] == [calc.StepKind.ACHIEVEMENT]
    assert calc.steps_text(count) == "4 / 6 × 100 = 66,67%"
    na = calc.computation_steps("A / B * 100", {"A": 0, "B": 0}, Decimal(85), None)
    assert len(na) == 1 and na[0].result is None and "tidak ada populasi" in na[0].text


def test_a_period_is_complete_when_every_variable_of_the_formula_has_a_value():
    assert calc.is_complete("A / B * 100", {"A": Decimal(1), "B": Decimal(2)})
    assert not calc.is_complete("A / B * 100", {"A": Decimal(1)})
    assert calc.is_complete("A / B * 100", {"A": Decimal(1), "B": Decimal(2), "C": Decimal(3)})
    assert not calc.is_complete("A / (", {"A": Decimal(1)})
    assert calc.is_count("A") and not calc.is_count("A / B * 100")


def test_the_year_figure_takes_the_latest_complete_period_and_applies_the_cap():
    periods = [
        {"A": Decimal(20), "B": Decimal(22)},
        {"A": Decimal(73), "B": Decimal(78)},
        {"A": Decimal(80)},
    ]
    figure = calc.year_figure("A / B * 100", periods, Decimal(85), cap=Decimal(100))
    assert figure.period == 1 and figure.realisation.value == Decimal("93.58")
    assert figure.achievement.raw.quantize(Decimal("0.01")) == Decimal("110.09")
    assert figure.achievement.capped == Decimal(100)
    assert calc.target_reached(figure.achievement)
    assert calc.year_figure("A / B * 100", [{"A": Decimal(1)}], Decimal(85)).realisation is None
