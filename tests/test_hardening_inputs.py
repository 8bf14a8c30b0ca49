"""Issue 13: hostile input, property-based. Random and hostile values (huge, negative, exponent
notation, decimals in counts, text, empty, very long strings, unicode, a leading '=') are posted to
every form and POST endpoint of a facility as every role. Whatever is sent: never a 500; a refused
input leaves the database as it was; what must be refused (a number no office writes, a change by
someone without the right) is refused.

Each example runs inside a savepoint that is rolled back, so every example starts from the same
facility. The number of examples per endpoint is small (EXAMPLES) to keep the file fast.
"""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.budget import models as budget_models
from kinerja.budget import services as budget
from kinerja.documents import models as document_models
from kinerja.imports.models import ImportRecord
from kinerja.measurement import models as measurement_models
from kinerja.measurement import services as measurement
from kinerja.planning import models as planning_models
from kinerja.planning import services as planning
from kinerja.review.models import Acceptance, ReviewRun

EXAMPLES = 30
ROLES = ["operator_luwuk", "head_luwuk", "evaluator_sulteng", "viewer_national", "outsider"]
# Who may change the facility's data (operator and head); the region may set entry windows and
# write monitoring notes; the head alone accepts review findings.
CHANGERS = {"operator_luwuk", "head_luwuk"}

SNAPSHOT_MODELS = [
    planning_models.PerjanjianKinerja,
    planning_models.PKGoal,
    planning_models.PKIndicator,
    planning_models.PKBudgetItem,
    planning_models.RAActivity,
    planning_models.RAActivityQuarter,
    planning_models.RAQuarter,
    measurement_models.QuarterReport,
    measurement_models.Transition,
    measurement_models.Realization,
    measurement_models.VariableValue,
    measurement_models.EntryWindow,
    measurement_models.MonitoringNote,
    budget_models.DipaLine,
    budget_models.SpendingMonth,
    budget_models.PaguRevision,
    budget_models.BudgetScore,
    document_models.ReportSection,
    Acceptance,
    ImportRecord,
]


def snapshot() -> dict:
    """Every row of the tables a facility's forms write, as plain values."""
    return {
        model.__name__: sorted(model.objects.order_by("pk").values_list(), key=repr)
        for model in SNAPSHOT_MODELS
    }


# --- what is sent --------------------------------------------------------------------------------

SAFE_TEXT = st.characters(blacklist_categories=("Cs",))  # a lone surrogate cannot even be sent

# Numbers no office writes: each must be refused wherever a number is asked for.
BAD_NUMBERS = st.one_of(
    st.integers(min_value=10**20, max_value=10**40).map(str),
    st.integers(min_value=1, max_value=10**12).map(lambda n: f"-{n}"),
    st.builds(
        lambda a, e, sign: f"{a}{sign}{e}",
        st.integers(0, 999),
        st.integers(-30, 30),
        st.sampled_from(["e", "E"]),
    ),
    st.sampled_from(
        [
            "NaN",
            "nan",
            "sNaN",
            "Infinity",
            "-Infinity",
            "inf",
            "=1+1",
            '=HYPERLINK("http://contoh.test","klik")',
            "=SUM(A1:A9)",
            "١٢",  # Arabic-Indic digits
            "１２",  # full-width digits
            "0x10",
            "1_000",
            "12abc",
            "--5",
            "1..2",
            "9" * 5000,
            "1" * 21,
        ]
    ),
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=30),
)
# Anything at all: plausible numbers, empty, long, unicode, markup.
ANY_TEXT = st.one_of(
    st.just(""),
    st.integers(0, 10**7).map(str),
    st.decimals(min_value=0, max_value=1000, places=2).map(lambda d: str(d).replace(".", ",")),
    st.text(alphabet=SAFE_TEXT, max_size=120),
    st.sampled_from(
        [
            "x" * 20000,
            "\x00",
            "A\x00B",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "=cmd|' /C calc'!A0",
            "  73  ",
            "7.363.920.000",
            "Rp 1.500.000",
        ]
    ),
)
# (text, must be refused) for a numeric field.
NUMBER = st.one_of(BAD_NUMBERS.map(lambda t: (t, True)), ANY_TEXT.map(lambda t: (t, False)))
# Decimals in a count: refused where the field is a count.
DECIMAL_COUNT = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2).filter(
    lambda d: d != d.to_integral_value()
)
COUNT = st.one_of(NUMBER, DECIMAL_COUNT.map(lambda d: (str(d).replace(".", ","), True)))
ROLE = st.sampled_from(ROLES)


