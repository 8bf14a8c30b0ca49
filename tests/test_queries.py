"""Query-count baselines: the busiest pages do not grow with the number of indicators (no N+1)."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.budget import services as budget
from kinerja.budget.models import DipaLine, attach_full_codes
from kinerja.indicators.models import Level
from kinerja.measurement.models import Realization
from kinerja.measurement.services import realization_save
from kinerja.organizations.models import UnitKind
from kinerja.organizations.services import unit_create
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


# --- Pages that must not grow with the number of DIPA lines, indicators or facilities ----------
#
# Each test measures a page at a size N and again after the data has grown to about 3N (added
# through the services), and asserts the same number of queries, plus a ceiling. A page that
# read one row per line, indicator or facility would fail the equality.

YEAR = 2024


def counted(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200, url
    return len(queries.captured_queries)


def same_count(client, url: str, grow, ceiling: int) -> int:
    client.get(url)  # the first request of a session reads what later ones do not need
    small = counted(client, url)
    grow()
    large = counted(client, url)
    assert large == small, f"{url}: {small} queries, then {large} after the data grew"
    assert large <= ceiling, f"{url}: {large} queries (ceiling {ceiling})"
    return large


def signed_pk(world):
    agreement = world.draft_pk(YEAR)
    return services.pk_sign(agreement=agreement, by=world.users["head_luwuk"])


def ikk_rows(agreement):
    return list(
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator", "agreement__unit")
        .order_by("id")
    )


def record(rows, quarter: int = 1, by=None):
    for row in rows:
        values = {v.symbol: Decimal(3) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=quarter, values=values, by=by)


class Dipa:
    """A DIPA of five levels (programme → activity → KRO → RO → components with pagu), grown one
    RO at a time, so every line's full code has four parts to find."""

    def __init__(self, unit, year: int = YEAR):
        self.unit, self.year, self.ros = unit, year, 0
        self.activity = None

    def add_ros(self, count: int, components: int = 3) -> None:
        if self.activity is None:
            programme = budget.line_add(
                unit=self.unit, year=self.year, level="program", code="WA", name="Program"
            )
            self.activity = budget.line_add(
                unit=self.unit,
                year=self.year,
                level="activity",
                code="5252",
                name="Kegiatan",
                parent=programme,
            )
            self.kro = budget.line_add(
                unit=self.unit,
                year=self.year,
                level="kro",
                code="BDC",
                name="KRO",
                parent=self.activity,
            )
        for _ in range(count):
            self.ros += 1
            ro = budget.line_add(
                unit=self.unit,
                year=self.year,
                level="ro",
                code=f"{self.ros:03d}",
                name=f"RO {self.ros}",
                parent=self.kro,
            )
            for c in range(components):
                budget.line_add(
                    unit=self.unit,
                    year=self.year,
                    level="component",
                    code=f"{c + 51:03d}",
                    name=f"Komponen {c}",
                    parent=ro,
                    pagu=Decimal(1_000_000),
                    spending_type="52",
                    funds=["IKK-1.1"],
                )


def test_dipa_full_codes_are_read_for_the_whole_dipa_in_one_query(world, django_assert_num_queries):
    dipa = Dipa(world.luwuk)
    dipa.add_ros(3)
    lines = list(DipaLine.objects.filter(unit=world.luwuk, year=YEAR))
    with django_assert_num_queries(1):
        attach_full_codes(lines)
    assert {line.full_code for line in lines if line.pagu} == {
        f"5252.BDC.{ro:03d}.{c:03d}" for ro in (1, 2, 3) for c in (51, 52, 53)
    }
    assert {line.full_code for line in lines if line.level == "program"} == {"WA"}
    # On its own, a line reads its DIPA's codes in one query (never one per parent)...
    leaf = DipaLine.objects.get(unit=world.luwuk, year=YEAR, code="053", parent__code="003")
    with django_assert_num_queries(1):
        assert leaf.full_code == "5252.BDC.003.053"
    # ...and a changed code shows after a save, not the code read before.
    ro = leaf.parent
    ro.code = "009"
    ro.save()
    leaf.refresh_from_db()
    assert leaf.full_code == "5252.BDC.009.053"


def test_the_budget_page_does_not_grow_with_the_dipa(login, world):
    signed_pk(world)
    dipa = Dipa(world.luwuk)
    dipa.add_ros(2)
    client = login(world.users["operator_luwuk"])
    url = reverse("budget", args=["lapas-luwuk"]) + f"?tahun={YEAR}"
    same_count(client, url, lambda: dipa.add_ros(4), ceiling=30)
    assert "5252.BDC.006.053" in client.get(url).content.decode()


def test_the_spending_entry_and_revision_pages_do_not_grow_with_the_dipa(login, world):
    dipa = Dipa(world.luwuk)
    dipa.add_ros(2)
    client = login(world.users["operator_luwuk"])
    entry = reverse("budget_entry", args=["lapas-luwuk", YEAR, 3])
    revision = reverse("pagu_revision", args=["lapas-luwuk", YEAR])
    client.get(entry)
    client.get(revision)
    small = (counted(client, entry), counted(client, revision))
    dipa.add_ros(4)
    assert (counted(client, entry), counted(client, revision)) == small
    assert max(small) <= 20


