"""The LKjIP of a facility and year as data: every query and every figure the report shows, gathered
once by `gather()` into frozen dataclasses. The chapter modules beside this one only lay it out.

Figures come computed from the owners: results from `measurement.selectors.year_results` (through
`lkjip_data.gather`, which the narratives page shares), money from `budget.selectors`, the Renstra
comparison and quarter figures from `calc`. The PK and the Laporan Capaian PK, included in BAB II
and the appendices, are laid out by their own builders (`pk_doc`, `capaian_doc`), which read the
database, so they are built here and carried as blocks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from kinerja import calc
from kinerja.budget.models import LineLevel
from kinerja.core.render import doc
from kinerja.documents import capaian_doc, comparison, drafts, lkjip_data, pk_doc
from kinerja.documents.common import authority_chain, letterhead
from kinerja.documents.comparison import AreaFigure
from kinerja.organizations.models import Unit, UnitKind
from kinerja.organizations.selectors import head_on, logo_in

REALISATION = calc.StepKind.REALISATION  # the kind of step that gives the realisation

SPENDING_TYPES = ("51", "52", "53")


# --- small parts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person as a signature block prints them (`common.signer_lines` reads name and nip)."""

    name: str
    nip: str


@dataclass(frozen=True)
class Signatory:
    """Place, date and the head of record on that date."""

    place: str
    date: dt.date | None
    head: Person | None


@dataclass(frozen=True)
class Target:
    """A PK target with its unit (`common.target_text` reads target and target_unit)."""

    target: Decimal | None
    target_unit: str


@dataclass(frozen=True)
class Money:
    pagu: Decimal
    realised: Decimal
    remaining: Decimal
    absorption: Decimal | None


# --- chapters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Cover and BAB I.B: the facility and its line of authority."""

    name: str
    address: str
    letterhead: tuple[str, ...]  # upper case, top down
    chain: tuple[str, ...]  # names, top down
    facility_type: str  # display text, '' if none
    facility_class: str
    capacity: int | None
    logo: bytes | None = (
        None  # the ministry's logo for the year (PNG), printed above the letterhead
    )


@dataclass(frozen=True)
class Staff:
    as_of: dt.date
    ranks: tuple[tuple[str, int], ...]
    total: int  # the breakdown's total
    men: int | None
    women: int | None
    by_sex: int | None  # men + women where both are recorded
    stated_total: int | None
    totals: calc.StaffTotals  # the one comparison of the stated, by-rank and by-sex totals


@dataclass(frozen=True)
class StrategicPlan:
    start_year: int
    end_year: int
    vision: str
    mission: str
    goals: str


@dataclass(frozen=True)
class Agreement:
    """BAB II.B and the appendices: the PK in force."""

    year: int
    place: str
    signed_on: dt.date | None
    first_party: str  # name, '-' if none
    second_party: str
    indicator_tables: tuple[doc.Table, ...]  # as pk_doc lays them out, without captions
    budget_table: doc.Table
    blocks: tuple  # the PK as signed (Lampiran 2)
    capaian_quarter: int  # the last quarter with realisations (4 if none)
    capaian_title: tuple
    capaian_table: doc.Table  # Laporan Capaian PK up to that quarter (Lampiran 3)


@dataclass(frozen=True)
class Goal:
    key: int
    number: int
    name: str


@dataclass(frozen=True)
class Variable:
    symbol: str
    description: str
    value: Decimal | None


@dataclass(frozen=True)
class YearCell:
    """One IKK in one year: from counts ('hitung'), as printed ('cetak'), or nothing ('')."""

    year: int
    source: str
    target: Target | None  # counts: the target of that year's PK; printed: the printed target
    realisation: Decimal | None
    realisation_na: bool  # counts gave N/A
    achievement: Decimal | None  # capped; printed as printed
    achievement_na: bool
    achievement_raw: Decimal | None
    cap_applied: bool
    printed_text: str  # 'Nihil' and the like

    @property
    def comparable(self) -> Decimal | None:
        """The achievement the year-on-year comparison uses."""
        if self.source == "hitung":
            return None if self.achievement_na else self.achievement
        if self.source == "cetak":
            return self.achievement
        return None


@dataclass(frozen=True)
class Funding:
    lines: tuple[tuple[str, str], ...]  # (full code, name)
    pagu: Decimal
    realised: Decimal
    absorption: Decimal | None