# --- the facility ----------------------------------------------------------------------------------


@pytest.fixture
def facility(world):
    """Luwuk: a signed PK 2024 (entry page), a draft PK 2025 (PK and Rencana Aksi forms), a DIPA leaf
    2024 (budget pages), and a client logged in per role."""
    signed = world.draft_pk(2024)
    planning.pk_sign(agreement=signed, by=None)
    draft = world.draft_pk(2025)
    leaf = budget.line_add(
        unit=world.luwuk,
        year=2024,
        level="component",
        code="051",
        name="Operasional perkantoran",
        pagu=Decimal(50_000_000),
        spending_type="52",
    )
    for quarter in (1, 2, 3, 4):
        # Every page of a quarter creates its (draft) report row on first view; made here so that
        # a refused POST is not mistaken for a change. (GET writes are point 10 of the issue.)
        measurement.quarter_report(signed, quarter)
    clients = {}
    for role in ROLES:
        client = Client()
        client.force_login(world.outsider if role == "outsider" else world.users[role])
        clients[role] = client
    return {
        "world": world,
        "signed": signed,
        "row": signed.indicators.get(indicator__code="IKK-2.3"),
        "draft": draft,
        "draft_rows": list(draft.indicators.select_related("indicator").order_by("id")),
        "leaf": leaf,
        "clients": clients,
    }


def outcome(response) -> str:
    """'accepted' when the view says it saved, 'refused' otherwise."""
    assert response.status_code < 500, response.status_code
    if response.status_code == 302:
        # Only the messages of this request: the cookie may still carry unread ones of earlier tries.
        levels = {m.level for m in response.wsgi_request._messages._queued_messages}
        return "refused" if constants.ERROR in levels else "accepted"
    return "refused"