def test_the_results_page_does_not_grow_with_the_indicators(login, world):
    rows = ikk_rows(signed_pk(world))
    record(rows[:3])
    client = login(world.users["operator_luwuk"])
    url = reverse("results", args=["lapas-luwuk"]) + f"?tahun={YEAR}"
    same_count(client, url, lambda: record(rows[3:9]), ceiling=25)


def test_the_entry_page_does_not_grow_with_the_indicators(login, world):
    rows = ikk_rows(signed_pk(world))
    record(rows[:3])
    client = login(world.users["operator_luwuk"])
    url = reverse("entry", args=["lapas-luwuk", YEAR, 1])
    same_count(client, url, lambda: record(rows[3:9]), ceiling=25)


def test_the_review_page_does_not_grow_with_indicators_or_lines(login, world):
    rows = ikk_rows(signed_pk(world))
    record(rows[:3])
    dipa = Dipa(world.luwuk)
    dipa.add_ros(2)
    client = login(world.users["head_luwuk"])
    url = reverse("review", args=["lapas-luwuk"]) + f"?tahun={YEAR}"

    def grow():
        record(rows[3:9])
        dipa.add_ros(4)

    same_count(client, url, grow, ceiling=40)


def test_the_documents_page_does_not_grow_with_indicators_or_lines(login, world):
    rows = ikk_rows(signed_pk(world))
    record(rows[:3])
    dipa = Dipa(world.luwuk)
    dipa.add_ros(2)
    client = login(world.users["operator_luwuk"])
    url = reverse("documents", args=["lapas-luwuk"]) + f"?tahun={YEAR}"

    def grow():
        record(rows[3:9])
        dipa.add_ros(4)

    same_count(client, url, grow, ceiling=25)


def test_the_region_page_does_not_grow_with_its_facilities(login, world):
    signed_pk(world)
    client = login(world.users["evaluator_sulteng"])
    url = reverse("region", args=["kanwil-sulteng"]) + f"?tahun={YEAR}"
    added = []

    def grow():
        for n in range(2, 5):
            added.append(
                unit_create(
                    name=f"Rutan Kelas IIB Uji {n}",
                    slug=f"rutan-uji-{n}",
                    kind=UnitKind.UPT,
                    parent=world.sulteng,
                    facility_type="rutan",
                    facility_class="IIB",
                    city=f"Kota {n}",
                )
            )

    # The region page is now the Kanwil's dashboard (issue 15): its monitoring and the roll-up (6),
    # a fixed count (the sections across facilities have tabs of their own); the equality above is
    # what holds it.
    same_count(client, url, grow, ceiling=20)
    page = client.get(url).content.decode()
    assert all(unit.name in page for unit in added)


def test_the_lke_page_does_not_grow_with_indicators_or_recommendations(login, world):
    from kinerja.evaluation import services as lke
    from kinerja.evaluation.models import Criterion

    rows = ikk_rows(signed_pk(world))
    record(rows[:3])
    operator, evaluator = world.users["operator_luwuk"], world.users["evaluator_sulteng"]
    evaluation = lke.evaluation_start(unit=world.luwuk, year=YEAR, by=operator)
    ids = list(Criterion.objects.order_by("id").values_list("id", flat=True))
    lke.self_answers_save(
        evaluation=evaluation,
        answers={cid: lke.SelfInput("B", "Ada.") for cid in ids},
        by=operator,
    )
    lke.self_submit(evaluation=evaluation, by=world.users["head_luwuk"])

    def recommend(n: int) -> None:
        lke.recommendation_add(
            evaluation=evaluation,
            text=f"Rekomendasi {n}.",
            deadline=world.luwuk.local_today() + dt.timedelta(days=30),
            by=evaluator,
        )

    recommend(0)
    client = login(evaluator)
    url = reverse("lke", args=["lapas-luwuk", YEAR])

    def grow():
        record(rows[3:9])
        for n in range(1, 4):
            recommend(n)

    # The worksheet with its 80 answers and the scores (~10) and the pre-fill's facts (~20),
    # whatever the number of IKK, results and recommendations.
    same_count(client, url, grow, ceiling=45)


def test_the_evaluations_tab_does_not_grow_with_the_facilities(login, world):
    from kinerja.evaluation import services as lke

    client = login(world.users["viewer_national"])
    url = reverse("region_evaluations", args=["ditjenpas"]) + f"?tahun={YEAR}"

    def grow():
        for n in range(2, 6):
            unit = unit_create(
                name=f"Rutan Kelas IIB Uji {n}",
                slug=f"rutan-uji-{n}",
                kind=UnitKind.UPT,
                parent=world.sulteng if n % 2 else world.ntt,
                facility_type="rutan",
                facility_class="IIB",
                city=f"Kota {n}",
            )
            lke.evaluation_start(unit=unit, year=YEAR, by=world.users["admin_national"])

    same_count(client, url, grow, ceiling=20)