@dataclass(frozen=True)
class Ikk:
    """One IKK of the PK with its results (BAB III.A)."""

    code: str
    name: str
    number: int
    goal: Goal
    target: Decimal | None
    target_unit: str
    national_priority: bool
    formula: str
    variables: tuple[Variable, ...]
    recorded: bool
    quarter: int | None
    realisation: calc.Outcome | None
    achievement: calc.Achievement | None
    steps: tuple[calc.Step, ...]  # the computation (realisation, achievement) as data
    years: Mapping[int, YearCell]  # the report's year and the two before
    change: calc.Change | None  # achievement this year − last year, points (both known)
    renstra: Mapping[int, Decimal]  # medium-term targets by year
    renstra_year_target: Decimal | None
    renstra_achievement: calc.Achievement | None  # realisation against this year's Renstra target
    quarters: tuple[calc.QuarterFigure, ...]
    funding: Funding | None

    @property
    def change_points(self) -> Decimal | None:
        """The size of the year-on-year change, points (its direction is `change`'s sign)."""
        return None if self.change is None else abs(self.change.delta)


@dataclass(frozen=True)
class BudgetLine:
    code: str
    name: str
    volume: Decimal | None
    volume_unit: str
    money: Money
    major: bool  # a programme (activity table) or a KRO (output table): printed bold


@dataclass(frozen=True)
class TypeMoney:
    type: str
    label: str
    money: Money


@dataclass(frozen=True)
class TypeDifference:
    type: str
    label: str
    what: str
    reported: Decimal
    computed: Decimal


@dataclass(frozen=True)
class YearSpending:
    year: int
    realised_by_type: Mapping[str, Decimal | None]
    realised: Decimal
    source: str


@dataclass(frozen=True)
class Month:
    month: int
    planned: Decimal
    realised: Decimal
    cum_planned: Decimal
    cum_realised: Decimal


@dataclass(frozen=True)
class Budget:
    """BAB III.B: DIPA lines, spending types, three years, months."""

    has_lines: bool
    total: Money
    blocked: Decimal
    activities: tuple[BudgetLine, ...]  # programmes and activities
    outputs: tuple[BudgetLine, ...]  # KRO and RO
    by_type: tuple[TypeMoney, ...]  # types with a pagu
    type_differences: tuple[TypeDifference, ...]
    years: tuple[YearSpending, ...]
    missing_years: tuple[int, ...]  # of the three years, those without data
    months: tuple[Month, ...]
    spending_types: tuple[tuple[str, str], ...]  # (51, Belanja Pegawai), (52, …), (53, …)


@dataclass(frozen=True)
class ScoreYear:
    year: int
    recorded: bool
    smart: Decimal | None
    ikpa: Decimal | None


@dataclass(frozen=True)
class Performance:
    """BAB III.C: Capaian Kinerja Anggaran, SMART DJA and IKPA."""

    scored: bool  # a score is recorded for the year
    smart_weight: Decimal | None
    ikpa_weight: Decimal | None
    smart: Decimal | None
    ikpa: Decimal | None
    performance: Decimal | None
    components: tuple[tuple[str, tuple[tuple[str, Decimal], ...]], ...]  # (SMART DJA|IKPA, parts)
    estimate: Decimal | None
    estimate_weight_covered: Decimal | None
    years: tuple[ScoreYear, ...]  # the report's year and the two before


@dataclass(frozen=True)
class EmonevMonth:
    month: int
    absorption: Decimal
    physical: Decimal


@dataclass(frozen=True)
class TarjaItem:
    number: int
    name: str
    score: Decimal | None
    remarks: str
    evidence: tuple[str, ...]  # data dukung, one document per line


@dataclass(frozen=True)
class TeamMember:
    name: str
    nip: str
    position: str
    role: str


@dataclass(frozen=True)
class TeamDecree:
    number: str
    signatory: Signatory  # place of the report, date of the decree, head on that date
    members: tuple[TeamMember, ...]


@dataclass(frozen=True)
class CoverLetter:
    """The letter that sends the report to the head of the regional office (surat pengantar)."""

    number: str
    nature: str  # sifat: Biasa, Segera, …
    attachment: str
    subject: str
    addressee: str  # "Kepala Kantor Wilayah …"
    address: str  # the regional office's address
    place: str
    date: dt.date | None


@dataclass(frozen=True)
class Position:
    """A structural position of the facility for the organisation chart."""

    title: str
    name: str
    level: int  # 2: sub-division, section, security unit; 3: below them


