"""Query-count baselines: the busiest pages do not grow with the number of indicators (no N+1)."""

from decimal import Decimal

from django.urls import reverse

from kinerja.planning import services


def plan(agreement, codes):
    for code in codes:
        row = agreement.indicators.get(indicator__code=code)
        activity = services.ra_activity_save(
            agreement=agreement,
            name=f"Kegiatan {code}",
            pagu=Decimal(1000),
            disbursements={q: Decimal(250) for q in (1, 2, 3, 4)},
        )
        services.ra_indicator_plan_set(
            pk_indicator=row,
            activity=activity,
            quarters=[services.QuarterPlan(quarter=q, planned_activity="x") for q in (1, 2, 3, 4)],
        )


def test_the_facility_page_query_count_does_not_grow_with_the_plan(
    login, world, django_assert_max_num_queries
):
    agreement = world.draft_pk()
    client = login(world.users["operator_luwuk"])
    url = reverse("unit_detail", args=["lapas-luwuk"])
    plan(agreement, ["IKK-1.1"])
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    plan(agreement, ["IKK-1.3", "IKK-1.5", "IKK-2.1", "IKK-3.1", "IKK-4.1", "IKK-4.2"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert "Rp 7.000" in page.content.decode()


def test_the_pk_form_query_count_is_bounded(login, world, django_assert_max_num_queries):
    world.draft_pk()
    client = login(world.users["operator_luwuk"])
    with django_assert_max_num_queries(25):
        client.get(reverse("pk_edit", args=["lapas-luwuk", 2024]))
