"""Read a Rencana Aksi in the offices' own layout into a checked plan, without touching the database.

The layout (see ../shared/reference/renaksi-luwuk-2024.*): title rows, a header row found by its
column names, then per indicator four rows TW I-IV; the goal and the indicator (and its target,
formula, activity and pagu) stand in the first row of their block (merged cells in a workbook, blank
cells in a text export), header rows may repeat after page breaks, and a signature block ends it.

Text exports shift cells after page breaks (a goal column dropped, an extra blank cell), so a row is
located by two anchors rather than by position alone: the quarter label (TW I-IV) fixes the budget and
plan columns, and the indicator cell is the text just before a readable target.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from kinerja import calc
from kinerja.core import bounds
from kinerja.core.formatting import format_number, format_rupiah, parse_decimal
from kinerja.imports.tables import Cell, Table, column_letter

QUARTER_NAMES = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}
UNIT_WORDS = {
    "layanan": "Layanan",
    "layann": "Layanan",
    "dokumen": "Dokumen",
    "unit": "Unit",
    "orang": "Orang",
    "indeks": "Indeks",
    "persen": "%",
}

# Header names as offices write them (after normalising case, spacing and punctuation).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "goal": ("SASARAN KEGIATAN", "SASARAN"),
    "indicator": ("INDIKATOR KINERJA", "INDIKATOR KINERJA KEGIATAN", "INDIKATOR"),
    "target": ("TARGET KINERJA", "TARGET"),
    "formula": ("RUMUS PERHITUNGAN", "RUMUS", "FORMULA PERHITUNGAN", "CARA PERHITUNGAN"),
    "activity": ("KEGIATAN", "NAMA KEGIATAN"),
    "pagu": ("PAGU", "PAGU ANGGARAN", "ANGGARAN"),
    "rpd": ("RENCANA PENARIKAN DANA", "RPD", "RENCANA PENARIKAN"),
    "realised": ("REALISASI ANGGARAN", "REALISASI"),
    "plan": ("RENCANA KEGIATAN", "RENCANA AKSI"),
    "achievement": ("CAPAIAN", "CAPAIAN KINERJA"),
    "evidence": ("DATA DUKUNG", "BUKTI DUKUNG"),
    "status": ("STATUS PELAKSANAAN", "STATUS"),
    "remarks": ("KETERANGAN", "CATATAN"),
}
HEADER_LABEL = {key: names[0] for key, names in HEADER_ALIASES.items()}
REQUIRED = ("indicator", "target", "plan")


def _norm_header(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z ]+", " ", text.upper()).split())


def normalize(text: str) -> str:
    """Lower case, numbering and punctuation removed, spaces collapsed: for matching names."""
    text = re.sub(r"^\s*\d+\s*[.)]\s*", "", text or "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


quarter_of = calc.quarter_of


@dataclass
class Problem:
    severity: str  # "error" blocks the import; "warning" is shown and kept with the plan
    message: str
    row: int | None = None
    column: str = ""
    field: str = ""

    def location(self, table: Table) -> str:
        parts = [table.filename, f"lembar {table.sheet}"]
        if self.row:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(
                f"kolom {self.column}"
                + (f" ({HEADER_LABEL.get(self.field, self.field)})" if self.field else "")
            )
        return ", ".join(parts)


@dataclass
class QuarterRow:
    quarter: int
    row: int
    rpd: Decimal | None = None
    realised: Decimal | None = None
    planned_activity: str = ""
    achievement_text: str = ""
    evidence: str = ""


@dataclass
class ParsedActivity:
    name: str
    pagu: Decimal | None
    row: int
    base: str = ""  # the label as written (the name gets its indicator's number when the label
    label: str = ""  # funds several IKK with different amounts: one budget line per IKK)
    rpd: dict[int, Decimal | None] = field(default_factory=dict)
    realised: dict[int, Decimal | None] = field(default_factory=dict)
    indicator_rows: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Question:
    """Where the file cannot tell and the user decides (in the preview): `key` is the activity's
    label as calc.activity_key gives it; choosing it reads each occurrence as its own budget line."""

    key: str
    row: int
    message: str


@dataclass
class ParsedIndicator:
    row: int
    number: str
    name: str
    goal_index: int
    target: Decimal | None = None
    target_unit: str = ""
    formula_text: str = ""
    activity: ParsedActivity | None = None
    status: str = ""
    remarks: str = ""
    blocked_amount: Decimal | None = None
    code: str = ""
    match_score: float = 0.0
    quarters: dict[int, QuarterRow] = field(default_factory=dict)
    quarter_order: list[int] = field(default_factory=list)


@dataclass
class ParsedGoal:
    row: int
    number: str
    name: str
    code: str = ""


@dataclass
class ParsedPlan:
    table: Table
    title: str = ""
    goals: list[ParsedGoal] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    activities: list[ParsedActivity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # header column of each field
    # Activity labels (calc.activity_key) the user chose to read as one budget line per IKK where
    # the file alone cannot tell (the same label and amount on rows that are not consecutive).
    separate: frozenset[str] = frozenset()
    questions: list[Question] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def total_pagu(self) -> Decimal:
        return sum((a.pagu or Decimal(0) for a in self.activities), Decimal(0))

    @property
    def total_rpd(self) -> Decimal:
        return sum((v or Decimal(0) for a in self.activities for v in a.rpd.values()), Decimal(0))

    def error(
        self, message: str, row: int | None = None, col: int | None = None, key: str = ""
    ) -> None:
        self._add("error", message, row, col, key)

    def warn(
        self, message: str, row: int | None = None, col: int | None = None, key: str = ""
    ) -> None:
        self._add("warning", message, row, col, key)

    def _add(self, severity: str, message: str, row, col, key: str) -> None:
        # Without an exact cell, the place is the field's column in the header.
        if col is None and key in self.columns:
            col = self.columns[key]
        letter = column_letter(col) if col is not None else ""
        self.problems.append(Problem(severity, message, row, letter, key))


# --- reading cells -------------------------------------------------------------------------


def read_money(cell: Cell) -> Decimal | None:
    """A rupiah amount: real numbers, '7.363.920.000', 'Rp. 500.000', '-' as none. ValueError if unreadable."""
    if isinstance(cell.value, bool):
        raise ValueError(f"'{cell.text}' bukan angka")
    if isinstance(cell.value, (int, float)):
        # Through the shared reader as well: a float cell may hold 1e23, inf or nan.
        return parse_decimal(_number_cell(cell.value))
    return parse_decimal(cell.text)


def _number_cell(value: int | float) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"'{value}' bukan angka") from None


def read_target(cell: Cell) -> tuple[Decimal, str]:
    """A target as offices type it: '85%', 0.85 in a percent cell, '92,5', '1 Dokumen', '6 Unit'."""
    number, unit = _read_target(cell)
    return _plain(number), unit


def _plain(number: Decimal) -> Decimal:
    """85.00 -> 85, 92.50 -> 92.5 (without the exponent form normalize() gives 100)."""
    return (
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    )


def _read_target(cell: Cell) -> tuple[Decimal, str]:
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = parse_decimal(_number_cell(value))
        if "%" in (cell.number_format or ""):
            return number * 100, "%"
        return number, ""
    text = cell.text
    match = re.match(r"^([\d.,]+)\s*%$", text)
    if match:
        return parse_decimal(match.group(1)), "%"
    match = re.match(r"^([\d.,]+)\s*([A-Za-z]+)$", text)
    if match and match.group(2).lower() in UNIT_WORDS:
        return parse_decimal(match.group(1)), UNIT_WORDS[match.group(2).lower()]
    number = parse_decimal(text)
    if number is None:
        raise ValueError("target kosong")
    return number, ""


def _looks_like_target(cell: Cell) -> bool:
    try:
        read_target(cell)
    except (ValueError, ArithmeticError):
        return False
    return not cell.is_blank


# --- the parser ----------------------------------------------------------------------------


@dataclass
class _Layout:
    header_row: int
    columns: dict[str, int]

    @property
    def quarter_col(self) -> int:
        return self.columns["plan"]

    @property
    def budget_cols(self) -> list[str]:
        """Budget columns between the pagu and the quarter label, in order (rpd, realised)."""
        return [k for k in ("rpd", "realised") if k in self.columns]


def find_header(table: Table, plan: ParsedPlan) -> _Layout | None:
    for index, row in enumerate(table.rows[:60]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = _norm_header(cell.text) if isinstance(cell.value, str) else ""
            for key, aliases in HEADER_ALIASES.items():
                if name in aliases and key not in columns:
                    columns[key] = col
                    break
        if len(columns) >= 4 and "indicator" in columns:
            missing = [HEADER_LABEL[k] for k in REQUIRED if k not in columns]
            if missing:
                plan.error(
                    f"Kolom wajib tidak ada pada baris judul: {', '.join(missing)}.", index + 1
                )
                return None
            return _Layout(header_row=index + 1, columns=columns)
    plan.error(
        "Baris judul kolom tidak ditemukan. Dicari kolom: "
        + ", ".join(
            HEADER_LABEL[k]
            for k in ("goal", "indicator", "target", "formula", "activity", "pagu", "rpd", "plan")
        )
        + "."
    )
    return None


def _is_header_row(row: list[Cell]) -> bool:
    names = {_norm_header(c.text) for c in row if isinstance(c.value, str)}
    return "INDIKATOR KINERJA" in names or ("TARGET KINERJA" in names and "PAGU" in names)


def parse_renaksi(table: Table, separate: frozenset[str] = frozenset()) -> ParsedPlan:
    """Every goal, indicator, activity and quarter of the table, and every problem with its place.
    `separate`: activity labels the user chose to read as one budget line per IKK."""
    plan = ParsedPlan(table=table, separate=separate)
    layout = find_header(table, plan)
    if layout is None:
        return plan
    plan.columns = dict(layout.columns)
    plan.title = " ".join(
        c.text for row in table.rows[: layout.header_row - 1] for c in row if not c.is_blank
    )
    current: ParsedIndicator | None = None
    last_quarter_row = layout.header_row
    for index in range(layout.header_row, len(table.rows)):
        rownum = index + 1
        row = table.rows[index]
        if all(c.is_blank for c in row) or _is_header_row(row):
            continue
        q_col = next((i for i, c in enumerate(row) if quarter_of(c.text)), None)
        if q_col is None:
            if rownum - last_quarter_row > 1 and current is not None:
                continue  # signature block or notes after the table
            plan.warn("Baris tanpa label triwulan (TW I-IV) dilewati.", rownum)
            continue
        last_quarter_row = rownum
        current = _read_row(plan, layout, row, rownum, q_col, current)
    _finish(plan)
    return plan


def _cell(row: list[Cell], index: int | None) -> Cell:
    if index is None or index < 0 or index >= len(row):
        return Cell(None)
    return row[index]


def _read_row(plan, layout: _Layout, row, rownum: int, q_col: int, current):
    quarter = quarter_of(row[q_col].text)
    budget = layout.budget_cols
    first_budget = q_col - len(budget)
    left = row[:first_budget]
    expected_left = min(layout.columns[k] for k in budget) if budget else layout.quarter_col
    shift = q_col - layout.quarter_col
    positions = _left_positions(layout, left, expected_left)

    indicator_cell = _cell(left, positions.get("indicator"))
    is_continuation = indicator_cell.is_blank or bool(
        current and normalize(indicator_cell.text) == normalize(current.name) and quarter != 1
    )
    if not is_continuation:
        goal_cell = _cell(left, positions.get("goal"))
        if not goal_cell.is_blank:
            number, name = _split_number(goal_cell.text)
            last = plan.goals[-1] if plan.goals else None
            # An office that repeats the goal on every row (no merged cells) starts no new goal.
            if not (last and last.number == number and normalize(last.name) == normalize(name)):
                plan.goals.append(ParsedGoal(row=rownum, number=number, name=name))
        if not plan.goals:
            plan.error(
                "Indikator tanpa Sasaran Kegiatan di atasnya.",
                rownum,
                positions.get("indicator"),
                "indicator",
            )
            plan.goals.append(ParsedGoal(row=rownum, number="", name=""))
        number, name = _split_number(indicator_cell.text)
        current = ParsedIndicator(
            row=rownum, number=number, name=name, goal_index=len(plan.goals) - 1
        )
        plan.indicators.append(current)
        _read_indicator_cells(plan, current, left, positions, rownum, shift)
    elif current is None:
        plan.error("Baris triwulan sebelum indikator pertama.", rownum, q_col, "plan")
        return None

    # Budget and plan cells, anchored on the quarter label. A text export sometimes puts an extra
    # '-' between the budget cells of a quarter row; the run of amounts before the label then has
    # one cell too many, and its first cell is the RPD, its last the realisation.
    budget_cols = [first_budget + offset for offset in range(len(budget))]
    if is_continuation and len(budget) == 2 and _cell(left, positions.get("activity")).is_blank:
        run = _money_run(row, q_col)
        if len(run) > 2 and _blank_amount(_cell(row, budget_cols[0])):
            budget_cols = [run[0], run[-1]]
    values: dict[str, Decimal | None] = {}
    for key, col in zip(budget, budget_cols, strict=True):
        try:
            values[key] = read_money(_cell(row, col))
        except ValueError as exc:
            plan.error(f"Angka tidak dapat dibaca: {exc}.", rownum, col, key)
            values[key] = None
        problem = bounds.MONEY.problem(values[key], "RPD" if key == "rpd" else "Realisasi")
        if problem:
            plan.error(problem, rownum, col, key)
            values[key] = None
    after = q_col + 1
    planned = _cell(row, after).text
    after += 1
    if quarter_of(_cell(row, after).text):
        after += 1
    achievement = _cell(row, after).text if "achievement" in layout.columns else ""
    rest = [k for k in ("evidence", "status", "remarks") if k in layout.columns]
    start = after + (1 if "achievement" in layout.columns else 0)
    extra = {key: _cell(row, start + i).text for i, key in enumerate(rest)}

    if quarter in current.quarters:
        plan.error(
            f"{QUARTER_NAMES[quarter]} tertulis dua kali untuk indikator {current.number} {_short(current.name)}.",
            rownum,
            q_col,
            "plan",
        )
    else:
        current.quarters[quarter] = QuarterRow(
            quarter=quarter,
            row=rownum,
            rpd=values.get("rpd"),
            realised=values.get("realised"),
            planned_activity=planned,
            achievement_text=achievement,
            evidence=extra.get("evidence", ""),
        )
    current.quarter_order.append(quarter)
    if extra.get("status") and not current.status:
        current.status = extra["status"]
    if extra.get("remarks"):
        current.remarks = " ".join(filter(None, [current.remarks, extra["remarks"]]))
    return current


def _blank_amount(cell: Cell) -> bool:
    try:
        return read_money(cell) is None
    except ValueError:
        return False


def _money_run(row: list[Cell], q_col: int) -> list[int]:
    """Columns of the contiguous amounts ('-' included) just before the quarter label."""
    run = []
    col = q_col - 1
    while col >= 0 and not row[col].is_blank:
        try:
            read_money(row[col])
        except ValueError:
            break
        run.insert(0, col)
        col -= 1
    return run


def _left_positions(layout: _Layout, left: list[Cell], expected_left: int) -> dict[str, int]:
    keys = [
        k
        for k in ("goal", "indicator", "target", "formula", "activity", "pagu")
        if k in layout.columns
    ]
    if len(left) == expected_left:
        return {k: layout.columns[k] for k in keys}
    # Shifted row: the indicator is the text cell just before a readable target.
    for i in range(len(left) - 1):
        if (
            not left[i].is_blank
            and not _looks_like_target(left[i])
            and _looks_like_target(left[i + 1])
        ):
            positions = {"indicator": i, "target": i + 1}
            if i >= 1:
                positions["goal"] = i - 1
            if "formula" in layout.columns:
                positions["formula"] = i + 2
            tail = list(range(positions.get("formula", i + 1) + 1, len(left)))
            if "pagu" in layout.columns and tail:
                positions["pagu"] = tail[-1]
                middle = [j for j in tail[:-1] if not left[j].is_blank]
                if middle and "activity" in layout.columns:
                    positions["activity"] = middle[0]
            return positions
    return {}


def _read_indicator_cells(
    plan, ind: ParsedIndicator, left, positions, rownum: int, shift: int
) -> None:
    target_cell = _cell(left, positions.get("target"))
    col = positions.get("target")
    if target_cell.is_blank:
        plan.error(
            f"Target indikator {ind.number} {_short(ind.name)} kosong.", rownum, col, "target"
        )
    else:
        try:
            ind.target, ind.target_unit = read_target(target_cell)
        except (ValueError, ArithmeticError):
            plan.error(f"Target tidak dapat dibaca: '{target_cell.text}'.", rownum, col, "target")
        else:
            # The unit written in the cell when there is one; the catalogue's unit is checked again
            # when the plan is imported (planning.services).
            bound = bounds.target_bound(ind.target_unit) if ind.target_unit else bounds.TARGET_ANY
            problem = bound.problem(ind.target, f"Target indikator {ind.number}")
            if problem:
                plan.error(problem, rownum, col, "target")
                ind.target = None
    ind.formula_text = _cell(left, positions.get("formula")).text
    activity_name = _cell(left, positions.get("activity")).text
    pagu_cell = _cell(left, positions.get("pagu"))
    try:
        pagu = read_money(pagu_cell)
    except ValueError as exc:
        plan.error(f"Pagu tidak dapat dibaca: {exc}.", rownum, positions.get("pagu"), "pagu")
        pagu = None
    problem = bounds.MONEY.problem(pagu, "Pagu")
    if problem:
        plan.error(problem, rownum, positions.get("pagu"), "pagu")
        pagu = None
    if activity_name:
        ind.activity = _activity_for(plan, ind, activity_name, pagu)
        ind.activity.indicator_rows.append(rownum)
    elif pagu:
        plan.warn(
            f"Pagu {format_rupiah(pagu)} tanpa nama kegiatan.",
            rownum,
            positions.get("pagu"),
            "pagu",
        )


def _activity_for(plan: ParsedPlan, ind: ParsedIndicator, name: str, pagu) -> ParsedActivity:
    """Which budget line funds this indicator. The same label with the same amount on the
    indicator just before is one shared activity (its pagu counted once), as is a close label with
    the same amount (calc.same_activity, a typo). The same label with another amount is another
    budget line for this IKK (offices that write each IKK's own pagu under a generic label such as
    "Pelaksana Satker"): each such line is named after its indicator. The same label and amount on
    rows that are not consecutive cannot be told from the file: read as shared, and asked."""
    name = " ".join(name.split())
    key = calc.activity_key(name)
    before = plan.indicators[-2].activity if len(plan.indicators) > 1 else None
    goal = plan.goals[ind.goal_index].number if plan.goals else ""
    label = f"{goal}.{ind.number}" if goal and ind.number else ind.number or str(ind.row)
    for activity in plan.activities:
        same_label = calc.activity_key(activity.base) == key
        if same_label and activity.pagu == pagu:
            if activity is before:
                return activity
            if key in plan.separate:
                continue
            plan.questions.append(
                Question(
                    key=key,
                    row=ind.row,
                    message=(
                        f"Kegiatan '{name}' dengan pagu {format_rupiah(pagu)} tertulis lagi di baris "
                        f"{ind.row}, tidak berurutan dengan baris {activity.row}: dihitung sekali "
                        "sebagai satu kegiatan bersama. Pilih 'terpisah' bila setiap baris adalah "
                        "anggaran tersendiri untuk IKK-nya."
                    ),
                )
            )
            return activity
        if not same_label and calc.same_activity(name, pagu, activity.base, activity.pagu):
            return activity
    activity = ParsedActivity(name=name, base=name, pagu=pagu, row=ind.row, label=label)
    siblings = [a for a in plan.activities if calc.activity_key(a.base) == key]
    if siblings:
        for line in [*siblings, activity]:
            line.name = f"{line.base} ({line.label})"
    plan.activities.append(activity)
    return activity


def _split_number(text: str) -> tuple[str, str]:
    match = re.match(r"^\s*(\d+)\s*[.)]\s*(.*)$", text, re.DOTALL)
    if match:
        return match.group(1), " ".join(match.group(2).split())
    return "", " ".join(text.split())


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# --- checks over the whole plan ------------------------------------------------------------


def _finish(plan: ParsedPlan) -> None:
    if not plan.indicators and not plan.errors:
        plan.error("Tidak ada indikator di bawah baris judul.")
    numbers: dict[str, ParsedGoal] = {}
    for goal in plan.goals:
        earlier = numbers.setdefault(goal.number, goal) if goal.number else goal
        if earlier is not goal:
            plan.error(
                f"Nomor sasaran {goal.number} dipakai dua kali (baris {earlier.row} dan baris "
                f"{goal.row}) untuk sasaran yang berbeda.",
                goal.row,
                None,
                "goal",
            )
    for ind in plan.indicators:
        label = f"indikator {ind.number} {_short(ind.name)}"
        missing = [QUARTER_NAMES[q] for q in (1, 2, 3, 4) if q not in ind.quarters]
        if missing:
            plan.error(f"{', '.join(missing)} tidak ada untuk {label}.", ind.row, None, "plan")
        order = [q for q in ind.quarter_order]
        if order != sorted(order):
            plan.error(
                f"Urutan triwulan untuk {label} tidak berurutan: {', '.join(QUARTER_NAMES[q] for q in order)}.",
                ind.row,
                None,
                "plan",
            )
        problem = formula_text_problem(ind.formula_text)
        if problem:
            plan.warn(f"Rumus {label}: {problem.message}", ind.row, None, "formula")
        match = re.search(r"blokir\D{0,40}?((?:Rp\.?\s*)?\d[\d.,]*)", ind.remarks, re.IGNORECASE)
        if match:
            try:
                ind.blocked_amount = parse_decimal(match.group(1))
                bounds.MONEY.check(ind.blocked_amount, "Pagu blokir")
            except ValidationError as exc:
                ind.blocked_amount = None
                plan.warn(exc.messages[0], ind.row, None, "remarks")
            except ValueError:
                plan.warn(
                    f"Jumlah pagu blokir tidak dapat dibaca: '{match.group(1)}'.",
                    ind.row,
                    None,
                    "remarks",
                )
    for activity in plan.activities:
        rows = [ind for ind in plan.indicators if ind.activity is activity]
        first = rows[0]
        for q in (1, 2, 3, 4):
            quarter = first.quarters.get(q)
            activity.rpd[q] = quarter.rpd if quarter else None
            activity.realised[q] = quarter.realised if quarter else None
        for other in rows[1:]:
            theirs = {
                q: (other.quarters[q].rpd if q in other.quarters else None) for q in (1, 2, 3, 4)
            }
            if theirs != activity.rpd:
                plan.warn(
                    f"RPD kegiatan '{activity.name}' berbeda antara baris {first.row} dan baris {other.row}; "
                    f"dipakai RPD baris {first.row}.",
                    other.row,
                    None,
                    "rpd",
                )
        total = sum((v or Decimal(0) for v in activity.rpd.values()), Decimal(0))
        difference = calc.rpd_difference(activity.rpd, activity.pagu)
        if difference is not None:
            # A warning here (the plan can be saved and corrected); the review reports the same
            # comparison (calc.rpd_difference) as an error until it is corrected.
            plan.warn(
                f"RPD kegiatan '{activity.name}' berjumlah {format_rupiah(total)}, tidak sama dengan pagu "
                f"{format_rupiah(activity.pagu)} (selisih {'lebih' if difference > 0 else 'kurang'} "
                f"{format_rupiah(abs(difference))}).",
                activity.row,
                None,
                "rpd",
            )


def formula_text_problem(text: str) -> calc.FormulaProblem | None:
    """Why an office's formula text cannot be right (empty, or numerator equal to denominator),
    with its code; None when nothing is wrong."""
    if not text.strip():
        return calc.FormulaProblem(calc.Problem.EMPTY, "kosong.")
    num, den = _fraction_parts(text)
    if num is not None and den is not None and num and num == den:
        return calc.FormulaProblem(
            calc.Problem.SAME_NUMERATOR_DENOMINATOR,
            "pembilang dan penyebut sama, sehingga hasilnya selalu 100%.",
        )
    return None


def _fraction_parts(text: str) -> tuple[str | None, str | None]:
    frac = text.find("\\frac")
    if frac >= 0:
        parts = []
        i = frac + len("\\frac")
        for _ in range(2):
            while i < len(text) and text[i] != "{":
                i += 1
            depth, start = 0, i
            while i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
                if depth == 0:
                    break
            parts.append(text[start:i])
        if len(parts) == 2:
            return _clean_term(parts[0]), _clean_term(parts[1])
    body = text.split("=", 1)[-1]
    body = re.split(r"(?i)\s*[x×*]\s*100\s*%?", body)[0]
    pieces = re.split(r"\s+/\s+|(?<=\w)/(?=\w)", body)
    if len(pieces) == 2:
        return _clean_term(pieces[0]), _clean_term(pieces[1])
    return None, None


def _clean_term(term: str) -> str:
    term = re.sub(r"\\(text|sum|mathrm)", " ", term)
    term = term.replace("Σ", " ").replace("∑", " ")
    return normalize(term)


# --- matching to the catalogue -------------------------------------------------------------

CONFIDENT = 0.80
MARGIN = 0.04


def best_matches(name: str, candidates: dict[str, str]) -> list[tuple[float, str]]:
    key = normalize(name)
    scored = [
        (difflib.SequenceMatcher(None, key, normalize(text)).ratio(), code)
        for code, text in candidates.items()
    ]
    return sorted(scored, reverse=True)


def match_catalogue(
    plan: ParsedPlan, goals: dict[str, str], indicators: dict[str, tuple[str, str]]
) -> None:
    """Match goals to Sasaran Kegiatan and indicators to IKK: a confident match or an explicit error.

    goals: code -> name; indicators: code -> (goal code, name).
    """
    for goal in plan.goals:
        if not goal.name:
            continue
        ranked = best_matches(goal.name, goals)
        if ranked and ranked[0][0] >= CONFIDENT:
            goal.code = ranked[0][1]
        else:
            plan.warn(
                f"Sasaran Kegiatan '{_short(goal.name)}' tidak cocok dengan katalog; indikator dicocokkan langsung.",
                goal.row,
                None,
                "goal",
            )
    used: dict[str, int] = {}
    for ind in plan.indicators:
        goal = plan.goals[ind.goal_index]
        pool = {c: n for c, (g, n) in indicators.items() if not goal.code or g == goal.code}
        ranked = best_matches(ind.name, pool) or best_matches(
            ind.name, {c: n for c, (_, n) in indicators.items()}
        )
        if not ranked:
            plan.error("Katalog indikator kosong.", ind.row)
            continue
        score, code = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if score >= CONFIDENT and score - runner_up >= MARGIN:
            ind.code, ind.match_score = code, score
            if code in used:
                plan.error(
                    f"Indikator {code} muncul dua kali (baris {used[code]} dan baris {ind.row}).",
                    ind.row,
                    None,
                    "indicator",
                )
            used[code] = ind.row
        else:
            options = "; ".join(
                f"{c} ({format_number(Decimal(str(round(s * 100, 1))), 1, trim=True)}%)"
                for s, c in ranked[:3]
            )
            plan.error(
                f"Indikator '{_short(ind.name, 90)}' tidak dapat dicocokkan dengan pasti ke katalog. "
                f"Kandidat terdekat: {options}. Perbaiki nama indikator sesuai katalog.",
                ind.row,
                None,
                "indicator",
            )