def fuzz(strategy, send):
    """Run `send(example)` for EXAMPLES examples, each in a rolled-back savepoint; `send` returns
    (response, must_refuse, judged) where judged is 'accepted' or 'refused'."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(example):
        with transaction.atomic():
            before = snapshot()
            response, must_refuse, judged = send(example)
            assert response.status_code < 500
            if must_refuse:
                assert judged == "refused", (example, response.status_code)
            if judged == "refused":
                assert snapshot() == before, example
            transaction.set_rollback(True)

    run()


# --- every endpoint ----------------------------------------------------------------------------------


def test_entry_row_save(facility):
    row = facility["row"]
    url = reverse("entry_row", args=["lapas-luwuk", 2024, 1, row.id])

    def send(example):
        role, (a, bad_a), (b, bad_b), narrative = example
        response = facility["clients"][role].post(
            url, {"v_A": a, "v_B": b, "narrative": narrative}, HTTP_HX_REQUEST="true"
        )
        if response.status_code == 200:
            judged = "accepted" if "Tersimpan." in response.content.decode() else "refused"
        else:
            judged = outcome(response)
        return response, bad_a or bad_b or role not in CHANGERS, judged

    fuzz(st.tuples(ROLE, COUNT, COUNT, ANY_TEXT), send)


def test_pk_edit(facility):
    world, rows = facility["world"], facility["draft_rows"]
    url = reverse("pk_edit", args=["lapas-luwuk", 2025])
    header = {
        "pk-place": "Luwuk",
        "pk-signed_on": "2025-01-16",
        "pk-first_party": world.head_person.id,
        "pk-first_party_title": "Kepala Lapas",
        "pk-second_party": world.kakanwil.id,
        "pk-second_party_title": "Kepala Kantor Wilayah",
    }

    def send(example):
        role, index, (target, bad_target), (amount, bad_amount), place = example
        row = rows[index % len(rows)]
        data = {
            **header,
            "pk-place": place,
            f"t-target_{row.id}": target,
            "budget-TOTAL_FORMS": "1",
            "budget-INITIAL_FORMS": "0",
            "budget-0-kind": "program",
            "budget-0-name": "Program Pemasyarakatan",
            "budget-0-amount": amount,
        }
        response = facility["clients"][role].post(url, data)
        return response, bad_target or bad_amount or role not in CHANGERS, outcome(response)

    fuzz(st.tuples(ROLE, st.integers(0, 40), NUMBER, NUMBER, ANY_TEXT), send)


def test_rencana_aksi_edit(facility):
    row = next(r for r in facility["draft_rows"] if r.indicator.code == "IKK-2.3")
    url = reverse("ra_edit", args=["lapas-luwuk", 2025, row.id])

    def send(example):
        role, (pagu, bad_pagu), (rpd, bad_rpd), (target, bad_target), name = example
        data = {
            "new_activity": name or "Layanan integrasi",
            "pagu": pagu,
            "rpd_1": rpd,
            "target_1": target,
            "activity_1": name,
            "evidence_1": name,
        }
        response = facility["clients"][role].post(url, data)
        return (
            response,
            bad_pagu or bad_rpd or bad_target or role not in CHANGERS,
            outcome(response),
        )

    fuzz(st.tuples(ROLE, NUMBER, NUMBER, NUMBER, ANY_TEXT), send)


def test_budget_month_entry(facility):
    leaf = facility["leaf"]

    def send(example):
        role, month, (planned, bad_planned), (realised, bad_realised), reason = example
        response = facility["clients"][role].post(
            f"/unit/lapas-luwuk/anggaran/2024/bulan/{month}/",
            {
                f"planned_{leaf.id}": planned,
                f"realised_{leaf.id}": realised,
                f"exception_{leaf.id}": reason,
            },
        )
        must = bad_planned or bad_realised or role not in CHANGERS or not 1 <= month <= 12
        return response, must, outcome(response)

    fuzz(st.tuples(ROLE, st.integers(-3, 15), NUMBER, NUMBER, ANY_TEXT), send)


def test_pagu_revision(facility):
    leaf = facility["leaf"]
    url = reverse("pagu_revision", args=["lapas-luwuk", 2024])

    def send(example):
        role, (pagu, bad_pagu), date, reason, line = example
        response = facility["clients"][role].post(
            url, {"line": line or leaf.id, "pagu": pagu, "date": date, "reason": reason}
        )
        return response, bad_pagu or role not in CHANGERS, outcome(response)

    dates = st.one_of(
        st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31)).map(str),
        ANY_TEXT,
    )
    line = st.one_of(st.just(""), ANY_TEXT)
    fuzz(st.tuples(ROLE, NUMBER, dates, ANY_TEXT, line), send)


def test_budget_scores(facility):
    url = reverse("budget_scores", args=["lapas-luwuk", 2024])

    def send(example):
        role, (smart, bad_smart), (ikpa, bad_ikpa), (part, bad_part), name = example
        response = facility["clients"][role].post(
            url,
            {"smart": smart, "ikpa": ikpa, "ikpa_components": f"{name or 'Penyerapan'} = {part}"},
        )
        must = bad_smart or bad_ikpa or role not in CHANGERS
        return response, must, outcome(response)

    component_name = st.text(alphabet=SAFE_TEXT.filter(lambda c: c not in "=\r\n"), max_size=60)
    fuzz(st.tuples(ROLE, NUMBER, NUMBER, NUMBER, component_name), send)


def test_entry_window_on_the_region_page(facility):
    def send(example):
        role, year, quarter, opens, closes = example
        response = facility["clients"][role].post(
            f"/wilayah/kanwil-sulteng/?tahun={year}&tw={quarter}",
            {"opens": opens, "closes": closes},
        )
        must = role != "evaluator_sulteng"
        return response, must, outcome(response)

    dates = st.one_of(st.dates().map(str), ANY_TEXT)
    years = st.one_of(st.just("2024"), ANY_TEXT.filter(lambda t: "\x00" not in t))
    quarters = st.one_of(st.sampled_from(["1", "4", "0", "5", "-1", "1e1"]), st.just("x" * 100))
    fuzz(st.tuples(ROLE, years, quarters, dates, dates), send)


def test_monitoring_note(facility):
    row = facility["row"]
    url = reverse("monitoring_note", args=["lapas-luwuk", 2024, 1, row.id])

    def send(example):
        role, text = example
        response = facility["clients"][role].post(url, {"text": text})
        judged = outcome(response)
        if response.status_code == 302 and judged == "accepted":
            judged = (
                "accepted"
                if measurement_models.MonitoringNote.objects.filter(pk_indicator=row).exists()
                else "refused"
            )
        return response, role != "evaluator_sulteng", judged

    fuzz(st.tuples(ROLE, ANY_TEXT), send)


def test_narratives(facility):
    url = reverse("narratives", args=["lapas-luwuk", 2024])

    def send(example):
        role, key, text = example
        response = facility["clients"][role].post(url, {f"s-{key}": text})
        return response, role not in CHANGERS, outcome(response)

    keys = st.sampled_from(["ikhtisar", "bab1", "bab4", "kata_pengantar", "tidak-ada"])
    fuzz(st.tuples(ROLE, keys, ANY_TEXT), send)


def test_review_acceptance(facility):
    world = facility["world"]
    from kinerja.review.services import review_run

    review_run(unit=world.luwuk, year=2024)
    keys = [(f.rule, f.key) for f in review_run(unit=world.luwuk, year=2024).findings]
    runs_before = list(ReviewRun.objects.values_list("errors", "warnings", "accepted"))

    def send(example):
        role, pick, rule, key, explanation = example
        if pick is not None:
            rule, key = keys[pick % len(keys)]
        response = facility["clients"][role].post(
            reverse("finding_accept", args=["lapas-luwuk", 2024]),
            {"aturan": rule, "kunci": key, "penjelasan": explanation},
        )
        return response, role != "head_luwuk", outcome(response)

    fuzz(
        st.tuples(ROLE, st.one_of(st.none(), st.integers(0, 50)), ANY_TEXT, ANY_TEXT, ANY_TEXT),
        send,
    )
    assert list(ReviewRun.objects.values_list("errors", "warnings", "accepted")) == runs_before


def test_quarter_action(facility):
    url = reverse("quarter_action", args=["lapas-luwuk", 2024, 1])

    def send(example):
        role, action, reason = example
        response = facility["clients"][role].post(url, {"action": action, "reason": reason})
        return response, role not in CHANGERS | {"evaluator_sulteng"}, outcome(response)

    actions = st.one_of(
        st.sampled_from(["submit", "approve", "verify", "lock", "return", "reopen"]), ANY_TEXT
    )
    fuzz(st.tuples(ROLE, actions, ANY_TEXT), send)


def test_rencana_aksi_import_upload(facility):
    url = reverse("renaksi_upload", args=["lapas-luwuk"])

    def send(example):
        role, year, content, name = example
        upload = SimpleUploadedFile((name or "rencana")[:80] + ".csv", content.encode())
        response = facility["clients"][role].post(url, {"year": year, "file": upload})
        must = role not in CHANGERS
        return response, must, outcome(response)

    rows = st.lists(
        st.lists(st.one_of(ANY_TEXT, BAD_NUMBERS), min_size=1, max_size=8).map(";".join),
        max_size=6,
    ).map("\n".join)
    header = "No;Sasaran Kegiatan;Indikator Kinerja;Target;Rumus;Kegiatan;Pagu;RPD;Realisasi;TW"
    content = st.one_of(rows, rows.map(lambda r: f"{header}\n{r}"))
    years = st.one_of(st.just("2025"), ANY_TEXT)
    names = st.text(alphabet=string.ascii_letters + string.digits + "-_ ", max_size=40)
    fuzz(st.tuples(ROLE, years, content, names), send)


def test_pk_create(facility):
    world = facility["world"]

    def send(example):
        role, (year, bad_year), date, place = example
        response = facility["clients"][role].post(
            reverse("pk_create", args=["lapas-luwuk"]),
            {
                "year": year,
                "place": place,
                "signed_on": date,
                "first_party": world.head_person.id,
                "first_party_title": "Kepala Lapas",
                "second_party": world.kakanwil.id,
                "second_party_title": "Kepala Kantor Wilayah",
            },
        )
        return response, bad_year or role not in CHANGERS, outcome(response)

    dates = st.one_of(st.dates().map(str), ANY_TEXT)
    fuzz(st.tuples(ROLE, NUMBER, dates, ANY_TEXT), send)


def test_pk_revise(facility):
    url = reverse("pk_revise", args=["lapas-luwuk", 2024])

    def send(example):
        role, reason = example
        response = facility["clients"][role].post(url, {"reason": reason})
        return response, role not in CHANGERS, outcome(response)

    fuzz(st.tuples(ROLE, ANY_TEXT), send)