def test_the_publications_tab_and_the_public_pages_do_not_grow_with_the_facilities(login, world):
    from kinerja.publication.models import Publication

    client = login(world.users["viewer_national"])
    anonymous = Client()
    urls = [
        (client, reverse("region_publications", args=["ditjenpas"]) + f"?tahun={YEAR}"),
        (anonymous, reverse("public_home") + f"?tahun={YEAR}"),
        (anonymous, reverse("public_region", args=["kanwil-sulteng"]) + f"?tahun={YEAR}"),
        (anonymous, reverse("public_national_data", args=["json"]) + f"?tahun={YEAR}"),
    ]
    added = []

    def grow():
        for n in range(2, 6):
            unit = unit_create(
                name=f"Rutan Kelas IIB Uji {n}",
                slug=f"rutan-uji-{n}",
                kind=UnitKind.UPT,
                parent=world.sulteng,
                facility_type="rutan",
                facility_class="IIB",
                city=f"Kota {n}",
            )
            added.append(unit)
            publication = Publication(
                unit=unit,
                year=YEAR,
                kind="capaian",
                quarter=4,
                filename="x.pdf",
                size=3,
                sha256="0" * 64,
                figures=[
                    {
                        "code": "IKK-1.1",
                        "name": "Uji",
                        "target": "80",
                        "target_unit": "%",
                        "formula": "A / B * 100",
                        "aggregation": "sum",
                        "direction": "higher",
                        "lower_rule": "inverse",
                        "realisation": "50",
                        "achievement": "62.5",
                        "achievement_capped": "62.5",
                        "na_reason": "",
                        "values": {"A": "1", "B": "2"},
                        "computation": "",
                    }
                ],
                published_by=world.users["head_luwuk"],
            )
            publication.file.save("x.pdf", ContentFile(b"%PD"), save=False)
            publication.save()

    small = []
    for who, url in urls:
        who.get(url)
        small.append(counted(who, url))
    grow()
    large = [counted(who, url) for who, url in urls]
    assert large == small, (small, large)
    assert max(large) <= 15, large
    facility = reverse("public_facility", args=["rutan-uji-2"])
    anonymous.get(facility)
    assert counted(anonymous, facility) <= 6


# --- Saving one IKK on the entry page ------------------------------------------------------------
#
# Statements that only open or close a transaction are not counted: a test runs inside its own
# transaction (so the service's is a SAVEPOINT pair), and SQLite's backend logs the BEGIN IMMEDIATE
# and COMMIT that PostgreSQL's does not. What is counted reads or writes rows, on both databases.

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def row_statements(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


def test_saving_one_ikk_on_the_entry_page_takes_at_most_15_queries(world):
    rows = ikk_rows(signed_pk(world))
    record(rows[:1])  # the quarter's report exists, as it does after the first save
    client = Client()
    client.force_login(world.users["operator_luwuk"])
    row = next(r for r in rows[1:] if r.indicator.variables.count() == 2)

    def save(value):
        url = reverse("entry_row", args=["lapas-luwuk", YEAR, 1, row.id])
        data = {f"v_{v.symbol}": value for v in row.indicator.variables.all()}
        data["narrative"] = f"isi {value}"
        with CaptureQueriesContext(connection) as queries:
            page = client.post(url, data, HTTP_HX_REQUEST="true")
        assert page.status_code == 200
        assert "Tersimpan." in page.content.decode()
        return len(row_statements(queries))

    first, again = save("2"), save("1")
    assert first <= 15, first
    assert again <= 15, again
    realization = Realization.objects.get(pk_indicator=row, quarter=1)
    assert {v.symbol: v.value for v in realization.values.all()} == {
        v.symbol: Decimal(1) for v in row.indicator.variables.all()
    }
    assert realization.narrative == "isi 1"
    # every save is in the history, with the user who made it
    history = realization.history.order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~", "~"]
    assert {h.history_user for h in history} == {world.users["operator_luwuk"]}


# --- Persistent connections in production ------------------------------------------------------


def _conn_max_age(**env: str) -> int:
    """CONN_MAX_AGE as the settings give it in a fresh process with this environment."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import kinerja.settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'])",
        ],
        env={**base, "DATABASE_URL": "sqlite:////tmp/kinerja-settings-check.sqlite3", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def test_production_keeps_database_connections_open_between_requests():
    """CONN_MAX_AGE is 60 s unless DEBUG: otherwise every request opens a connection (~9 ms)."""
    production = {"KINERJA_DEBUG": "0", "KINERJA_SECRET_KEY": "x" * 50}
    assert _conn_max_age(**production) == 60
    assert _conn_max_age(KINERJA_DEBUG="1") == 0
    assert _conn_max_age(**production, KINERJA_DB_CONN_MAX_AGE="5") == 5
