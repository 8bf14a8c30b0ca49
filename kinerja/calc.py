"""The one calculation module: every figure Kinerja shows is computed here.

Pure functions over `Decimal`, no ORM, no floats. Pages, documents, the API and the review
all call these, so a figure is the same wherever it appears.

Formulas are indicator expressions over named input variables, e.g. ``A / B * 100`` or
``(A / B * 100 + C / D * 100) / 2``. They are parsed with :mod:`ast` and evaluated by a
whitelist walker: only numbers, variable names, parentheses and ``+ - * /`` are allowed,
nothing is ever passed to ``eval``. A division by zero is not an error but "no population":
the result is N/A with the reason, never a number.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from kinerja.core.formatting import format_number

VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
MAX_FORMULA_LENGTH = 500

# The largest magnitude calc takes as an input. Every bound of kinerja.core.bounds lies below it, so
# a value beyond it was written around them (before they existed, or straight into the database).
# Such a value, and anything Decimal cannot compute (overflow, NaN, a huge exponent), gives N/A
# with UNUSABLE as the reason, never an exception: a page then shows the problem where it is.
LIMIT = Decimal(10) ** 15
UNUSABLE = "nilai tidak dapat dihitung"

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    """A formula that cannot be used; the message is for the person who wrote it."""


@dataclass(frozen=True)
class Formula:
    source: str
    tree: ast.expr
    variables: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """A computed value, or N/A with the reason it has no value."""

    value: Decimal | None
    na_reason: str = ""

    @property
    def is_na(self) -> bool:
        return self.value is None


def parse_formula(source: str) -> Formula:
    """Parse and whitelist-check a formula. Raises FormulaError with an Indonesian message."""
    text = (source or "").strip()
    if not text:
        raise FormulaError("Rumus kosong.")
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"Rumus terlalu panjang (lebih dari {MAX_FORMULA_LENGTH} karakter).")
    normalized = text.replace("×", "*").replace("÷", "/").replace(":", "/")
    try:
        module = ast.parse(normalized, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            f"Rumus tidak dapat dibaca di kolom {exc.offset or 1}: periksa tanda kurung dan operator."
        ) from exc
    names: list[str] = []
    _check_node(module.body, names)
    return Formula(source=text, tree=module.body, variables=tuple(dict.fromkeys(names)))


def _check_node(node: ast.AST, names: list[str]) -> None:
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise FormulaError("Operator tidak diizinkan; gunakan hanya + - * / dan tanda kurung.")
        _check_node(node.left, names)
        _check_node(node.right, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        _check_node(node.operand, names)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        if not VARIABLE_NAME.match(node.id):
            raise FormulaError(
                f"Nama variabel '{node.id}' tidak sah: gunakan huruf kapital, misalnya A, B, C."
            )
        names.append(node.id)
    else:
        raise FormulaError(
            "Rumus hanya boleh berisi angka, variabel (A, B, ...), tanda kurung dan + - * /."
        )


def _strip_factors(node: ast.expr) -> ast.expr:
    """The node without multiplications or divisions by constants (A * 100 -> A)."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        if isinstance(node.right, ast.Constant):
            node = node.left
        elif isinstance(node.left, ast.Constant) and isinstance(node.op, ast.Mult):
            node = node.right
        else:
            break
    return node


def _divisions(node: ast.AST):
    for child in ast.walk(node):
        if isinstance(child, ast.BinOp) and isinstance(child.op, ast.Div):
            yield child


def formula_problems(source: str, variables: Mapping[str, str]) -> list[str]:
    """Every reason the formula cannot be used with these variables (symbol -> meaning).

    Empty list when the formula is sound. Catches syntax errors, unknown and unused
    variables, and a numerator identical to its denominator, either literally (``A / A``)
    or through two variables with the same meaning.
    """
    try:
        formula = parse_formula(source)
    except FormulaError as exc:
        return [str(exc)]
    problems: list[str] = []
    unknown = [name for name in formula.variables if name not in variables]
    if unknown:
        problems.append(
            "Variabel tidak dikenal dalam rumus: "
            + ", ".join(unknown)
            + ". Definisikan dulu variabelnya beserta artinya."
        )
    unused = [name for name in variables if name not in formula.variables]
    if unused:
        problems.append(
            "Variabel didefinisikan tetapi tidak dipakai dalam rumus: " + ", ".join(unused) + "."
        )
    meaning = {k: _normalize_text(v) for k, v in variables.items()}
    for div in _divisions(formula.tree):
        top, bottom = _strip_factors(div.left), _strip_factors(div.right)
        if ast.dump(top) == ast.dump(bottom):
            problems.append(
                f"Pembilang dan penyebut rumus sama ({ast.unparse(top)} / {ast.unparse(bottom)}): "
                "hasilnya selalu 100% dan tidak mengukur apa pun."
            )
        elif (
            isinstance(top, ast.Name)
            and isinstance(bottom, ast.Name)
            and meaning.get(top.id)
            and meaning.get(top.id) == meaning.get(bottom.id)
        ):
            problems.append(
                f"Pembilang {top.id} dan penyebut {bottom.id} memiliki arti yang sama "
                f'("{variables[top.id]}"): hasilnya selalu 100%.'
            )
    return problems


