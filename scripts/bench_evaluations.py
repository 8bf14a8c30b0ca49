"""Benchmark of the AKIP evaluation pages at national scale (docs/performance.md, "The AKIP
evaluation").

On a database filled by `kinerja synth` (33 Kanwil × 21 facilities, 2021-2025):

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/nat \\
        PYTHONPATH=$PWD .venv/bin/python scripts/bench_evaluations.py --year 2024 --repeat 7

In one run, alternating, `--repeat` times:
(a) one hand-written SQL statement of what the directorate's "Evaluasi AKIP" tab shows: per
    facility its evaluation's status, score and grade and its overdue recommendations, and per
    Kanwil the count per grade and the mean score; all rows fetched;
(b) GET /wilayah/<directorate>/evaluasi-akip/?tahun=YEAR as a national read-only user;
(c) GET /unit/<facility>/lke/YEAR/ (the worksheet with the pre-fill) as the facility's operator,
    against (c') the same page without the pre-fill's proposals (selectors.sheet(prefill=False)
    rendered by the same view), to say what the pre-fill costs.
Prints the medians, (b)/(a), (c)/(c') and each page's query count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
os.environ.setdefault("KINERJA_DB_CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from kinerja.evaluation import selectors  # noqa: E402
from kinerja.organizations.models import Unit, UnitKind  # noqa: E402

SQL = """
WITH f AS (
    SELECT u.id, u.parent_id FROM organizations_unit u
    WHERE u.kind = 'upt' AND u.path LIKE %(path)s
),
e AS (
    SELECT f.id AS unit_id, f.parent_id, ev.id, ev.status, ev.score, ev.grade
    FROM f LEFT JOIN evaluation_evaluation ev ON ev.unit_id = f.id AND ev.year = %(year)s
),
overdue AS (
    SELECT ev.unit_id, COUNT(DISTINCT r.id) AS n
    FROM evaluation_recommendation r
    JOIN evaluation_evaluation ev ON ev.id = r.evaluation_id
    WHERE ev.year = %(year)s AND ev.status = 'final' AND r.deadline < CURRENT_DATE
      AND NOT EXISTS (SELECT 1 FROM evaluation_followup fu
                      WHERE fu.recommendation_id = r.id AND fu.done)
    GROUP BY ev.unit_id
)
SELECT e.unit_id, e.parent_id, e.status, e.score, e.grade, COALESCE(o.n, 0),
       COUNT(*) FILTER (WHERE e.status = 'final') OVER w,
       AVG(e.score) FILTER (WHERE e.status = 'final') OVER w
FROM e LEFT JOIN overdue o ON o.unit_id = e.unit_id
WINDOW w AS (PARTITION BY e.parent_id)
"""


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reader", default="pimpinan")
    args = parser.parse_args()
    setup_test_environment()
    directorate = Unit.objects.get(kind=UnitKind.DIRECTORATE)
    facilities = Unit.objects.filter(kind=UnitKind.UPT, path__startswith=directorate.path).count()
    users = get_user_model().objects
    reader = users.filter(username=args.reader).first() or users.filter(is_superuser=True).first()
    if reader is None:
        print("no reader: give --reader USERNAME", file=sys.stderr)
        return 2
    facility = (
        Unit.objects.filter(kind=UnitKind.UPT, evaluations__year=args.year).order_by("id").first()
    )
    operator = users.get(username=f"op.{facility.slug}")
    national, own = Client(), Client()
    national.force_login(reader)
    own.force_login(operator)
    tab = f"/wilayah/{directorate.slug}/evaluasi-akip/?tahun={args.year}"
    page = f"/unit/{facility.slug}/lke/{args.year}/"

    def sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(SQL, {"path": directorate.path + "%", "year": args.year})
            cursor.fetchall()

    def get(client: Client, url: str):
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    original = selectors.sheet

    def without_prefill() -> None:
        selectors.sheet = lambda *a, **k: original(*a, **{**k, "prefill": False})  # type: ignore[assignment]
        try:
            get(own, page)()
        finally:
            selectors.sheet = original

    for warm in (sql, get(national, tab), get(own, page), without_prefill):
        warm()
    rows: dict[str, list[float]] = {"a": [], "b": [], "c": [], "d": []}
    for _ in range(args.repeat):
        rows["a"].append(timed(sql))
        rows["b"].append(timed(get(national, tab)))
        rows["c"].append(timed(get(own, page)))
        rows["d"].append(timed(without_prefill))
    median = {k: statistics.median(v) for k, v in rows.items()}
    with CaptureQueriesContext(connection) as tab_queries:
        get(national, tab)()
    with CaptureQueriesContext(connection) as page_queries:
        get(own, page)()
    print(f"{facilities} facilities, year {args.year}, {args.repeat} rounds (medians)")
    print(f"(a) hand-written SQL of the tab      {median['a'] * 1000:8.1f} ms")
    print(
        f"(b) Evaluasi AKIP tab, national      {median['b'] * 1000:8.1f} ms  "
        f"{len(tab_queries.captured_queries)} queries  (b)/(a) {median['b'] / median['a']:.1f}"
    )
    print(
        f"(c) LKE page of {facility.slug:<20} {median['c'] * 1000:8.1f} ms  "
        f"{len(page_queries.captured_queries)} queries"
    )
    print(
        f"(c') the same without the pre-fill   {median['d'] * 1000:8.1f} ms  "
        f"(c)/(c') {median['c'] / median['d']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
