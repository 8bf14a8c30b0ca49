import pytest
from django.core.exceptions import ValidationError

from kinerja import calc
from kinerja.indicators.models import Goal, Indicator, Level
from kinerja.indicators.services import catalogue_sync, indicator_save


def test_the_national_catalogue_has_28_ikk_in_four_goals(catalogue):
    ikk = Indicator.objects.filter(level=Level.IKK)
    assert ikk.count() == 28
    assert sorted(Goal.objects.filter(level=Level.IKK).values_list("code", flat=True)) == [
        "SK1",
        "SK2",
        "SK3",
        "SK4",
    ]
    assert [ikk.filter(goal__code=c).count() for c in ("SK1", "SK2", "SK3", "SK4")] == [8, 7, 4, 9]


def test_every_catalogue_formula_is_sound_with_its_variables(catalogue):
    for indicator in Indicator.objects.prefetch_related("variables"):
        assert calc.formula_problems(indicator.formula, indicator.variable_map()) == [], (
            indicator.code
        )


def test_hiv_tb_is_a_composite_of_two_ratios(catalogue):
    hiv = Indicator.objects.get(code="IKK-1.7")
    assert calc.evaluate(hiv.formula, {"A": 1, "B": 1, "C": 1, "D": 1}).value == 100
    assert set(hiv.variable_map()) == {"A", "B", "C", "D"}


def test_recidivism_is_lower_is_better_by_its_definition(catalogue):
    assert Indicator.objects.get(code="IKU-3").direction == "lower"


def test_syncing_twice_changes_nothing(catalogue):
    before = list(Indicator.objects.values_list("code", "formula"))
    catalogue_sync()
    assert list(Indicator.objects.values_list("code", "formula")) == before


def test_an_indicator_with_an_unusable_formula_is_not_saved(catalogue):
    goal = Goal.objects.get(code="SK2")
    with pytest.raises(ValidationError) as exc:
        indicator_save(
            code="IKK-X",
            level="ikk",
            goal=goal,
            name="Uji",
            unit="%",
            formula="A / A * 100",
            variables={"A": "jumlah"},
        )
    assert "Pembilang dan penyebut rumus sama" in " ".join(exc.value.messages)
    assert not Indicator.objects.filter(code="IKK-X").exists()
