"""Who may see and change which facility's plan: an outsider gets nothing, by URL or by form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.organizations.access import may
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja


def names(units):
    return sorted(u.slug for u in units)


def test_restrict_follows_the_tree(world):
    u = world.users
    assert names(Unit.objects.restrict(u["operator_luwuk"], "view")) == ["lapas-luwuk"]
    assert names(Unit.objects.restrict(u["evaluator_sulteng"], "view")) == [
        "kanwil-sulteng",
        "lapas-luwuk",
    ]
    assert names(Unit.objects.restrict(u["evaluator_sulteng"], "change")) == []
    assert len(Unit.objects.restrict(u["viewer_national"], "view")) == 5
    assert names(Unit.objects.restrict(u["viewer_national"], "change")) == []
    assert names(Unit.objects.restrict(u["head_luwuk"], "sign")) == ["lapas-luwuk"]
    assert names(Unit.objects.restrict(u["operator_luwuk"], "sign")) == []
    assert names(Unit.objects.restrict(world.outsider, "view")) == []


def test_the_one_unit_check_agrees_with_restrict(world):
    """`may` is the single-object form of `restrict`, by unit or by id."""
    u = world.users
    for user in [*u.values(), world.outsider]:
        for action in ("view", "change", "sign", "verify", "run"):
            allowed = set(Unit.objects.restrict(user, action).values_list("pk", flat=True))
            for unit in Unit.objects.all():
                assert may(user, unit, action) is (unit.pk in allowed), (user, unit, action)
                assert may(user, unit.pk, action) is (unit.pk in allowed)


def test_an_outsider_gets_404_on_a_region_it_does_not_belong_to(login, world):
    client = login(world.users["evaluator_sulteng"])
    assert client.get(reverse("region", args=["kanwil-sulteng"])).status_code == 200
    for slug in ("kanwil-ntt", "lapas-luwuk"):  # another region; a facility is not a region
        assert client.get(reverse("region", args=[slug])).status_code == 404
    client = login(world.users["operator_luwuk"])
    assert client.get(reverse("region", args=["kanwil-sulteng"])).status_code == 404
    assert client.post(reverse("region_review_run", args=["kanwil-sulteng"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("unit_detail", args=["lapas-luwuk"]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_operator_of_atambua_sees_nothing_of_luwuk(login, world):
    agreement = world.draft_pk()
    row = agreement.indicators.get(indicator__code="IKK-1.1")
    client = login(world.users["operator_atambua"])
    for url in [
        reverse("unit_detail", args=["lapas-luwuk"]),
        reverse("unit_detail", args=["lapas-luwuk"]) + "?tahun=2024",
        reverse("pk_create", args=["lapas-luwuk"]),
        reverse("pk_edit", args=["lapas-luwuk", 2024]),
        reverse("ra_edit", args=["lapas-luwuk", 2024, row.id]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Luwuk" not in response.content
    home = client.get(reverse("home"), follow=True)
    assert b"Luwuk" not in home.content


def test_an_operator_of_atambua_cannot_change_luwuk_by_posting_forms(login, world):
    agreement = world.draft_pk()
    row = agreement.indicators.get(indicator__code="IKK-1.1")
    client = login(world.users["operator_atambua"])
    posts = [
        (
            reverse("pk_edit", args=["lapas-luwuk", 2024]),
            {"pk-place": "Hacked", f"t-target_{row.id}": "1"},
        ),
        (reverse("pk_sign", args=["lapas-luwuk", 2024]), {}),
        (reverse("pk_create", args=["lapas-luwuk"]), {"year": "2030"}),
        (
            reverse("ra_edit", args=["lapas-luwuk", 2024, row.id]),
            {"new_activity": "X", "pagu": "1"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    agreement.refresh_from_db()
    row.refresh_from_db()
    assert agreement.place == "Palu" and agreement.status == "draft"
    assert row.target == Decimal("85") and row.activity is None
    assert not PerjanjianKinerja.objects.filter(year=2030).exists()


def test_an_operator_cannot_reach_a_pk_row_of_another_facility_through_its_own_url(login, world):
    luwuk_pk = world.draft_pk()
    foreign_row = luwuk_pk.indicators.first()
    from kinerja.planning import services

    services.pk_create(unit=world.atambua, year=2024)
    client = login(world.users["operator_atambua"])
    response = client.get(reverse("ra_edit", args=["lapas-atambua", 2024, foreign_row.id]))
    assert response.status_code == 404


def test_the_regional_evaluator_sees_the_plan_but_cannot_change_it(login, world):
    world.draft_pk()
    client = login(world.users["evaluator_sulteng"])
    assert client.get(reverse("unit_detail", args=["lapas-luwuk"])).status_code == 200
    assert client.get(reverse("pk_edit", args=["lapas-luwuk", 2024])).status_code == 404
    assert client.get(reverse("unit_detail", args=["lapas-atambua"])).status_code == 404


def test_only_a_head_signs(login, world):
    world.draft_pk()
    operator = login(world.users["operator_luwuk"])
    assert operator.post(reverse("pk_sign", args=["lapas-luwuk", 2024])).status_code == 404
    head = login(world.users["head_luwuk"])
    # The review's open errors (no Rencana Aksi yet) are listed first; the head confirms.
    asked = head.post(reverse("pk_sign", args=["lapas-luwuk", 2024]))
    assert "galat terbuka" in asked.content.decode()
    response = head.post(
        reverse("pk_sign", args=["lapas-luwuk", 2024]), {"konfirmasi": "1"}, follow=True
    )
    assert "ditandatangani dan dikunci" in response.content.decode()
    assert PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024).status == "signed"


@pytest.mark.parametrize("path", ["/admin/", "/admin/planning/perjanjiankinerja/"])
def test_facility_users_have_no_admin(login, world, path):
    response = login(world.users["operator_luwuk"]).get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
