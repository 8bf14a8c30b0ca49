"""National admins maintain the catalogue in the Django admin; bad formulas never get in."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.indicators.models import Goal, Indicator


@pytest.fixture
def admin_client(client, catalogue):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "rahasia-uji-123")
    client.force_login(user)
    return client


def indicator_post(formula: str, variables: list[tuple[str, str]]) -> dict:
    data = {
        "level": "ikk",
        "goal": Goal.objects.get(code="SK2").id,
        "code": "IKK-2.9",
        "name": "Persentase uji",
        "unit": "%",
        "direction": "higher",
        "lower_rule": "inverse",
        "aggregation": "sum",  # the form shows the default; a browser sends it
        "formula": formula,
        "description": "",
        "order": 9,
        "active": "on",
        "variables-TOTAL_FORMS": str(len(variables)),
        "variables-INITIAL_FORMS": "0",
        "variables-MIN_NUM_FORMS": "0",
        "variables-MAX_NUM_FORMS": "1000",
    }
    for i, (symbol, meaning) in enumerate(variables):
        data[f"variables-{i}-symbol"] = symbol
        data[f"variables-{i}-description"] = meaning
    return data


def test_the_admin_refuses_a_formula_with_an_unknown_variable(admin_client):
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        indicator_post("A / C * 100", [("A", "jumlah a"), ("B", "jumlah b")]),
    )
    assert response.status_code == 200
    assert "Variabel tidak dikenal dalam rumus: C" in response.content.decode()
    assert not Indicator.objects.filter(code="IKK-2.9").exists()


def test_the_admin_refuses_a_numerator_equal_to_its_denominator(admin_client):
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        indicator_post(
            "A / B * 100",
            [
                ("A", "Jumlah narapidana yang mendapat pendidikan"),
                ("B", "Jumlah narapidana yang mendapat pendidikan"),
            ],
        ),
    )
    assert "arti yang sama" in response.content.decode()
    assert not Indicator.objects.filter(code="IKK-2.9").exists()


def test_the_admin_refuses_a_syntax_error(admin_client):
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        indicator_post("(A / B * 100", [("A", "a"), ("B", "b")]),
    )
    assert "tidak dapat dibaca" in response.content.decode()


def test_the_admin_saves_a_sound_indicator(admin_client):
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        indicator_post("A / B * 100", [("A", "jumlah yang dilayani"), ("B", "jumlah seluruhnya")]),
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="IKK-2.9").variable_map() == {
        "A": "jumlah yang dilayani",
        "B": "jumlah seluruhnya",
    }


def test_the_admin_refuses_an_invalid_nip(admin_client, world):
    response = admin_client.post(
        reverse("admin:organizations_person_add"),
        {
            "name": "Edwar Hadi",
            "nip": "197208103996031001",
            "unit": world.atambua.id,
            "position": "Kepala",
        },
    )
    assert "Tahun pengangkatan dalam NIP (3996)" in response.content.decode()