@dataclass(frozen=True)
class LkjipReport:
    year: int
    identity: Identity
    signatory: Signatory  # the report's place, date and head of record on that date
    narratives: Mapping[str, str]  # section key -> saved text, else the automatic draft
    staff: Staff | None
    plan: StrategicPlan | None
    renstra_years: tuple[int, ...]  # years of the Renstra targets (empty: none recorded)
    agreement: Agreement | None
    ikks: tuple[Ikk, ...]
    budget: Budget
    performance: Performance
    emonev: tuple[EmonevMonth, ...]
    tarja: tuple[TarjaItem, ...]
    decree: TeamDecree
    letter: CoverLetter
    positions: tuple[Position, ...]  # the organisation chart below the head
    # per IKK code: (the region's figure, the nation's figure) from the roll-up
    areas: Mapping[str, tuple[AreaFigure | None, AreaFigure | None]]
    pk_budget: Decimal | None  # the PK's budget table: the programmes' total
    rounding: str  # the realisation rounding rule (calc.Rounding), "down" or "half-up"
    by_month: bool  # the facility records its results monthly

    @property
    def years(self) -> tuple[int, int, int]:
        return (self.year, self.year - 1, self.year - 2)


# --- gathering ------------------------------------------------------------------------------------


def _person(person) -> Person | None:
    return Person(person.name, person.nip) if person else None


def _signatory(unit: Unit, place: str, date: dt.date | None) -> Signatory:
    head = head_on(unit, date)
    return Signatory(place, date, _person(head.person) if head else None)


def _money(f) -> Money:
    return Money(f.pagu, f.realised, f.remaining, f.absorption)


def _identity(unit: Unit, year: int) -> Identity:
    # The names in force in the report's year: a 2023 report keeps 2023's names.
    chain = authority_chain(unit, year)
    return Identity(
        name=unit.name,
        address=unit.address or "",
        letterhead=tuple(letterhead(unit, year)),
        chain=tuple(chain),
        facility_type=unit.get_facility_type_display() if unit.facility_type else "",
        facility_class=unit.get_facility_class_display() if unit.facility_class else "",
        capacity=unit.capacity or None,
        logo=logo_in(year),
    )


def _staff(report) -> Staff | None:
    if report is None:
        return None
    ranks = tuple((r.rank, r.count) for r in report.ranks.all())
    totals = calc.staff_totals(
        report.stated_total, report.men, report.women, [count for _, count in ranks]
    )
    return Staff(
        as_of=report.as_of,
        ranks=ranks,
        total=totals.by_rank or 0,
        men=report.men,
        women=report.women,
        by_sex=totals.by_sex,
        stated_total=report.stated_total,
        totals=totals,
    )


def _plan(unit: Unit, year: int) -> StrategicPlan | None:
    renstra = unit.renstras.filter(start_year__lte=year, end_year__gte=year).first()
    if renstra is None:
        return None
    return StrategicPlan(
        renstra.start_year, renstra.end_year, renstra.vision, renstra.mission, renstra.goals
    )


def _agreement(source: lkjip_data.LkjipData) -> Agreement | None:
    a = source.agreement
    if a is None:
        return None
    quarters = sorted({r.quarter for res in source.results for r in res.row.realizations.all()})
    last = max(quarters) if quarters else 4
    return Agreement(
        year=source.year,
        place=a.place,
        signed_on=a.signed_on,
        first_party=a.first_party.name if a.first_party else "-",
        second_party=a.second_party.name if a.second_party else "-",
        indicator_tables=tuple(pk_doc.indicator_tables(a)),
        budget_table=pk_doc.budget_table(a),
        blocks=tuple(pk_doc.agreement_blocks(a)),
        capaian_quarter=last,
        capaian_title=tuple(capaian_doc.title_blocks(a, last)),
        capaian_table=capaian_doc.table(a, last, source.results),
    )


def _cell(fig: lkjip_data.YearFigure | None) -> YearCell | None:
    if fig is None:
        return None
    none: dict[str, Any] = dict(
        target=None,
        realisation=None,
        realisation_na=False,
        achievement=None,
        achievement_na=False,
        achievement_raw=None,
        cap_applied=False,
        printed_text="",
    )
    if fig.source == "cetak":
        p = fig.printed
        return YearCell(
            **{
                **none,
                "target": Target(p.target, ""),
                "realisation": p.realisation,
                "achievement": p.achievement,
                "printed_text": p.printed_text or "",
            },
            year=fig.year,
            source="cetak",
        )
    if fig.source == "hitung":
        r = fig.result
        ach = r.achievement
        achievement_na = ach is None or ach.is_na
        return YearCell(
            year=fig.year,
            source="hitung",
            target=Target(r.row.target, r.row.target_unit),
            realisation=r.realisation.value,
            realisation_na=r.realisation.is_na,
            achievement=None if achievement_na else ach.capped,
            achievement_na=achievement_na,
            achievement_raw=None if achievement_na else ach.raw,
            cap_applied=False if achievement_na else ach.cap_applied,
            printed_text="",
        )
    return YearCell(**none, year=fig.year, source="")


