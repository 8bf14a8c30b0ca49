import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja import calc
from kinerja.indicators.models import Goal, Indicator, Level, Variable
from kinerja.indicators.services import CATALOGUE_FILE, catalogue_sync, indicator_save


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


def test_a_fresh_sync_keeps_a_history_row_for_every_indicator_and_variable(catalogue):
    for model in (Goal, Indicator, Variable):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0


def test_syncing_an_unchanged_catalogue_writes_nothing(catalogue):
    history = Indicator.history.count()
    with CaptureQueriesContext(connection) as queries:
        catalogue_sync()
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE")] == ["SELECT"] * 3
    assert Indicator.history.count() == history


def test_an_edited_catalogue_file_updates_names_and_variables_with_history(catalogue, tmp_path):
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    item = next(i for g in data["goals"] for i in g["indicators"] if i["code"] == "IKK-1.7")
    item["name"] = "Nama baru IKK-1.7"
    item["formula"] = "A / B * 100"
    item["variables"] = {"A": "jumlah yang sembuh", "B": "jumlah penderita"}
    edited = tmp_path / "catalogue.json"
    edited.write_text(json.dumps(data), encoding="utf-8")

    catalogue_sync(edited)

    hiv = Indicator.objects.get(code="IKK-1.7")
    assert hiv.name == "Nama baru IKK-1.7"
    assert hiv.variable_map() == {"A": "jumlah yang sembuh", "B": "jumlah penderita"}
    assert hiv.history.first().name == "Nama baru IKK-1.7"
    assert Indicator.objects.get(code="IKK-1.1").history.count() == 1  # the others untouched


def test_a_new_indicator_with_an_unusable_formula_stops_the_whole_sync(db, tmp_path):
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["goals"][-1]["indicators"][-1]["formula"] = "A / A * 100"
    broken = tmp_path / "catalogue.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError):
        catalogue_sync(broken)
    assert not Indicator.objects.exists() and not Goal.objects.exists()
