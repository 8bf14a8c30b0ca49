"""Each rule lives once (kinerja.calc or the selector that owns it): for every rule that used to be
written in two or more places, the places give the same verdict on the same case."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kinerja import calc
from kinerja.budget import selectors as budget_selectors
from kinerja.budget import services as budget
from kinerja.budget.models import DipaLine, IkpaRule
from kinerja.documents import drafts, lkjip_data
from kinerja.documents.lkjip import bab1
from kinerja.documents.lkjip import data as lkjip_report
from kinerja.imports import renaksi
from kinerja.imports.services import renaksi_check
from kinerja.organizations.models import Unit
from kinerja.review import rules
from kinerja.review.facts import (
    ActivityFacts,
    Context,
    IndicatorFacts,
    LineFacts,
    Printed,
    StaffFacts,
)


def _ctx(**kwargs) -> Context:
    return Context(
        unit="Lapas", slug="lapas-luwuk", year=2024, today=dt.date(2025, 1, 10), **kwargs
    )


def _findings(rule_id: str, ctx: Context) -> list[rules.Finding]:
    return rules.by_id(rule_id).run(ctx)


# --- overspend: pagu − blokir -------------------------------------------------------------------


@pytest.mark.parametrize("realised", [D(79), D(80), D(81)])
def test_spending_beyond_pagu_minus_blokir_is_refused_and_reported_alike(world, realised):
    line = budget.line_add(
        unit=world.luwuk,
        year=2024,
        level="component",
        name="Belanja bahan",
        code="521211",
        pagu=D(100),
        spending_type="52",
        blocked=D(20),
        blocked_reason="self blocking",
    )
    try:
        budget.spending_save([budget.MonthFigures(line=line, month=1, realised=realised)])
        refused = False
    except ValidationError:
        refused = True
    line = DipaLine.objects.get(pk=line.pk)
    figures = budget_selectors.Figures(pagu=D(100), blocked=D(20), realised=realised)
    assert line.available == figures.available == calc.available(D(100), D(20)) == D(80)
    review = _findings(
        "ANG-02",
        _ctx(lines=[LineFacts(1, "521211", "Belanja bahan", D(100), D(20), D(0), realised)]),
    )
    assert refused == bool(review) == (realised > D(80))


def test_a_pagu_revision_below_the_spending_is_refused_by_the_same_rule(world):
    line = budget.line_add(
        unit=world.luwuk,
        year=2024,
        level="component",
        name="Belanja bahan",
        code="521211",
        pagu=D(100),
        spending_type="52",
        blocked=D(20),
        blocked_reason="self blocking",
    )
    budget.spending_save([budget.MonthFigures(line=line, month=1, realised=D(70))])
    line = DipaLine.objects.get(pk=line.pk)
    assert calc.overspent(D(70), D(89), D(20))
    with pytest.raises(ValidationError):
        budget.pagu_revise(line=line, new_pagu=D(89), revised_on=dt.date(2024, 3, 1), reason="x")
    budget.pagu_revise(line=line, new_pagu=D(90), revised_on=dt.date(2024, 3, 1), reason="x")


# --- RPD ≠ pagu, and "the same activity": the importer and the review -------------------------

HEADER = [
    "Sasaran Kegiatan",
    "Indikator Kinerja",
    "Target Kinerja",
    "Rumus Perhitungan",
    "Kegiatan",
    "Pagu",
    "Rencana Penarikan Dana",
    "Realisasi Anggaran",
    "Rencana Kegiatan",
    None,
    "Capaian",
    None,
    "Data Dukung",
    "Status Pelaksanaan",
    "Keterangan",
]
GOAL = (
    "1. Meningkatnya pelayanan perawatan narapidana/tahanan/anak, pengendalian penyakit menular "
    "dan peningkatan kualitas hidup narapidana peserta rehabilitasi narkotika di wilayah"
)
INDICATORS = [
    "1. Persentase pemenuhan layanan makanan bagi tahanan / narapidana / anak sesuai standar",
    "2. Persentase tahanan/narapidana/anak mendapatkan layanan kesehatan preventif secara "
    "berkualitas",
]


def _plan(activities: list[tuple[str, int, list[int]]]):
    """A Rencana Aksi with one IKK per activity (name, pagu, RPD TW I-IV), as the importer reads it."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["RENCANA AKSI PERJANJIAN KINERJA RUTAN KELAS IIB POSO TAHUN 2025"])
    ws.append([])
    ws.append(HEADER)
    for indicator, (activity, pagu, rpd) in zip(INDICATORS, activities, strict=False):
        for q, label in enumerate(["TW I", "TW II", "TW III", "TW IV"]):
            ws.append(
                [GOAL, indicator, "90 %", "A/B x 100%", activity, pagu, rpd[q], "-", label]
                + ["Rencana", label, "", "Laporan", "", ""]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return renaksi_check(data=buffer.getvalue(), filename="poso.xlsx", year=2025).plan


@pytest.mark.parametrize(
    "rpd", [[10, 10, 10, 10], [10, 10, 10, 9], [10, 10, 10, 11], [0, 0, 40, 0]]
)
def test_the_importer_warns_and_the_review_errs_on_the_same_rpd_difference(world, rpd):
    plan = _plan([("Perawatan kesehatan", 40, rpd)])
    warned = any("RPD kegiatan" in w.message and "pagu" in w.message for w in plan.warnings)
    activity = plan.activities[0]
    review = _findings(
        "ANG-01",
        _ctx(activities=[ActivityFacts(1, activity.name, activity.pagu, dict(activity.rpd))]),
    )
    assert warned == bool(review) == (sum(rpd) != 40)
    assert rules.by_id("ANG-01").severity == rules.ERROR  # the review: an error until corrected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("Layanan Integrasi dan TPP", 10_600_000),
            ("Kegiatan Layanan Integrasi dan TPP", 10_600_000),
        ),
        (("Layanan Integrasi dan TPP", 10_600_000), ("Layanan Remisi", 10_600_000)),
        (("Pengamanan Lapas", 50_000_000), ("Pengamanan Lapas.", 50_000_000)),
        (("Pengamanan Lapas", 50_000_000), ("Pengamanan Rutan", 50_000_000)),
        (
            ("Perawatan kesehatan narapidana", 40_000_000),
            ("Perawatan kesehatan narapidan", 40_000_000),
        ),
        (
            ("Perawatan kesehatan narapidana", 40_000_000),
            ("Perawatan kesehatan narapidan", 30_000_000),
        ),
    ],
)
def test_the_importer_and_the_review_agree_on_what_is_one_activity(world, first, second):
    rpd = lambda pagu: [pagu // 4] * 4  # noqa: E731
    plan = _plan([(first[0], first[1], rpd(first[1])), (second[0], second[1], rpd(second[1]))])
    merged = len(plan.activities) == 1
    review = _findings(
        "ANG-03",
        _ctx(
            activities=[
                ActivityFacts(1, first[0], D(first[1])),
                ActivityFacts(2, second[0], D(second[1])),
            ]
        ),
    )
    assert (
        merged == bool(review) == calc.same_activity(first[0], D(first[1]), second[0], D(second[1]))
    )


# --- the quarter label --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "quarter"),
    [("TW I", 1), ("TW IV", 4), ("Triwulan 3", 3), ("TRW. II", 2), ("tw-iii", 3), ("TW V", None)],
)
def test_the_importer_and_the_review_read_a_quarter_label_alike(label, quarter):
    assert renaksi.quarter_of(label) == quarter
    # The review reads the same label inside a text on another quarter's row.
    other = 1 if quarter != 1 else 2
    ind = IndicatorFacts(1, "IKK-1.1", "x", D(85), quarter_texts={other: f"Capaian {label}"})
    flagged = bool(_findings("REN-03", _ctx(indicators=[ind])))
    assert flagged == (quarter is not None)
    assert calc.quarters_named(f"s.d. {label}") == ({quarter} if quarter else set())