def _ikk(source: lkjip_data.LkjipData, r) -> Ikk:
    row, indicator = r.row, r.row.indicator
    code, year = indicator.code, source.year
    years = {y: _cell(f) for y, f in source.history.get(code, {}).items()}
    now = years[year].comparable if years.get(year) else None
    before = years[year - 1].comparable if years.get(year - 1) else None
    medium = source.renstra.get(code, {})
    m = medium.get(year)
    reached = None
    if m is not None and r.recorded and not r.realisation.is_na:
        reached = calc.achievement(
            r.realisation, m, direction=indicator.direction, lower_rule=indicator.lower_rule
        )
    funding = source.funding.get(code)
    return Ikk(
        code=code,
        name=row.name,
        number=row.number,
        goal=Goal(row.goal_id, row.goal.number, row.goal.name),
        target=row.target,
        target_unit=row.target_unit,
        national_priority=row.national_priority,
        formula=indicator.formula,
        variables=tuple(
            Variable(v.symbol, v.description, r.values.get(v.symbol))
            for v in indicator.variables.all()
        ),
        recorded=r.recorded,
        quarter=r.quarter,
        realisation=r.realisation,
        achievement=r.achievement,
        steps=tuple(r.steps),
        years=years,
        change=calc.year_change(now, before),
        renstra=dict(medium),
        renstra_year_target=m,
        renstra_achievement=reached,
        quarters=tuple(r.quarter_figures),
        funding=Funding(
            lines=tuple((line.full_code, line.name) for line in funding.lines),
            pagu=funding.figures.pagu,
            realised=funding.figures.realised,
            absorption=funding.figures.absorption,
        )
        if funding and funding.lines
        else None,
    )


def _budget_line(node, major_level) -> BudgetLine:
    line = node.line
    return BudgetLine(
        code=line.full_code,
        name=line.name,
        volume=line.volume,
        volume_unit=line.volume_unit,
        money=_money(node.figures),
        major=line.level == major_level,
    )


def _budget(source: lkjip_data.LkjipData) -> Budget:
    o = source.overview
    rows = o.rows
    three = [source.year - 2, source.year - 1, source.year]
    years = tuple(
        YearSpending(
            year=r["year"],
            realised_by_type={t: r["types"][t][1] for t in SPENDING_TYPES},
            realised=r["realised"],
            source=r["source"],
        )
        for r in source.years_by_type
    )
    recorded = {y.year for y in years}
    return Budget(
        has_lines=o.has_lines,
        total=_money(o.total),
        blocked=o.total.blocked,
        activities=tuple(
            _budget_line(n, LineLevel.PROGRAM)
            for n in rows
            if n.line.level in (LineLevel.PROGRAM, LineLevel.ACTIVITY)
        ),
        outputs=tuple(
            _budget_line(n, LineLevel.KRO)
            for n in rows
            if n.line.level in (LineLevel.KRO, LineLevel.RO)
        ),
        by_type=tuple(
            TypeMoney(t, lkjip_data.SPENDING_LABELS[t], _money(f))
            for t, f in o.by_type.items()
            if f.pagu
        ),
        type_differences=tuple(
            TypeDifference(d["type"], d["label"], d["what"], d["reported"], d["computed"])
            for d in o.type_differences
        ),
        years=years,
        missing_years=tuple(y for y in three if y not in recorded),
        months=tuple(
            Month(m["month"], m["planned"], m["realised"], m["cum_planned"], m["cum_realised"])
            for m in o.months
        ),
        spending_types=tuple((t, lkjip_data.SPENDING_LABELS[t]) for t in SPENDING_TYPES),
    )


def _performance(source: lkjip_data.LkjipData) -> Performance:
    o = source.overview
    score = o.score
    by_year = {s.year: s for s in source.scores}
    components = ()
    if score is not None:
        components = tuple(
            (label, tuple((k, Decimal(str(v))) for k, v in parts.items()))
            for label, parts in (
                ("SMART DJA", score.smart_components),
                ("IKPA", score.ikpa_components),
            )
            if parts
        )
    estimate = o.estimate if o.estimate is not None and o.estimate.score is not None else None
    return Performance(
        scored=score is not None,
        smart_weight=o.weights.get("smart"),
        ikpa_weight=o.weights.get("ikpa"),
        smart=score.smart if score else None,
        ikpa=score.ikpa if score else None,
        performance=o.performance,
        components=components,
        estimate=estimate.score if estimate else None,
        estimate_weight_covered=estimate.weight_covered if estimate else None,
        years=tuple(
            ScoreYear(
                y,
                y in by_year,
                by_year[y].smart if y in by_year else None,
                by_year[y].ikpa if y in by_year else None,
            )
            for y in range(source.year - 2, source.year + 1)
        ),
    )


