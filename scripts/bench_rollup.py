"""Benchmark of the national roll-up against a hand-written SQL aggregate (docs/performance.md,
"Roll-up at national scale").

On a database filled by `kinerja synth` (see the commands in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/kinerja_bench \\
        PYTHONPATH=$PWD .venv/bin/python scripts/bench_rollup.py --year 2025 --repeat 5

(a) one SQL statement: per facility and IKK the values of the latest complete period (every
    variable the formula uses has a value; the values are year to date) of the PK in force, and
    ΣA, ΣB, ... per IKK nationally; all rows fetched;
(b) `kinerja.dashboards.rollup.rollup(directorate, year)`.
Both in the same run, alternating, `--repeat` times; prints the medians and (b)/(a), checks that
(b)'s summed counts equal (a)'s for every IKK, then (b)'s query count for 10, 40, 100 and all
facilities, and the region page (GET /wilayah/<slug>/ as the region's evaluator) for the regions
given with --regions (by default a Kanwil with 10, 21, 40 and 100 facilities, if present), then
each of its tabs (kelengkapan, temuan, anggaran), and with --national the directorate's, each page
alternating with (a') the hand-written SQL of what it shows: for the IKK page (a) over the unit's
facilities and, for a Kanwil, its monitoring (per facility the PK in force, the quarter's status,
the stored review counts; the entry window); for a tab its section's aggregates (reports, first
submissions and entry windows of three years; DIPA pagu, blokir, realisation and budget scores;
review counts), all rows fetched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
# The pages as production serves them: one database connection kept across requests
# (KINERJA_DB_CONN_MAX_AGE defaults to 0 in development, a new connection for every page).
os.environ.setdefault("KINERJA_DB_CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from kinerja import calc  # noqa: E402
from kinerja.dashboards.rollup import rollup  # noqa: E402
from kinerja.indicators.models import Indicator, Level  # noqa: E402
from kinerja.organizations.models import Unit, UnitKind  # noqa: E402

# Per facility and IKK the latest complete period's values, and the national sums per IKK. The PK
# in force: the newest signed revision, else the newest that is not superseded.
SQL = """
WITH needed(indicator_id, symbol) AS (VALUES {needed}),
need_n AS (SELECT indicator_id, COUNT(*) AS n FROM needed GROUP BY indicator_id),
pk AS (
    SELECT DISTINCT ON (a.unit_id) a.id, a.unit_id
    FROM planning_perjanjiankinerja a
    JOIN organizations_unit u ON u.id = a.unit_id
    WHERE a.year = %s AND a.status <> 'superseded' AND u.kind = 'upt' AND u.path LIKE %s
    ORDER BY a.unit_id, (a.status = 'signed') DESC, a.revision DESC
),
complete AS (
    SELECT re.id, re.pk_indicator_id, pki.indicator_id, re.quarter, re.month
    FROM pk
    JOIN planning_pkindicator pki ON pki.agreement_id = pk.id
    JOIN measurement_realization re ON re.pk_indicator_id = pki.id
    JOIN measurement_variablevalue vv ON vv.realization_id = re.id
    JOIN needed nd ON nd.indicator_id = pki.indicator_id AND nd.symbol = vv.symbol
    JOIN need_n nn ON nn.indicator_id = pki.indicator_id
    GROUP BY re.id, re.pk_indicator_id, pki.indicator_id, re.quarter, re.month, nn.n
    HAVING COUNT(*) = nn.n
),
latest AS (
    SELECT DISTINCT ON (c.pk_indicator_id) c.id, c.pk_indicator_id, c.indicator_id
    FROM complete c
    ORDER BY c.pk_indicator_id, COALESCE(c.month, 3 * c.quarter) DESC, (c.month IS NULL) DESC
),
cell AS (
    SELECT l.pk_indicator_id, l.indicator_id, vv.symbol, vv.value
    FROM latest l JOIN measurement_variablevalue vv ON vv.realization_id = l.id
)
SELECT pk_indicator_id, indicator_id, symbol, value FROM cell
UNION ALL
SELECT NULL, indicator_id, symbol, SUM(value) FROM cell GROUP BY indicator_id, symbol
"""


# What the page adds to the roll-up, as hand-written SQL over the same tables: per facility and
# quarter of three years the report's status, its first submission and the region's closing date;
# per facility the DIPA leaves' pagu and blokir, the months' realisation and the budget scores;
# per facility its stored review counts. All rows fetched.
SECTIONS_SQL = [
    """
    WITH pk AS (
        SELECT DISTINCT ON (a.unit_id, a.year) a.id, a.unit_id, a.year
        FROM planning_perjanjiankinerja a JOIN organizations_unit u ON u.id = a.unit_id
        WHERE a.year BETWEEN %(first)s AND %(year)s AND a.status <> 'superseded'
          AND u.kind = 'upt' AND u.path LIKE %(path)s
        ORDER BY a.unit_id, a.year, (a.status = 'signed') DESC, a.revision DESC
    )
    SELECT pk.unit_id, pk.year, qr.quarter, qr.status, MIN(t.at), w.closes
    FROM pk
    JOIN organizations_unit u ON u.id = pk.unit_id
    LEFT JOIN measurement_quarterreport qr ON qr.agreement_id = pk.id
    LEFT JOIN measurement_transition t ON t.report_id = qr.id AND t.to_status = 'submitted'
    LEFT JOIN measurement_entrywindow w
        ON w.region_id = u.parent_id AND w.year = pk.year AND w.quarter = qr.quarter
    GROUP BY pk.unit_id, pk.year, qr.quarter, qr.status, w.closes
    """,
    """
    SELECT l.unit_id, SUM(l.pagu), SUM(l.blocked),
           (SELECT SUM(m.realised) FROM budget_spendingmonth m JOIN budget_dipaline l2
                ON l2.id = m.line_id
            WHERE l2.unit_id = l.unit_id AND l2.year = %(year)s AND l2.pagu IS NOT NULL)
    FROM budget_dipaline l JOIN organizations_unit u ON u.id = l.unit_id
    WHERE l.year = %(year)s AND l.pagu IS NOT NULL AND u.path LIKE %(path)s
    GROUP BY l.unit_id
    """,
    """
    SELECT s.unit_id, s.smart, s.ikpa FROM budget_budgetscore s
    JOIN organizations_unit u ON u.id = s.unit_id
    WHERE s.year = %(year)s AND u.path LIKE %(path)s
    """,
    """
    SELECT r.unit_id, r.errors, r.warnings, r.notes, r.accepted FROM review_reviewrun r
    JOIN organizations_unit u ON u.id = r.unit_id
    WHERE r.year = %(year)s AND u.path LIKE %(path)s
    """,
]


# A Kanwil's monitoring on its IKK page: per facility the PK in force, the quarter's report
# status and the stored review counts; the quarter's entry window.
MONITORING_SQL = [
    """
    SELECT u.id, u.name, pk.status, qr.status, r.errors, r.warnings, r.notes, r.accepted, r.at
    FROM organizations_unit u
    LEFT JOIN LATERAL (
        SELECT a.id, a.status FROM planning_perjanjiankinerja a
        WHERE a.unit_id = u.id AND a.year = %(year)s AND a.status <> 'superseded'
        ORDER BY (a.status = 'signed') DESC, a.revision DESC LIMIT 1
    ) pk ON TRUE
    LEFT JOIN measurement_quarterreport qr ON qr.agreement_id = pk.id AND qr.quarter = %(quarter)s
    LEFT JOIN review_reviewrun r ON r.unit_id = u.id AND r.year = %(year)s
    WHERE u.kind = 'upt' AND u.path LIKE %(path)s
    ORDER BY u.name
    """,
    """
    SELECT w.opens, w.closes FROM measurement_entrywindow w JOIN organizations_unit u
        ON u.id = w.region_id
    WHERE u.path = %(exact)s AND w.year = %(year)s AND w.quarter = %(quarter)s
    """,
]
# Each tab of the dashboard and the statements of what it shows.
TABS = {
    "kelengkapan": SECTIONS_SQL[0:1],
    "temuan": SECTIONS_SQL[3:4],
    "anggaran": SECTIONS_SQL[1:3],
}


def statements(sqls: list[str], unit: Unit, year: int, quarter: int = 4) -> int:
    params = {
        "year": year,
        "first": year - 2,
        "quarter": quarter,
        "path": unit.path + "%",
        "exact": unit.path,
    }
    fetched = 0
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(sql, params)
            fetched += len(cursor.fetchall())
    return fetched


def hand_written(directorate: Unit, year: int, needed: dict[int, tuple[str, ...]]):
    pairs = [(i, s) for i, symbols in needed.items() for s in symbols]
    sql = SQL.format(needed=", ".join(["(%s, %s)"] * len(pairs)))
    params = [p for pair in pairs for p in pair] + [year, directorate.path + "%"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    cells, sums = set(), {}
    for row_id, indicator_id, symbol, value in rows:
        if row_id is None:
            sums[(indicator_id, symbol)] = Decimal(value)
        else:
            cells.add(row_id)
    return len(cells), sums


def median_time(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--directorate", default="ditjenpas")
    parser.add_argument("--regions", nargs="*", help="slugs of the regions whose page is timed")
    parser.add_argument(
        "--national", metavar="USERNAME", help="also time the directorate's page as this user"
    )
    args = parser.parse_args()

    directorate = Unit.objects.get(slug=args.directorate, kind=UnitKind.DIRECTORATE)
    facilities = Unit.objects.filter(kind=UnitKind.UPT, path__startswith=directorate.path)
    print(f"{connection.vendor}, {facilities.count()} facilities, year {args.year}")
    needed = {
        i.id: calc.formula_variables(i.formula)
        for i in Indicator.objects.filter(level=Level.IKK, active=True)
    }

    # Warm up both (connection, caches of parsed formulas), then alternate.
    hand_written(directorate, args.year, needed)
    result = rollup(directorate, args.year)
    a_times, b_times = [], []
    for _ in range(args.repeat):
        a_times.append(median_time(lambda: hand_written(directorate, args.year, needed), 1)[0])
        b_times.append(median_time(lambda: rollup(directorate, args.year), 1)[0])
    a, b = statistics.median(a_times), statistics.median(b_times)
    cells, sums = hand_written(directorate, args.year, needed)
    print(f"(a) hand-written SQL: median {a:.3f} s  runs {', '.join(f'{t:.3f}' for t in a_times)}")
    print(f"(b) rollup():         median {b:.3f} s  runs {', '.join(f'{t:.3f}' for t in b_times)}")
    print(f"(b)/(a) = {b / a:.2f}   cells: (a) {cells}, (b) {len(result._cells)}")

    # The same sums per IKK (ΣA, ΣB, ...), computed independently.
    mismatches = []
    for item in result.indicators:
        if item.aggregate.mode != calc.Aggregation.SUM:
            continue
        for symbol, total in item.aggregate.sums.items():
            if sums.get((item.indicator.id, symbol), Decimal(0)) != total:
                mismatches.append(
                    (item.indicator.code, symbol, total, sums.get((item.indicator.id, symbol)))
                )
    print(f"sums per IKK equal to (a): {'yes' if not mismatches else mismatches[:5]}")

    # Query count of rollup() for growing sets of facilities.
    ids = list(facilities.order_by("path").values_list("id", flat=True))
    for n in (10, 40, 100, len(ids)):
        subset = Unit.objects.filter(id__in=ids[:n])
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            rollup(directorate, args.year, facilities=subset)
            spent = time.perf_counter() - started
        print(f"rollup over {n:>4} facilities: {len(ctx.captured_queries)} queries, {spent:.3f} s")

    # The region page as the region's evaluator.
    setup_test_environment()
    regions = args.regions
    if not regions:
        sized = Unit.objects.filter(kind=UnitKind.KANWIL).annotate(n=Count("children"))
        regions = [next((r.slug for r in sized if r.n == size), None) for size in (10, 21, 40, 100)]
        regions = [r for r in regions if r]
    user_model = get_user_model()
    pages = [(slug, f"evaluator.{slug}") for slug in regions]
    if args.national:
        pages.append((args.directorate, args.national))
    print(
        "each page alternating with (a'), the hand-written SQL of what it shows, medians of "
        f"{args.repeat}:"
    )
    for slug, username in pages:
        region = Unit.objects.get(slug=slug)
        size = Unit.objects.filter(kind=UnitKind.UPT, path__startswith=region.path).count()
        client = Client()
        client.force_login(user_model.objects.get(username=username))
        kanwil = region.kind == UnitKind.KANWIL

        def main_sql(region=region, kanwil=kanwil):
            hand_written(region, args.year, needed)
            if kanwil:
                statements(MONITORING_SQL, region, args.year)

        targets = [(f"/wilayah/{slug}/?tahun={args.year}", main_sql)]
        for tab, sqls in TABS.items():
            targets.append(
                (
                    f"/wilayah/{slug}/{tab}/?tahun={args.year}",
                    lambda sqls=sqls, region=region: statements(sqls, region, args.year),
                )
            )
        for url, baseline_fn in targets:
            # Django empties the query log when a request starts: count through a wrapper instead.
            counted: list[str] = []
            with connection.execute_wrapper(
                lambda execute, sql, params, many, context, counted=counted: (
                    counted.append(sql) or execute(sql, params, many, context)
                )
            ):
                started = time.perf_counter()
                response = client.get(url)
                first = time.perf_counter() - started
            if response.status_code != 200:
                print(f"{url}: HTTP {response.status_code}", file=sys.stderr)
                continue
            page_times, sql_times = [], []
            for _ in range(args.repeat):
                page_times.append(median_time(lambda url=url, client=client: client.get(url), 1)[0])
                sql_times.append(median_time(baseline_fn, 1)[0])
            again, baseline = statistics.median(page_times), statistics.median(sql_times)
            print(
                f"page {url} ({size} facilities, as {username}): first {first:.3f} s, "
                f"median {again:.3f} s, {len(counted)} queries; (a') {baseline:.3f} s; "
                f"page / (a') = {again / baseline:.2f}"
            )


if __name__ == "__main__":
    main()