def _normalize_text(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def evaluate(formula: Formula | str, values: Mapping[str, Decimal | int | str]) -> Outcome:
    """Evaluate a formula with the given variable values.

    A zero denominator gives N/A ("tidak ada populasi") rather than a number. Missing or
    non-numeric values raise FormulaError naming the variable.
    """
    if isinstance(formula, str):
        formula = parse_formula(formula)
    decimals: dict[str, Decimal] = {}
    for name in formula.variables:
        if name not in values or values[name] is None or values[name] == "":
            raise FormulaError(f"Nilai variabel {name} belum diisi.")
        try:
            decimals[name] = Decimal(str(values[name]))
        except InvalidOperation as exc:
            raise FormulaError(f"Nilai variabel {name} bukan angka: {values[name]!r}.") from exc
        if not decimals[name].is_finite():
            if isinstance(values[name], Decimal):  # a stored NaN/Infinity (PostgreSQL allows NaN)
                return Outcome(None, f"{UNUSABLE}: {name} bukan angka")
            raise FormulaError(f"Nilai variabel {name} bukan angka: {values[name]!r}.")
        if abs(decimals[name]) > LIMIT:
            return Outcome(None, f"{UNUSABLE}: {name} di luar batas")
    try:
        return Outcome(_eval(formula.tree, decimals))
    except _ZeroDenominator as zero:
        return Outcome(None, zero.reason)
    except (ArithmeticError, RecursionError):
        return Outcome(None, UNUSABLE)


class _ZeroDenominator(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def _eval(node: ast.expr, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    left = _eval(node.left, values)
    right = _eval(node.right, values)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if right == 0:
        raise _ZeroDenominator(f"tidak ada populasi ({ast.unparse(node.right)} = 0)")
    return left / right


# --- The realisation as reported -----------------------------------------------------------


class Rounding:
    """How a computed realisation becomes the two-decimal figure that is reported and carried on.

    DOWN cuts after two decimals, as the ministry's reports do: 73 / 78 × 100 = 93,5897… is reported
    as 93,58, and achievement is computed from that reported figure (93,58 / 85 × 100 = 110,09%).
    HALF_UP rounds it instead (93,59 and 110,11%). Achievement and every other figure are shown
    half-up. The rule is a setting (KINERJA_REALISATION_ROUNDING) so that a ministry decision
    changes one line of configuration, not the code.
    """

    DOWN = "down"
    HALF_UP = "half-up"
    CHOICES = (DOWN, HALF_UP)


def reported(outcome: Outcome, rounding: str = Rounding.DOWN) -> Outcome:
    """The realisation at two decimals by the reporting rule; N/A stays N/A with its reason."""
    if outcome.is_na:
        return outcome
    if rounding not in Rounding.CHOICES:
        raise ValueError(f"unknown rounding rule {rounding!r}")
    mode = ROUND_DOWN if rounding == Rounding.DOWN else ROUND_HALF_UP
    try:
        return Outcome(outcome.value.quantize(Decimal("0.01"), rounding=mode))
    except ArithmeticError:
        return Outcome(None, UNUSABLE)


# --- Achievement (capaian) ---------------------------------------------------------------

HUNDRED = Decimal(100)


class LowerRule:
    """How achievement is computed for a lower-is-better indicator; set per indicator, never guessed."""

    INVERSE = "inverse"  # (2 × target − realisation) / target × 100, floored at 0
    RATIO = "ratio"  # target / realisation × 100


@dataclass(frozen=True)
class Achievement:
    """Capaian: the raw figure, the figure after an optional cap, or N/A with the reason."""

    raw: Decimal | None
    capped: Decimal | None
    cap: Decimal | None = None
    na_reason: str = ""

    @property
    def is_na(self) -> bool:
        return self.raw is None

    @property
    def cap_applied(self) -> bool:
        return self.raw is not None and self.capped != self.raw


def achievement(
    realisation: Outcome | Decimal | None,
    target: Decimal | None,
    *,
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
    cap: Decimal | None = None,
) -> Achievement:
    """Achievement of a realisation against its target.

    higher is better: realisation / target × 100. Lower is better: by `lower_rule`. N/A when the
    realisation is N/A (no population) or missing, or when the target is zero or missing. With a cap
    (e.g. 120), the raw figure is kept beside the capped one.
    """
    if isinstance(realisation, Outcome):
        if realisation.is_na:
            return Achievement(None, None, cap, realisation.na_reason)
        realisation = realisation.value
    if realisation is None:
        return Achievement(None, None, cap, "realisasi belum diisi")
    if target is None:
        return Achievement(None, None, cap, "target belum diisi")
    try:
        return _achievement(Decimal(realisation), Decimal(target), direction, lower_rule, cap)
    except ArithmeticError:
        return Achievement(None, None, cap, UNUSABLE)


def _achievement(
    realisation: Decimal, target: Decimal, direction: str, lower_rule: str, cap: Decimal | None
) -> Achievement:
    if (
        not (realisation.is_finite() and target.is_finite())
        or max(abs(realisation), abs(target)) > LIMIT * 1000
    ):
        # The realisation of a ratio may be far larger than any input (A / B × 100 with a tiny B),
        # hence the wider limit here.
        return Achievement(None, None, cap, f"{UNUSABLE}: di luar batas")
    if direction == "higher":
        if target == 0:
            return Achievement(None, None, cap, "target bernilai nol")
        raw = realisation / target * HUNDRED
    elif direction == "lower":
        if lower_rule == LowerRule.INVERSE:
            if target == 0:
                return Achievement(None, None, cap, "target bernilai nol")
            raw = max(Decimal(0), (2 * target - realisation) / target * HUNDRED)
        elif lower_rule == LowerRule.RATIO:
            if realisation == 0:
                return Achievement(
                    None, None, cap, "realisasi nol pada indikator semakin rendah semakin baik"
                )
            raw = target / realisation * HUNDRED
        else:
            raise ValueError(f"unknown lower-is-better rule {lower_rule!r}")
    else:
        raise ValueError(f"unknown direction {direction!r}")
    capped = min(raw, Decimal(cap)) if cap is not None else raw
    return Achievement(raw, capped, cap)


def headcount_target(percent: Decimal, population: int) -> int:
    """A target share of a population as a head count, rounded up: 85% of 78 -> 67 people."""
    exact = Decimal(percent) * Decimal(population) / HUNDRED
    whole = int(exact)
    return whole if exact == whole else whole + 1


def increments_problem(annual_target: Decimal, increments: Mapping[int, Decimal | None]) -> str:
    """Why quarterly target increments do not add up to the annual target; '' when they do."""
    given = {q: v for q, v in increments.items() if v is not None}
    total = sum(given.values(), Decimal(0))
    if total != Decimal(annual_target):
        return (
            f"Jumlah target triwulan ({_fmt(total)}) tidak sama dengan target tahunan "
            f"({_fmt(Decimal(annual_target))}); selisih {_fmt(Decimal(annual_target) - total)}."
        )
    return ""


def computation_text(
    formula: Formula | str,
    values: Mapping[str, Decimal | int | str],
    rounding: str = Rounding.DOWN,
) -> str:
    """The formula with the counts filled in and its reported result: '73 / 78 × 100 = 93,58'."""
    if isinstance(formula, str):
        formula = parse_formula(formula)
    outcome = reported(evaluate(formula, values), rounding)
    substituted = _Substitute({k: Decimal(str(v)) for k, v in values.items()}).visit(
        ast.parse(ast.unparse(formula.tree), mode="eval")
    )
    text = ast.unparse(substituted).replace("*", "×")
    text = re.sub(r"\b(\d+)\.(\d+)\b", r"\1,\2", text)
    if outcome.is_na:
        return f"{text} = N/A ({outcome.na_reason})"
    return f"{text} = {_fmt(outcome.value)}"


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: Mapping[str, Decimal]):
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.AST:
        # The exact decimal text, not a float: unparse prints a Name's id verbatim.
        return ast.Name(id=format(self.values[node.id].normalize(), "f"))


def _fmt(value: Decimal) -> str:
    return format_number(value, 2)


def ratio_pairs(formula: Formula | str) -> list[tuple[str, str]]:
    """(numerator, denominator) variable pairs of the plain ratios in a formula: A / B * 100 -> [(A, B)].

    In the catalogue such a pair counts part of a population against the population, so the
    numerator can never exceed the denominator.
    """
    if isinstance(formula, str):
        formula = parse_formula(formula)
    pairs = []
    for div in _divisions(formula.tree):
        top, bottom = _strip_factors(div.left), _strip_factors(div.right)
        if isinstance(top, ast.Name) and isinstance(bottom, ast.Name):
            pairs.append((top.id, bottom.id))
    return pairs


def achievement_text(
    realisation: Decimal,
    target: Decimal,
    result: Achievement,
    *,
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
) -> str:
    """How the achievement was computed, in figures: '93,58 / 85 × 100 = 110,09%'."""
    if result.is_na:
        return f"N/A ({result.na_reason})"
    r, t = _fmt_plain(realisation), _fmt_plain(target)
    if direction == "higher":
        text = f"{r} / {t} × 100 = {_fmt(result.raw)}%"
    elif lower_rule == LowerRule.INVERSE:
        text = f"(2 × {t} − {r}) / {t} × 100 = {_fmt(result.raw)}%"
    else:
        text = f"{t} / {r} × 100 = {_fmt(result.raw)}%"
    if result.cap_applied:
        text += f" (dibatasi {_fmt_plain(result.cap)}%: {_fmt(result.capped)}%)"
    return text


def _fmt_plain(value: Decimal) -> str:
    """Two decimals as shown, without a ',00' tail: 85 -> '85', 93.58 -> '93,58'."""
    return format_number(value, 2, trim=True)


@dataclass(frozen=True)
class QuarterFigure:
    """One quarter of an indicator: cumulative realisation, its increment over the previous quarter,
    the planned target increment, and quarterly achievement = realised increment / target increment × 100."""

    quarter: int
    cumulative: Decimal | None
    increment: Decimal | None
    target_increment: Decimal | None
    achievement: Decimal | None
    na_reason: str = ""


def quarter_figures(
    cumulative: Mapping[int, Outcome | None], target_increments: Mapping[int, Decimal | None]
) -> list[QuarterFigure]:
    """Quarterly figures from year-to-date outcomes (TW I-IV). A quarter without data, or with N/A,
    has no increment; the next quarter's increment is then counted from the last known value."""
    figures = []
    previous = Decimal(0)
    for quarter in (1, 2, 3, 4):
        outcome = cumulative.get(quarter)
        target = target_increments.get(quarter)
        if outcome is None or outcome.is_na:
            reason = outcome.na_reason if outcome is not None else "belum diisi"
            figures.append(QuarterFigure(quarter, None, None, target, None, reason))
            continue
        increment = outcome.value - previous
        previous = outcome.value
        if target is not None and not (
            Decimal(target).is_finite() and abs(Decimal(target)) <= LIMIT
        ):
            figures.append(
                QuarterFigure(quarter, outcome.value, increment, None, None, f"{UNUSABLE}")
            )
            continue
        if target is None or target == 0:
            figures.append(
                QuarterFigure(
                    quarter,
                    outcome.value,
                    increment,
                    target,
                    None,
                    "target triwulan tidak diisi" if target is None else "target triwulan nol",
                )
            )
        else:
            figures.append(
                QuarterFigure(
                    quarter, outcome.value, increment, target, increment / target * HUNDRED
                )
            )
    return figures


# --- Budget (anggaran) -------------------------------------------------------------------------


def absorption(realised: Decimal, pagu: Decimal) -> Decimal | None:
    """Penyerapan: realised / pagu × 100; None (N/A) when there is no pagu."""
    pagu, realised = Decimal(pagu), Decimal(realised)
    if pagu == 0:
        return None
    return realised / pagu * HUNDRED


def efficiency(achievement: Decimal | None, absorption: Decimal | None) -> Decimal | None:
    """Efisiensi as the annual reports discuss it: achievement minus absorption, in percentage
    points (positive: more result than the share of money spent). N/A when either is N/A."""
    if achievement is None or absorption is None:
        return None
    return Decimal(achievement) - Decimal(absorption)


def deviation(planned: Decimal, realised: Decimal) -> Decimal:
    """Deviation of a month's realised spending from its plan (RPD), in percent of the plan, at most
    100: |realised − planned| / planned × 100. Nothing planned and nothing spent is no deviation;
    spending where nothing was planned is full deviation."""
    planned, realised = Decimal(planned), Decimal(realised)
    if planned == 0:
        return Decimal(0) if realised == 0 else HUNDRED
    return min(HUNDRED, abs(realised - planned) / planned * HUNDRED)


def weighted_mean(pairs) -> Decimal | None:
    """Σ value × weight / Σ weight over (value, weight) pairs whose value is known; None if none is."""
    known = [(Decimal(v), Decimal(w)) for v, w in pairs if v is not None and Decimal(w) > 0]
    total = sum((w for _, w in known), Decimal(0))
    if total == 0:
        return None
    return sum((v * w for v, w in known), Decimal(0)) / total


def budget_performance(
    smart: Decimal | None, ikpa: Decimal | None, weights: Mapping[str, Decimal]
) -> Decimal | None:
    """Capaian Kinerja Anggaran = weight × SMART + weight × IKPA (60/40 by the ministry's rule, the
    weights come from data). N/A unless both scores are known."""
    if smart is None or ikpa is None:
        return None
    total = Decimal(weights["smart"]) + Decimal(weights["ikpa"])
    return (
        Decimal(smart) * Decimal(weights["smart"]) + Decimal(ikpa) * Decimal(weights["ikpa"])
    ) / total


@dataclass(frozen=True)
class IkpaEstimate:
    """The IKPA components a facility can compute from its own data, and their weighted score."""

    absorption: Decimal | None  # Penyerapan Anggaran: mean over completed quarters
    absorption_quarters: dict  # quarter -> score
    deviation: Decimal | None  # Deviasi Halaman III DIPA: 100 − mean monthly weighted deviation
    deviation_months: dict  # month -> weighted deviation %
    score: Decimal | None  # weighted by the components' weights, over the components computed
    weight_covered: Decimal  # how much of the full IKPA weight the estimate covers
    reason: str = ""


def ikpa_estimate(
    *,
    available: Mapping[str, Decimal],
    planned: Mapping[str, Mapping[int, Decimal]],
    realised: Mapping[str, Mapping[int, Decimal]],
    targets: Mapping[str, Mapping[int, Decimal]],
    weights: Mapping[str, Decimal],
    through_month: int,
) -> IkpaEstimate:
    """Estimate IKPA from the facility's own monthly data, up to and including `through_month`.

    available: pagu minus blokir per spending type ('51', '52', '53'); planned/realised: monthly
    amounts per type; targets: cumulative absorption target in percent per type and quarter;
    weights: component weights ('penyerapan', 'deviasi', and the others, for the coverage figure).

    Penyerapan: per completed quarter, per type min(100, cumulative realised / (target% × available)
    × 100), weighted by available pagu; then the mean over completed quarters. Deviasi: per month,
    per type deviation(planned, realised) weighted by available pagu; the component is 100 minus the
    mean over the months. Types without available pagu are left out.
    """
    types = [t for t, amount in available.items() if Decimal(amount) > 0]
    if not types:
        return IkpaEstimate(None, {}, None, {}, None, Decimal(0), "pagu belum diisi")
    if not any(Decimal(v) for t in types for v in planned.get(t, {}).values()):
        return IkpaEstimate(None, {}, None, {}, None, Decimal(0), "RPD bulanan belum diisi")
    quarters: dict[int, Decimal] = {}
    for quarter in (1, 2, 3, 4):
        if 3 * quarter > through_month:
            break
        scores = []
        for t in types:
            target = targets.get(t, {}).get(quarter)
            if target is None or Decimal(target) == 0:
                continue
            spent = sum(
                (Decimal(v) for m, v in realised.get(t, {}).items() if m <= 3 * quarter), Decimal(0)
            )
            due = Decimal(target) * Decimal(available[t]) / HUNDRED
            scores.append((min(HUNDRED, spent / due * HUNDRED), available[t]))
        value = weighted_mean(scores)
        if value is not None:
            quarters[quarter] = value
    months: dict[int, Decimal] = {}
    for month in range(1, through_month + 1):
        months[month] = weighted_mean(
            (
                deviation(planned.get(t, {}).get(month, 0), realised.get(t, {}).get(month, 0)),
                available[t],
            )
            for t in types
        )
    absorption_score = sum(quarters.values(), Decimal(0)) / len(quarters) if quarters else None
    deviation_score = HUNDRED - sum(months.values(), Decimal(0)) / len(months) if months else None
    parts = [(absorption_score, weights["penyerapan"]), (deviation_score, weights["deviasi"])]
    covered = sum((Decimal(w) for v, w in parts if v is not None), Decimal(0))
    full = sum((Decimal(w) for w in weights.values()), Decimal(0))
    reason = "" if quarters else "belum ada triwulan yang selesai untuk komponen penyerapan"
    return IkpaEstimate(
        absorption_score,
        quarters,
        deviation_score,
        months,
        weighted_mean(parts),
        covered / full * HUNDRED if full else Decimal(0),
        reason,
    )