def _decree(source: lkjip_data.LkjipData) -> TeamDecree:
    report = source.report
    members = list(report.team.select_related("person")) if report.pk else []
    return TeamDecree(
        number=report.decree_number or "",
        signatory=_signatory(source.unit, report.place, report.decree_date),
        members=tuple(
            TeamMember(m.person.name, m.person.nip or "", m.position, m.role) for m in members
        ),
    )


# Structural titles as the offices write them, by level below the head.
_LEVEL_2 = re.compile(
    r"^(kasubb?ag|kepala sub ?bagian|kasi\b|kepala seksi|ka\.? ?kplp|kepala kplp|"
    r"kepala kesatuan|kabid|kepala bidang)",
    re.IGNORECASE,
)
_LEVEL_3 = re.compile(r"^(kaur|kepala urusan|kasubsi|kepala sub ?seksi)", re.IGNORECASE)


def _positions(unit: Unit, head: Person | None) -> tuple[Position, ...]:
    """The unit's people in structural positions (the head of record is the chart's top)."""
    found = []
    for person in unit.people.exclude(position="").order_by("id"):
        title = person.position.strip()
        level = 2 if _LEVEL_2.match(title) else 3 if _LEVEL_3.match(title) else 0
        if level and not (head and person.name == head.name):
            found.append(Position(title, person.name, level))
    return tuple(sorted(found, key=lambda p: p.level))


def _letter(source: lkjip_data.LkjipData) -> CoverLetter:
    unit, report = source.unit, source.report
    region = unit.parent if unit.parent and unit.parent.kind == UnitKind.KANWIL else None
    chain = authority_chain(unit, source.year)
    region_name = chain[-2] if region is not None and len(chain) >= 2 else ""
    return CoverLetter(
        number=report.letter_number,
        nature=report.letter_nature,
        attachment=report.letter_attachment,
        subject=f"Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun {source.year}",
        addressee=f"Kepala {region_name}" if region_name else "",
        address=(region.address or "") if region is not None else "",
        place=report.place,
        date=report.report_date,
    )


def from_source(source: lkjip_data.LkjipData) -> LkjipReport:
    """The typed view of what `lkjip_data.gather` read (plus the few reads only the report needs)."""
    unit, year, report = source.unit, source.year, source.report
    signatory = _signatory(unit, report.place, report.report_date)
    return LkjipReport(
        year=year,
        identity=_identity(unit, year),
        signatory=signatory,
        narratives={key: drafts.text(source, key)[0] for key, _ in drafts.section_keys(source)},
        staff=_staff(source.staff),
        plan=_plan(unit, year),
        renstra_years=tuple(source.renstra_years) if source.renstra else (),
        agreement=_agreement(source),
        ikks=tuple(_ikk(source, r) for r in source.results),
        budget=_budget(source),
        performance=_performance(source),
        emonev=tuple(
            EmonevMonth(e.month, e.absorption, e.physical) for e in source.overview.emonev
        ),
        tarja=tuple(
            TarjaItem(
                t.number,
                t.name,
                t.score,
                t.remarks,
                tuple(line.strip() for line in t.evidence.splitlines() if line.strip()),
            )
            for t in source.overview.tarja
        ),
        decree=_decree(source),
        letter=_letter(source),
        positions=_positions(unit, signatory.head),
        areas=comparison.figures(unit, year, [r.row.indicator.code for r in source.results]),
        pk_budget=drafts.pk_budget(source),
        rounding=settings.KINERJA_REALISATION_ROUNDING,
        by_month=bool(unit.results_by_month),
    )


def gather(unit: Unit, year: int, *, findings: list | None = None) -> LkjipReport:
    """Every read the LKjIP needs, in one call. `findings`: the review's, when the caller has just
    run it (the generation does), so that it is not computed twice."""
    return from_source(lkjip_data.gather(unit, year, findings=findings))


def replace_caption(table: doc.Table, caption: str) -> doc.Table:
    """A copy of a table gathered here with the caption its place in the report gives it."""
    return dataclasses.replace(table, caption=caption)
