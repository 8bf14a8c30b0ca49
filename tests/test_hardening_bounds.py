"""Issue 13, points 1 and 9: every number within bounds that fit its meaning, on every path; a stored
value that cannot be computed is a located problem, never a 500; a change without a user is shown,
never a 500."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from kinerja import calc
from kinerja.budget import services as budget
from kinerja.budget.models import BudgetScore, DipaLine, PaguRevision, SpendingMonth
from kinerja.core import bounds
from kinerja.core.formatting import parse_decimal
from kinerja.documents import reports
from kinerja.documents.models import DocumentJob
from kinerja.indicators.models import Variable
from kinerja.measurement import services as measurement
from kinerja.measurement.models import EntryWindow, Realization, Transition, VariableValue
from kinerja.organizations.models import HeadAppointment, Unit
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, RAActivity, RAQuarter
from kinerja.review.models import Acceptance
from kinerja.review.services import finding_accept, review_run

HUGE = "99999999999999999999999"


@pytest.fixture
def signed(world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    return agreement, agreement.indicators.get(indicator__code="IKK-2.3")


# --- the shared reader ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e9", "notasi eksponen"),
        ("1E3", "notasi eksponen"),
        ("2,5e-3", "notasi eksponen"),
        ("NaN", "bukan angka"),
        ("Infinity", "bukan angka"),
        ("-inf", "bukan angka"),
        ("٣", "bukan angka"),  # an Arabic-Indic digit, which Decimal() would read as 3
        (HUGE, "terlalu panjang"),
        ("0,0000000000000000000001", "terlalu panjang"),
    ],
)
def test_the_shared_reader_refuses_what_no_office_writes(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_decimal(text)


def test_the_shared_reader_still_reads_what_offices_write():
    assert parse_decimal("7.363.920.000") == Decimal("7363920000")
    assert parse_decimal("Rp. 1.000.000.000.000.000") == Decimal(10**15)
    assert parse_decimal("92,5") == Decimal("92.5")
    assert parse_decimal("85%") == Decimal(85)
    assert parse_decimal("-") is None


# --- the bounds themselves ------------------------------------------------------------------


def test_every_bound_fits_the_column_it_is_stored_in():
    """The database never receives a value within bounds that it would overflow."""
    from kinerja.budget import models as b
    from kinerja.measurement import models as m
    from kinerja.planning import models as p

    pairs = [
        (m.VariableValue, "value", bounds.COUNT),
        (m.VariableValue, "value", bounds.MEASURE),
        (m.VariableValue, "value", bounds.VARIABLE_ANY),
        (p.PKIndicator, "target", bounds.TARGET_PERCENT),
        (p.PKIndicator, "target", bounds.TARGET_COUNT),
        (p.PKIndicator, "target", bounds.TARGET_ANY),
        (p.RAQuarter, "target_increment", bounds.TARGET_ANY),
        (p.RenstraTarget, "value", bounds.TARGET_ANY),
        (p.RAActivity, "pagu", bounds.MONEY),
        (p.RAActivityQuarter, "planned_disbursement", bounds.MONEY),
        (p.PKBudgetItem, "amount", bounds.MONEY),
        (p.PKIndicator, "blocked_amount", bounds.MONEY),
        (p.PerjanjianKinerja, "achievement_cap", bounds.PERCENT),
        (b.DipaLine, "pagu", bounds.MONEY),
        (b.DipaLine, "volume", bounds.VOLUME),
        (b.SpendingMonth, "realised", bounds.MONEY),
        (b.PaguRevision, "new_pagu", bounds.MONEY),
        (b.BudgetScore, "ikpa", bounds.SCORE),
        (b.TarjaItem, "score", bounds.SCORE),
        (m.PrintedResult, "achievement", bounds.ACHIEVEMENT),
    ]
    for model, name, bound in pairs:
        field = model._meta.get_field(name)
        assert bound.fits(field.max_digits, field.decimal_places), (model, name, bound)
    assert bounds.MONEY.maximum < calc.LIMIT * 10 and bounds.VARIABLE_ANY.maximum < calc.LIMIT


def test_variables_are_counts_or_measured_values_as_the_catalogue_describes_them(catalogue):
    counted = Variable.objects.get(indicator__code="IKK-2.3", symbol="A")
    index = Variable.objects.get(indicator__code="IKU-1", symbol="A")
    vehicles = Variable.objects.get(indicator__code="IKK-4.6", symbol="A")
    assert bounds.variable_bound(counted) is bounds.COUNT
    assert bounds.variable_bound(vehicles) is bounds.COUNT
    assert bounds.variable_bound(index) is bounds.MEASURE
    assert bounds.MEASURE.problem(Decimal("3.45"), "A") == ""
    assert "bilangan bulat" in bounds.COUNT.problem(Decimal("12.5"), "A")


# --- the entry page and its service ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (HUGE, "terlalu panjang"),
        ("10.000.001", "harus antara 0 dan 10.000.000"),
        ("1e9", "notasi eksponen"),
        ("12,5", "bilangan bulat"),
        ("NaN", "bukan angka"),
    ],
)
def test_a_count_on_the_entry_page_is_a_whole_number_within_bounds(
    login, world, signed, typed, message
):
    _, row = signed
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("entry_row", args=["lapas-luwuk", 2024, 1, row.id]),
        {"v_A": "5", "v_B": typed},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "B" in html
    assert not VariableValue.objects.exists()


def test_the_service_refuses_out_of_bounds_values_whoever_calls_it(world, signed):
    _, row = signed
    for values in (
        {"A": Decimal(HUGE), "B": Decimal(HUGE)},
        {"A": Decimal("1E+9"), "B": Decimal("2E+9")},
        {"A": Decimal("12.5"), "B": Decimal(20)},
        {"A": Decimal("NaN"), "B": Decimal(20)},
        {"A": "73", "B": Decimal(78)},
    ):
        with pytest.raises(ValidationError):
            measurement.realization_save(pk_indicator=row, quarter=1, values=values)
    assert not VariableValue.objects.exists()
    measurement.realization_save(
        pk_indicator=row, quarter=1, values={"A": Decimal(73), "B": Decimal(10_000_000)}
    )
    assert VariableValue.objects.count() == 2


# --- the PK, the Rencana Aksi ----------------------------------------------------------------------


def test_pk_targets_are_bounded_by_their_unit_on_the_form_and_in_the_service(login, world):
    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")  # a percentage
    services_row = agreement.indicators.get(indicator__code="IKK-4.1")  # a count of services
    client = login(world.users["operator_luwuk"])
    for field, typed, message in [
        (food, "1" * 21, "terlalu panjang"),
        (food, "1001", "harus antara 0 dan 1.000"),
        (food, "1e2", "notasi eksponen"),
        (services_row, "12,5", "bilangan bulat"),
    ]:
        page = client.post(
            reverse("pk_edit", args=["lapas-luwuk", 2024]),
            {
                "pk-place": "Luwuk",
                f"t-target_{field.id}": typed,
                "budget-TOTAL_FORMS": "0",
                "budget-INITIAL_FORMS": "0",
            },
        ).content.decode()
        assert message in page and f"Target {field.indicator.code}" in page
    assert set(agreement.indicators.values_list("target", flat=True)) == {Decimal(85)}
    with pytest.raises(ValidationError, match="IKK-1.1"):
        planning.pk_targets_set(agreement=agreement, targets={food.id: Decimal(HUGE)})
    with pytest.raises(ValidationError, match="bilangan bulat"):
        planning.pk_targets_set(agreement=agreement, targets={services_row.id: Decimal("2.5")})
    planning.pk_targets_set(agreement=agreement, targets={food.id: Decimal("92.5")})


def test_rencana_aksi_money_and_increments_are_bounded(login, world):
    agreement = world.draft_pk()
    row = agreement.indicators.get(indicator__code="IKK-2.3")
    client = login(world.users["operator_luwuk"])
    url = reverse("ra_edit", args=["lapas-luwuk", 2024, row.id])
    page = client.post(
        url,
        {
            "new_activity": "Layanan integrasi",
            "pagu": "1.000.000.000.000.001",
            "rpd_1": "1e6",
            "target_1": "2000",
            "target_2": "20",
        },
    ).content.decode()
    assert "Pagu kegiatan (Rp) harus antara 0 dan 1.000.000.000.000.000" in page
    assert "RPD TW I (Rp)" in page and "notasi eksponen" in page
    assert "Target TW I harus antara 0 dan 1.000" in page
    assert not RAActivity.objects.exists() and not RAQuarter.objects.exists()
    with pytest.raises(ValidationError, match="Pagu kegiatan"):
        planning.ra_activity_save(agreement=agreement, name="X", pagu=Decimal(10**16))
    with pytest.raises(ValidationError, match="RPD TW II"):
        planning.ra_activity_save(
            agreement=agreement, name="X", pagu=Decimal(10), disbursements={2: Decimal("0.5")}
        )
    with pytest.raises(ValidationError, match="Target TW I "):
        planning.ra_indicator_plan_set(
            pk_indicator=row,
            activity=None,
            quarters=[planning.QuarterPlan(quarter=1, target_increment=Decimal(HUGE))],
        )
    assert not RAActivity.objects.exists() and not RAQuarter.objects.exists()


# --- the budget ----------------------------------------------------------------------------------


@pytest.fixture
def leaf(world):
    return budget.line_add(
        unit=world.luwuk,
        year=2024,
        level="component",
        code="051",
        name="Operasional",
        pagu=Decimal(1_000_000),
        spending_type="52",
    )


def test_budget_pages_refuse_numbers_out_of_bounds_and_save_nothing(login, world, leaf):
    client = login(world.users["operator_luwuk"])
    for typed in (HUGE, "1e9", "1,5", "-5", "Infinity"):
        response = client.post(
            reverse("budget_entry", args=["lapas-luwuk", 2024, 1]),
            {f"planned_{leaf.id}": typed, f"realised_{leaf.id}": "0"},
        )
        assert response.status_code == 400, typed
        assert "Operasional" in response.content.decode()
    assert not SpendingMonth.objects.exists()
    response = client.post(
        reverse("pagu_revision", args=["lapas-luwuk", 2024]),
        {"line": leaf.id, "pagu": "9" * 17, "date": "2024-03-01", "reason": "Revisi"},
    )
    assert response.status_code == 400 and "Pagu baru" in response.content.decode()
    assert not PaguRevision.objects.exists()
    for smart, ikpa in (("101", "90"), ("90", "1e2"), ("90", "95,123")):
        response = client.post(
            reverse("budget_scores", args=["lapas-luwuk", 2024]), {"smart": smart, "ikpa": ikpa}
        )
        assert response.status_code == 400, (smart, ikpa)
    response = client.post(
        reverse("budget_scores", args=["lapas-luwuk", 2024]),
        {"smart": "90", "ikpa": "95", "ikpa_components": "Penyerapan = 1e3"},
    )
    assert response.status_code == 400 and "Komponen IKPA baris 1" in response.content.decode()
    assert not BudgetScore.objects.exists()


def test_budget_services_refuse_out_of_bounds_money_and_scores(world, leaf):
    with pytest.raises(ValidationError, match="rencana harus antara"):
        budget.spending_save([budget.MonthFigures(line=leaf, month=1, planned=Decimal(HUGE))])
    with pytest.raises(ValidationError, match="bilangan bulat"):
        budget.spending_save([budget.MonthFigures(line=leaf, month=1, planned=Decimal("0.5"))])
    with pytest.raises(ValidationError, match="Pagu baru"):
        budget.pagu_revise(
            line=leaf, new_pagu=Decimal(10**16), revised_on=dt.date(2024, 3, 1), reason="x"
        )
    with pytest.raises(ValidationError, match="Komponen IKPA"):
        budget.score_set(unit=world.luwuk, year=2024, ikpa_components={"Deviasi": Decimal(101)})
    with pytest.raises(ValidationError, match="pagu"):
        budget.line_add(
            unit=world.luwuk,
            year=2024,
            level="component",
            name="Besar",
            pagu=Decimal(10**16),
            spending_type="52",
        )
    assert not SpendingMonth.objects.exists() and not PaguRevision.objects.exists()
    assert DipaLine.objects.count() == 1


# --- addresses and the entry window ------------------------------------------------------------


def test_numbers_in_addresses_beyond_the_database_are_404_not_500(login, world, signed):
    _, row = signed
    client = login(world.users["operator_luwuk"])
    for url in (
        reverse("entry", args=["lapas-luwuk", 10**25, 1]),
        reverse("entry", args=["lapas-luwuk", 2024, 10**25]),
        reverse("entry_row", args=["lapas-luwuk", 2024, 1, 10**25]),
        reverse("indicator_history", args=["lapas-luwuk", 2024, 10**25]),
        reverse("results", args=["lapas-luwuk"]) + f"?tahun={10**25}",
        reverse("budget", args=["lapas-luwuk"]) + "?tahun=1e3",
        reverse("documents", args=["lapas-luwuk"]) + f"?tahun={10**25}",
        reverse("review", args=["lapas-luwuk"]) + f"?tahun={10**25}",
        reverse("unit_detail", args=["lapas-luwuk"]) + "?tahun=99999",
    ):
        assert client.get(url).status_code == 404, url
    evaluator = login(world.users["evaluator_sulteng"])
    assert evaluator.get(f"/wilayah/kanwil-sulteng/?tahun={'9' * 31}").status_code == 404
    response = evaluator.post(
        f"/wilayah/kanwil-sulteng/?tahun={10**25}&tw=1",
        {"opens": "2024-04-01", "closes": "2024-04-10"},
    )
    assert response.status_code == 404
    response = evaluator.post(
        "/wilayah/kanwil-sulteng/?tahun=2024&tw=1", {"opens": "99999-04-01", "closes": "1e9"}
    )
    assert response.status_code == 302
    assert not EntryWindow.objects.exists()


# --- a stored value nothing can compute -----------------------------------------------------------


def _poison(unit: Unit, year: int) -> None:
    """Write values straight to the database, around every form and service, as an old database or a
    hand edit holds them. SQLite keeps numbers wider than their column (1e23 as a count); PostgreSQL
    refuses those, so there the widest numbers each column holds are written."""
    values = VariableValue.objects.filter(realization__pk_indicator__agreement__unit=unit)
    values = values.filter(realization__pk_indicator__agreement__year=year)
    ids = ", ".join(map(str, list(values.values_list("id", flat=True))[:6]))
    assert ids, "the demo has counts to spoil"
    target = (
        PKIndicator.objects.filter(agreement__unit=unit, agreement__year=year, target__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)[0]
    )
    sqlite = connection.vendor == "sqlite"
    count, goal, money = (
        ("1e23", "1e21", "1e30")
        if sqlite
        else ("999999999999.9999", "9999999999.9999", "9999999999999999.99")
    )
    months = SpendingMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {VariableValue._meta.db_table} SET value = {count} WHERE id IN ({ids})"
        )
        cursor.execute(
            f"UPDATE {PKIndicator._meta.db_table} SET target = {goal} WHERE id = {target}"
        )
        cursor.execute(
            f"UPDATE {months} SET realised = {money} "
            f"WHERE id IN (SELECT id FROM {months} ORDER BY id LIMIT 3)"
        )


def test_values_written_around_the_bounds_never_break_a_facility_page(demo, client):
    year = 2023
    agreement = PerjanjianKinerja.objects.latest_for(demo, year)
    _poison(demo, year)
    client.force_login(get_user_model().objects.get(username="admin"))
    row = agreement.indicators.filter(realizations__isnull=False).first()
    pages = [
        reverse("results", args=[demo.slug]) + f"?tahun={year}",
        reverse("entry", args=[demo.slug, year, 4]),
        reverse("entry", args=[demo.slug, year, 1]),
        reverse("review", args=[demo.slug]) + f"?tahun={year}",
        reverse("indicator_history", args=[demo.slug, year, row.id]),
        reverse("budget", args=[demo.slug]) + f"?tahun={year}",
        reverse("documents", args=[demo.slug]) + f"?tahun={year}",
        reverse("unit_detail", args=[demo.slug]) + f"?tahun={year}",
        reverse("region", args=["kanwil-ntt"]) + f"?tahun={year}&tw=4",
        reverse("review_download", args=[demo.slug, year, "xlsx"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    results = client.get(pages[0]).content.decode()
    if connection.vendor == "sqlite":
        assert calc.UNUSABLE in results
    export = reports.generate("lkjip", demo, year, "docx")
    assert export.content.startswith(b"PK")


def test_calc_reads_an_unusable_value_as_a_located_problem():
    outcome = calc.evaluate("A / B * 100", {"A": Decimal("1E+23"), "B": Decimal(1)})
    assert outcome.is_na and calc.UNUSABLE in outcome.na_reason and "A" in outcome.na_reason
    outcome = calc.evaluate("A / B * 100", {"A": Decimal("NaN"), "B": Decimal(1)})
    assert outcome.is_na and calc.UNUSABLE in outcome.na_reason
    huge = calc.reported(calc.Outcome(Decimal("1E+40")))
    assert huge.is_na and huge.na_reason == calc.UNUSABLE
    result = calc.achievement(Decimal("1E+25"), Decimal("0.0001"))
    assert result.is_na and calc.UNUSABLE in result.na_reason
    figures = calc.quarter_figures({1: calc.Outcome(Decimal(5))}, {1: Decimal("NaN")})
    assert figures[0].achievement is None and figures[0].na_reason == calc.UNUSABLE


# --- point 9: a change without a user ------------------------------------------------------------


def test_history_without_a_user_is_shown_not_a_500(login, world, signed):
    agreement, row = signed
    world.luwuk.refresh_from_db()
    head = world.users["head_luwuk"]
    # The head's appointment is corrected after signing: the review finds the signatory off record.
    HeadAppointment.objects.filter(unit=world.luwuk).delete()
    review = review_run(unit=world.luwuk, year=2024)
    finding = next(f for f in review.findings if f.rule == "PEG-05")
    acceptance = finding_accept(
        unit=world.luwuk,
        year=2024,
        rule=finding.rule,
        key=finding.key,
        explanation="Kepala definitif dilantik kemudian; PK ditandatangani Plt.",
        by=head,
    )
    # A change made outside a web request: a command or the shell records no user.
    acceptance.explanation = "Diubah lewat perintah, tanpa pengguna."
    acceptance.save()
    Acceptance.history.update(history_user=None)
    measurement.realization_save(
        pk_indicator=row, quarter=1, values={"A": Decimal(3), "B": Decimal(4)}, by=None
    )
    VariableValue.history.update(history_user=None)
    Realization.objects.update(updated_by=None)
    report = measurement.quarter_report(agreement, 1)
    Transition.objects.create(report=report, from_status="draft", to_status="draft", by=None)
    DocumentJob.objects.create(
        unit=world.luwuk, year=2024, kind="pk", format="docx", created_by=None
    )
    client = login(head)
    page = client.get(reverse("review", args=["lapas-luwuk"]) + "?tahun=2024")
    assert page.status_code == 200
    assert ">sistem<" in page.content.decode()
    for url in (
        reverse("indicator_history", args=["lapas-luwuk", 2024, row.id]),
        reverse("entry", args=["lapas-luwuk", 2024, 1]),
        reverse("documents", args=["lapas-luwuk"]) + "?tahun=2024",
        reverse("review_download", args=["lapas-luwuk", 2024, "xlsx"]),
        reverse("review_download", args=["lapas-luwuk", 2024, "pdf"]),
    ):
        assert client.get(url).status_code == 200, url
    history = client.get(reverse("indicator_history", args=["lapas-luwuk", 2024, row.id]))
    assert ">sistem<" in history.content.decode()


# --- the admin and the commands -----------------------------------------------------------------


def test_the_admin_refuses_numbers_out_of_bounds_and_exponent_notation(client, world, signed):
    from kinerja.indicators.models import Indicator
    from kinerja.measurement.models import PrintedResult

    root = get_user_model().objects.create_superuser("root", "root@example.org", "rahasia-uji-1")
    client.force_login(root)
    indicator = Indicator.objects.get(code="IKK-2.3")
    url = reverse("admin:measurement_printedresult_add")
    base = {"unit": world.luwuk.id, "year": 2023, "indicator": indicator.id, "source": "LKjIP"}
    for field, typed in [
        ("target", "1e3"),
        ("target", "10000001"),
        ("realisation", "-1"),
        ("achievement", "100001"),
        ("achievement", "١٢"),
        ("target", "1_000"),
    ]:
        response = client.post(url, {**base, field: typed})
        assert response.status_code == 200, (field, typed)
        assert "errornote" in response.content.decode(), (field, typed)
    assert not PrintedResult.objects.exists()
    response = client.post(url, {**base, "target": "85", "realisation": "93.58"})
    assert response.status_code == 302 and PrintedResult.objects.count() == 1
    # A count is whole in the admin too.
    _, row = signed
    realization = measurement.realization_save(
        pk_indicator=row, quarter=1, values={"A": Decimal(3), "B": Decimal(4)}
    )
    value = realization.values.get(symbol="A")
    response = client.post(
        reverse("admin:measurement_variablevalue_change", args=[value.id]),
        {"realization": realization.id, "symbol": "A", "value": "3.5"},
    )
    assert response.status_code == 200 and "bilangan bulat" in response.content.decode()
    value.refresh_from_db()
    assert value.value == 3


@pytest.mark.parametrize("year", ["99999999999999999999", "1e3", "-1"])
def test_commands_refuse_an_implausible_year_with_a_usage_error(world, year):
    from django.core.management.base import CommandError

    for command in ("results", "reviu", "budget"):
        with pytest.raises(CommandError, match="tahun harus 2000-2100"):
            call_command(command, "--unit", "lapas-luwuk", "--year", year)


# --- the Rencana Aksi importer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "message", "row", "column"),
    [
        ("F9", 1e23, "terlalu panjang", 9, "F"),  # a float cell, as Excel keeps big numbers
        ("F9", "1e9", "notasi eksponen", 9, "F"),
        ("F9", "1.000.000.000.000.001", "Pagu harus antara 0 dan 1.000.000.000.000.000", 9, "F"),
        ("F9", "NaN", "bukan angka", 9, "F"),
        ("C13", "1" * 21, "tidak dapat dibaca", 13, "C"),
        ("C13", "2000%", "Target indikator 3 harus antara 0 dan 1.000", 13, "C"),
    ],
)
def test_the_importer_refuses_numbers_out_of_bounds_with_their_place(
    world, cell, value, message, row, column
):
    import openpyxl

    from kinerja.imports.services import ImportRejected, renaksi_import
    from tests.test_imports import XLSX

    workbook = openpyxl.load_workbook(XLSX)
    workbook.active[cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as exc:
        renaksi_import(unit=world.luwuk, year=2024, data=buffer.getvalue(), filename="besar.xlsx")
    errors = exc.value.checked.plan.errors
    hit = next((e for e in errors if message in e.message), None)
    assert hit is not None, [e.message for e in errors]
    assert (hit.row, hit.column) == (row, column)
    assert not PerjanjianKinerja.objects.exists()


@pytest.mark.django_db
def test_postgresql_refuses_nan_in_every_decimal_column(world):
    """PostgreSQL's numeric holds 'NaN', which would make every comparison of a figure fail; a
    CHECK on every decimal column of Kinerja's tables refuses it, whatever writes it."""
    if connection.vendor != "postgresql":
        # SQLite stores no NaN in a numeric column: 'NaN' written there is text, not a number.
        assert connection.vendor == "sqlite"
        return
    from django.apps import apps
    from django.db import models as dj_models

    columns = {
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        if model.__module__.startswith("kinerja.")
        for field in model._meta.local_fields
        if isinstance(field, dj_models.DecimalField)
    }
    assert len(columns) > 40
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'c' AND pg_get_constraintdef(oid) LIKE '%NaN%'"
        )
        checked = {(table.strip('"'), definition) for table, definition in cursor.fetchall()}
    missing = [
        f"{table}.{column}"
        for table, column in sorted(columns)
        if not any(t == table and column in d for t, d in checked)
    ]
    assert missing == [], "decimal columns without the NaN check (add a migration like core 0001)"
    agreement = world.draft_pk()
    row = agreement.indicators.filter(target__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PKIndicator._meta.db_table} SET target = 'NaN' WHERE id = %s", [row.id]
        )
    row.refresh_from_db()
    assert row.target is not None and row.target.is_finite()