# --- target reached: the LKjIP groups, the drafts and the review ----------------------------------


@pytest.mark.parametrize("capped", [D("99.99"), D(100), D("100.01"), None])
def test_target_reached_is_one_verdict_in_the_lkjip_the_drafts_and_the_review(capped):
    achievement = (
        calc.Achievement(None, None, None, "target bernilai nol")
        if capped is None
        else calc.Achievement(capped, capped)
    )
    result = SimpleNamespace(
        recorded=True,
        realisation=calc.Outcome(D(5)),
        achievement=achievement,
        row=SimpleNamespace(
            name="Kendaraan", indicator=SimpleNamespace(name="Kendaraan", code="IKK-4.6")
        ),
    )
    data = SimpleNamespace(results=[result], year=2023)
    groups = lkjip_data.LkjipData.groups(data)
    grouped = next(k for k, v in groups.items() if v)
    text = drafts.analisis(data, result)
    reached = calc.target_reached(achievement)
    assert grouped == calc.verdict(achievement).value
    assert (grouped in ("lebih", "tepat")) == reached
    assert ("belum mencapai" in text) == (capped is not None and not reached)
    if capped is not None:
        # The review: a printed 100% where the counts give this achievement is an overclaim
        # exactly when the target is not reached.
        realised = capped * D(6) / D(100)
        ind = IndicatorFacts(
            1,
            "IKK-4.6",
            "Kendaraan",
            D(6),
            target_unit="Unit",
            formula="A",
            variables={"A": "kendaraan"},
            printed=Printed(target=D(6), realisation=realised, achievement=D(100), id=1),
        )
        assert bool(_findings("CAP-02", _ctx(indicators=[ind]))) == (not reached)


