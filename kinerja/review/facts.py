"""The facts a review looks at, as plain data: no ORM here, so that every rule can be tested on a
case written by hand. `gather.py` fills them from the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja import calc
from kinerja.core.formatting import BULAN, TRIWULAN


@dataclass
class Period:
    """The counts recorded for one quarter (or one month of a monthly facility)."""

    quarter: int
    values: dict[str, Decimal]
    month: int | None = None
    evidence: int = 0
    status: str = "draft"  # the quarter report's status

    @property
    def label(self) -> str:
        if self.month:
            return f"{BULAN[self.month - 1]} ({TRIWULAN[self.quarter]})"
        return TRIWULAN[self.quarter]

    @property
    def end(self) -> int:
        return self.month or self.quarter * 3


@dataclass
class Printed:
    """A figure as a report printed it or as it was stored or imported."""

    target: Decimal | None = None
    realisation: Decimal | None = None
    achievement: Decimal | None = None
    text: str = ""
    source: str = ""
    id: int | None = None


@dataclass
class IndicatorFacts:
    row_id: int
    code: str
    name: str
    target: Decimal | None
    target_unit: str = "%"
    formula: str = "A / B * 100"
    variables: dict[str, str] = field(default_factory=dict)
    direction: str = "higher"
    lower_rule: str = "inverse"
    formula_text: str | None = (
        None  # as the office wrote it in its Rencana Aksi (None: not imported)
    )
    increments: dict[int, Decimal | None] = field(default_factory=dict)  # quarters in the plan
    quarter_texts: dict[int, str] = field(default_factory=dict)
    periods: list[Period] = field(default_factory=list)
    printed: Printed | None = None
    renstra_target: Decimal | None = None
    indicator_id: int | None = None  # the catalogue entry

    @property
    def label(self) -> str:
        name = self.name if len(self.name) <= 70 else self.name[:69] + "…"
        return f"{self.code} {name}"

    cap: Decimal | None = None  # the PK's achievement cap (or the national one)
    # The year's figure as measurement.selectors.year_results gives it (set by gather.py); a case
    # written by hand leaves it None and the same calc.year_figure computes it from the periods.
    figure: calc.YearFigure | None = None

    @property
    def is_count(self) -> bool:
        return calc.is_count(self.formula)

    def _ordered(self) -> list[Period]:
        """Oldest period first, a quarter row after a month row with the same end (as the selector)."""
        return sorted(self.periods, key=lambda p: (p.end, p.month is None))

    def year_figure(self, rounding: str = calc.Rounding.DOWN) -> calc.YearFigure:
        if self.figure is not None:
            return self.figure
        return calc.year_figure(
            self.formula,
            [p.values for p in self._ordered()],
            self.target,
            direction=self.direction,
            lower_rule=self.lower_rule,
            cap=self.cap,
            rounding=rounding,
        )

    def outcome(self, rounding: str = calc.Rounding.DOWN) -> calc.Outcome | None:
        """The reported realisation of the year so far; None when nothing complete is recorded."""
        return self.year_figure(rounding).realisation

    def achievement(self, rounding: str = calc.Rounding.DOWN) -> calc.Achievement | None:
        """The achievement (raw and capped, or N/A with the reason); None when nothing is recorded."""
        return self.year_figure(rounding).achievement


@dataclass
class ActivityFacts:
    """A funding activity of the Rencana Aksi: pagu, RPD and realisation per quarter."""

    id: int
    name: str
    pagu: Decimal
    rpd: dict[int, Decimal] = field(default_factory=dict)
    realised: dict[int, Decimal | None] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)  # the IKK it funds
    row_id: int | None = None  # an IKK row whose Rencana Aksi page edits it


@dataclass
class LineFacts:
    """A leaf line of the DIPA with the sum of its months."""

    id: int
    code: str
    name: str
    pagu: Decimal
    blocked: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    exception_reason: str = ""


@dataclass
class BudgetFacts:
    pk_programmes: Decimal | None = None  # the PK budget table: sum of its programme rows
    pk_activities: Decimal | None = None
    dipa_pagu: Decimal | None = None  # None: no DIPA lines
    dipa_realised: Decimal | None = None
    reported_pagu: Decimal | None = None  # the per-type figures a report gives (YearSpending)
    reported_realised: Decimal | None = None
    type_differences: list[dict] = field(default_factory=list)


@dataclass
class StaffFacts:
    id: int
    as_of: dt.date
    stated_total: int | None
    men: int | None = None
    women: int | None = None
    ranks_total: int | None = None


@dataclass
class Mention:
    """A person named somewhere (a PK party, a head of record, the report team, a printed
    signature) with the NIP written there."""

    name: str
    nip: str
    where: str
    link: str = ""
    printed: bool = False  # as printed (not validated when stored)


@dataclass
class Signatory:
    """The PK's Pihak Pertama and the head of record on the day it was signed."""

    name: str
    nip: str
    signed_on: dt.date | None
    head_name: str | None
    head_nip: str | None
    same_person: bool


@dataclass
class DatedDocument:
    label: str
    kind: str  # lkjip | pk | capaian | decree
    date: dt.date
    link: str = ""
    not_after: dt.date | None = None  # e.g. the team decree must precede the report


@dataclass
class Context:
    unit: str
    slug: str
    year: int
    pk_id: int | None = None
    pk_signed: bool = False
    indicators: list[IndicatorFacts] = field(default_factory=list)
    activities: list[ActivityFacts] = field(default_factory=list)
    lines: list[LineFacts] = field(default_factory=list)
    budget: BudgetFacts = field(default_factory=BudgetFacts)
    staff: StaffFacts | None = None
    mentions: list[Mention] = field(default_factory=list)
    signatory: Signatory | None = None
    dates: list[DatedDocument] = field(default_factory=list)
    renstra: tuple[int, int] | None = None  # the Renstra period covering the year
    renstra_id: int | None = None
    rounding: str = calc.Rounding.DOWN
    today: dt.date = field(default_factory=dt.date.today)