# --- staff totals: the LKjIP note and the review -------------------------------------------------


@pytest.mark.parametrize(
    ("stated", "men", "women", "ranks"),
    [
        (58, 49, 9, [40, 18]),
        (55, 49, 9, [40, 18]),
        (58, 40, 9, [40, 18]),
        (None, 49, 9, [40, 18]),
        (58, None, None, [40, 18]),
        (58, 49, 9, []),
    ],
)
def test_the_lkjip_and_the_review_flag_the_same_staff_totals(stated, men, women, ranks):
    report = SimpleNamespace(
        stated_total=stated,
        men=men,
        women=women,
        as_of=dt.date(2023, 12, 31),
        ranks=SimpleNamespace(
            all=lambda: [SimpleNamespace(rank=f"III/{i}", count=c) for i, c in enumerate(ranks)]
        ),
    )
    layout = SimpleNamespace(
        report=SimpleNamespace(staff=lkjip_report._staff(report)), caption=lambda text: text
    )
    text = " ".join(
        getattr(block, "text", "") or getattr(block, "note", "") or ""
        for block in bab1.staff(layout)
    )
    noted = "Jumlah pegawai tidak sama" in text
    review = _findings(
        "PEG-01",
        _ctx(
            staff=StaffFacts(
                1, dt.date(2023, 12, 31), stated, men, women, sum(ranks) if ranks else None
            )
        ),
    )
    assert noted == bool(review) == (not calc.staff_totals(stated, men, women, ranks).consistent)


# --- the demo: last year's absorption, the year-on-year change, the weights of the sentence ------


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())
    return Unit.objects.get(slug="lapas-atambua")


def test_the_drafts_take_absorption_change_and_weights_from_the_budget_data(demo):
    # 2022 as reported, with its pagu (the demo prints only the realisation for that year).
    budget.year_spending_set(
        unit=demo,
        year=2022,
        figures={
            "51": (D(4_000_000_000), D(3_950_000_000)),
            "52": (D(2_000_000_000), D(1_900_000_000)),
        },
        source="LKjIP 2022",
    )
    data = lkjip_data.gather(demo, 2023)
    last = next(r for r in data.years_by_type if r["year"] == 2022)
    pagu = sum((p or D(0) for p, _ in last["types"].values()), D(0))
    previous = calc.absorption(last["realised"], pagu)
    change = calc.year_change(data.overview.total.absorption, previous)
    sentence = drafts._budget_sentence(data)
    assert f"Dibandingkan tahun 2022 ({drafts._pct(previous)}), penyerapan" in sentence
    assert previous is not None and change is not None
    assert f"penyerapan {change.trend.value}" in sentence
    assert drafts.format_number(abs(change.delta), 2) in sentence
    assert "60% nilai SMART DJA + 40% nilai IKPA" in drafts.ikhtisar(data)
    # The weights are data: another rule set changes the sentence, not the code.
    IkpaRule.objects.filter(kind="weight", component="smart").update(value=D(70))
    IkpaRule.objects.filter(kind="weight", component="ikpa").update(value=D(30))
    text = drafts.ikhtisar(lkjip_data.gather(demo, 2023))
    assert "70% nilai SMART DJA + 30% nilai IKPA" in text and "60%" not in text
