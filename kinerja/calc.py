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
import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from kinerja.core.formatting import TRIWULAN, format_number

VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
MAX_FORMULA_LENGTH = 500

# The largest magnitude calc takes as an input. Every bound of kinerja.core.bounds lies below it, so
# a value beyond it was written around them (before they existed, or straight into the database).
# Such a value, and anything Decimal cannot compute (overflow, NaN, a huge exponent), gives N/A
# with UNUSABLE as the reason, never an exception: a page then shows the problem where it is.
LIMIT = Decimal(10) ** 15
UNUSABLE = "nilai tidak dapat dihitung"

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class Problem(StrEnum):
    """What is wrong with a formula: a stable code for logic, beside the message for people."""

    EMPTY = "empty"
    TOO_LONG = "too-long"
    SYNTAX = "syntax"
    OPERATOR = "operator"
    VARIABLE_NAME = "variable-name"
    ELEMENT = "element"
    UNKNOWN_VARIABLE = "unknown-variable"
    UNUSED_VARIABLE = "unused-variable"
    SAME_NUMERATOR_DENOMINATOR = "same-numerator-denominator"
    SAME_MEANING = "same-meaning"


# The problems about the formula's own text, whatever variables are defined for it.
SYNTAX_PROBLEMS = frozenset(
    {
        Problem.EMPTY,
        Problem.TOO_LONG,
        Problem.SYNTAX,
        Problem.OPERATOR,
        Problem.VARIABLE_NAME,
        Problem.ELEMENT,
    }
)
# The problems that make a formula always give 100%.
SAME_PARTS = frozenset({Problem.SAME_NUMERATOR_DENOMINATOR, Problem.SAME_MEANING})


@dataclass(frozen=True)
class FormulaProblem:
    """One reason a formula cannot be used: `code` for logic, `message` (Indonesian) for people."""

    code: Problem
    message: str

    def __str__(self) -> str:
        return self.message


class FormulaError(ValueError):
    """A formula that cannot be used; the message is for the person who wrote it."""

    def __init__(self, message: str, code: Problem = Problem.SYNTAX):
        super().__init__(message)
        self.code = code


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
    """Parse and whitelist-check a formula. Raises FormulaError with an Indonesian message.

    Parsed once per text (a national roll-up evaluates the same 28 formulas for every facility);
    the parsed tree is never changed by its users, and an error is not cached."""
    return _parse_formula(source or "")


@functools.lru_cache(maxsize=1024)
def _parse_formula(source: str) -> Formula:
    text = (source or "").strip()
    if not text:
        raise FormulaError("Rumus kosong.", Problem.EMPTY)
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            f"Rumus terlalu panjang (lebih dari {MAX_FORMULA_LENGTH} karakter).", Problem.TOO_LONG
        )
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
            raise FormulaError(
                "Operator tidak diizinkan; gunakan hanya + - * / dan tanda kurung.",
                Problem.OPERATOR,
            )
        _check_node(node.left, names)
        _check_node(node.right, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        _check_node(node.operand, names)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        if not VARIABLE_NAME.match(node.id):
            raise FormulaError(
                f"Nama variabel '{node.id}' tidak sah: gunakan huruf kapital, misalnya A, B, C.",
                Problem.VARIABLE_NAME,
            )
        names.append(node.id)
    else:
        raise FormulaError(
            "Rumus hanya boleh berisi angka, variabel (A, B, ...), tanda kurung dan + - * /.",
            Problem.ELEMENT,
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


def _divisions(node: ast.AST) -> Iterator[ast.BinOp]:
    for child in ast.walk(node):
        if isinstance(child, ast.BinOp) and isinstance(child.op, ast.Div):
            yield child


def formula_problems(source: str, variables: Mapping[str, str]) -> list[FormulaProblem]:
    """Every reason the formula cannot be used with these variables (symbol -> meaning).

    Empty list when the formula is sound. Catches syntax errors, unknown and unused
    variables, and a numerator identical to its denominator, either literally (``A / A``)
    or through two variables with the same meaning. Each problem has a stable `code`.
    """
    try:
        formula = parse_formula(source)
    except FormulaError as exc:
        return [FormulaProblem(exc.code, str(exc))]
    problems: list[FormulaProblem] = []
    unknown = [name for name in formula.variables if name not in variables]
    if unknown:
        problems.append(
            FormulaProblem(
                Problem.UNKNOWN_VARIABLE,
                "Variabel tidak dikenal dalam rumus: "
                + ", ".join(unknown)
                + ". Definisikan dulu variabelnya beserta artinya.",
            )
        )
    unused = [name for name in variables if name not in formula.variables]
    if unused:
        problems.append(
            FormulaProblem(
                Problem.UNUSED_VARIABLE,
                "Variabel didefinisikan tetapi tidak dipakai dalam rumus: "
                + ", ".join(unused)
                + ".",
            )
        )
    meaning = {k: _normalize_text(v) for k, v in variables.items()}
    for div in _divisions(formula.tree):
        top, bottom = _strip_factors(div.left), _strip_factors(div.right)
        if ast.dump(top) == ast.dump(bottom):
            problems.append(
                FormulaProblem(
                    Problem.SAME_NUMERATOR_DENOMINATOR,
                    f"Pembilang dan penyebut rumus sama ({ast.unparse(top)} / {ast.unparse(bottom)}): "
                    "hasilnya selalu 100% dan tidak mengukur apa pun.",
                )
            )
        elif (
            isinstance(top, ast.Name)
            and isinstance(bottom, ast.Name)
            and meaning.get(top.id)
            and meaning.get(top.id) == meaning.get(bottom.id)
        ):
            problems.append(
                FormulaProblem(
                    Problem.SAME_MEANING,
                    f"Pembilang {top.id} dan penyebut {bottom.id} memiliki arti yang sama "
                    f'("{variables[top.id]}"): hasilnya selalu 100%.',
                )
            )
    return problems


def formula_variables(formula: Formula | str) -> tuple[str, ...]:
    """The variables a formula uses, in order; none when the formula cannot be read."""
    if isinstance(formula, Formula):
        return formula.variables
    try:
        return parse_formula(formula).variables
    except FormulaError:
        return ()


def is_complete(formula: Formula | str, values: Mapping[str, object]) -> bool:
    """Whether a period's values give the formula's figure: every variable the formula uses has a
    value. A formula that cannot be read, or uses no variable, is never complete. This is the one
    rule for "the period has complete values", for pages, documents and the review alike."""
    needed = formula_variables(formula)
    if not needed:
        return False
    for name in needed:
        value = values.get(name)
        # None or an empty text is missing; compared by type first (a Decimal compared with ""
        # is slow, and a national roll-up asks this for every facility and IKK).
        if value is None or (type(value) is str and value == ""):
            return False
    return True


def is_count(formula: Formula | str) -> bool:
    """A count indicator: the formula is one variable (A), so its realisation is the count itself
    and only the achievement step is worth showing."""
    try:
        tree = formula.tree if isinstance(formula, Formula) else parse_formula(formula).tree
    except FormulaError:
        return False
    return isinstance(tree, ast.Name)


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
            value = values[name]
            decimals[name] = value if type(value) is Decimal else Decimal(str(value))
        except InvalidOperation as exc:
            raise FormulaError(f"Nilai variabel {name} bukan angka: {values[name]!r}.") from exc
        if not decimals[name].is_finite():
            if isinstance(values[name], Decimal):  # a stored NaN/Infinity (PostgreSQL allows NaN)
                return Outcome(None, f"{UNUSABLE}: {name} bukan angka")
            raise FormulaError(f"Nilai variabel {name} bukan angka: {values[name]!r}.")
        if abs(decimals[name]) > LIMIT:
            return Outcome(None, f"{UNUSABLE}: {name} di luar batas")
    try:
        return Outcome(_compiled(formula.source, formula.tree)(decimals))
    except _ZeroDenominator as zero:
        return Outcome(None, zero.reason)
    except (ArithmeticError, RecursionError):
        return Outcome(None, UNUSABLE)


class _ZeroDenominator(Exception):
    def __init__(self, reason: str):
        self.reason = reason


_Compiled = Callable[[Mapping[str, Decimal]], Decimal]
_COMPILED: dict[str, _Compiled] = {}


def _compiled(source: str, tree: ast.expr) -> _Compiled:
    """The formula as nested closures, built once per text: `+ - * /` on Decimals, left before
    right, a zero denominator raising with the reason that names it ("tidak ada populasi (B = 0)"),
    so the tree is not walked again for each of the ~20,000 figures of a national roll-up."""
    function = _COMPILED.get(source)
    if function is None:
        if len(_COMPILED) > 1024:
            _COMPILED.clear()
        function = _COMPILED[source] = _compile(tree)
    return function


def _compile(node: ast.expr) -> _Compiled:
    if isinstance(node, ast.Constant):
        constant = Decimal(str(node.value))
        return lambda values: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda values: values[name]
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda values: -operand(values)
        return operand
    assert isinstance(node, ast.BinOp)
    left, right = _compile(node.left), _compile(node.right)
    if isinstance(node.op, ast.Add):
        return lambda values: left(values) + right(values)
    if isinstance(node.op, ast.Sub):
        return lambda values: left(values) - right(values)
    if isinstance(node.op, ast.Mult):
        return lambda values: left(values) * right(values)
    reason = f"tidak ada populasi ({ast.unparse(node.right)} = 0)"

    def divide(values: Mapping[str, Decimal]) -> Decimal:
        top = left(values)
        bottom = right(values)
        if bottom == 0:
            raise _ZeroDenominator(reason)
        return top / bottom

    return divide


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
    if outcome.value is None:  # N/A
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


class StepKind(StrEnum):
    REALISATION = "realisasi"
    ACHIEVEMENT = "capaian"


@dataclass(frozen=True)
class Step:
    """One step of how a figure was computed, as data: the expression with the figures filled in
    ('73 / 78 × 100'), its result (None: N/A with the reason) and the unit written after it. The
    text is made from it at the edge (`text`, `steps_text`)."""

    kind: StepKind
    expression: str
    result: Decimal | None
    unit: str = ""
    na_reason: str = ""
    cap: Decimal | None = None
    capped: Decimal | None = None

    @property
    def text(self) -> str:
        if self.result is None:
            na = f"N/A ({self.na_reason})"
            return f"{self.expression} = {na}" if self.expression else na
        text = f"{self.expression} = {_fmt(self.result)}{self.unit}"
        if self.cap is not None and self.capped is not None and self.capped != self.result:
            text += f" (dibatasi {_fmt_plain(self.cap)}%: {_fmt(self.capped)}%)"
        return text


def steps_text(steps: Sequence[Step]) -> str:
    """The steps as one line: '73 / 78 × 100 = 93,58%; 93,58 / 85 × 100 = 110,09%'."""
    return "; ".join(step.text for step in steps)


def realisation_step(
    formula: Formula | str,
    values: Mapping[str, Decimal | int | str],
    rounding: str = Rounding.DOWN,
    unit: str = "",
) -> Step:
    """The formula with the counts filled in and its reported result."""
    if isinstance(formula, str):
        formula = parse_formula(formula)
    outcome = reported(evaluate(formula, values), rounding)
    substituted = _Substitute({k: Decimal(str(v)) for k, v in values.items()}).visit(
        ast.parse(ast.unparse(formula.tree), mode="eval")
    )
    text = ast.unparse(substituted).replace("*", "×")
    text = re.sub(r"\b(\d+)\.(\d+)\b", r"\1,\2", text)
    return Step(StepKind.REALISATION, text, outcome.value, unit, outcome.na_reason)


def computation_text(
    formula: Formula | str,
    values: Mapping[str, Decimal | int | str],
    rounding: str = Rounding.DOWN,
) -> str:
    """The formula with the counts filled in and its reported result: '73 / 78 × 100 = 93,58'."""
    return realisation_step(formula, values, rounding).text


def computation_steps(
    formula: Formula | str,
    values: Mapping[str, Decimal | int | str],
    target: Decimal | None,
    result: Achievement | None,
    *,
    rounding: str = Rounding.DOWN,
    target_unit: str = "%",
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
) -> list[Step]:
    """How a year's figure was computed: the realisation step (left out for a count indicator,
    whose realisation is the count itself) and, when the realisation is a number and there is a
    target, the achievement step."""
    step = realisation_step(formula, values, rounding, "%" if target_unit == "%" else "")
    steps = [] if is_count(formula) else [step]
    if step.result is None:
        return steps
    if target is not None and result is not None:
        steps.append(
            achievement_step(
                step.result, target, result, direction=direction, lower_rule=lower_rule
            )
        )
    return steps


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


def achievement_step(
    realisation: Decimal,
    target: Decimal,
    result: Achievement,
    *,
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
) -> Step:
    """How the achievement was computed, as a step: '93,58 / 85 × 100' = 110,09%."""
    if result.is_na:
        return Step(StepKind.ACHIEVEMENT, "", None, "%", result.na_reason)
    r, t = _fmt_plain(realisation), _fmt_plain(target)
    if direction == "higher":
        expression = f"{r} / {t} × 100"
    elif lower_rule == LowerRule.INVERSE:
        expression = f"(2 × {t} − {r}) / {t} × 100"
    else:
        expression = f"{t} / {r} × 100"
    return Step(StepKind.ACHIEVEMENT, expression, result.raw, "%", "", result.cap, result.capped)


def achievement_text(
    realisation: Decimal,
    target: Decimal,
    result: Achievement,
    *,
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
) -> str:
    """How the achievement was computed, in figures: '93,58 / 85 × 100 = 110,09%'."""
    return achievement_step(
        realisation, target, result, direction=direction, lower_rule=lower_rule
    ).text


def _fmt_plain(value: Decimal) -> str:
    """Two decimals as shown, without a ',00' tail: 85 -> '85', 93.58 -> '93,58'."""
    return format_number(value, 2, trim=True)


@dataclass(frozen=True)
class YearFigure:
    """The year's figure so far: the latest period whose values are complete (its index in the
    periods given), its reported realisation and its achievement. Nothing recorded: all None."""

    period: int | None
    realisation: Outcome | None
    achievement: Achievement | None


def year_figure(
    formula: Formula | str,
    periods: Sequence[Mapping[str, Decimal]],
    target: Decimal | None,
    *,
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
    cap: Decimal | None = None,
    rounding: str = Rounding.DOWN,
) -> YearFigure:
    """The year's figure from the values of each period, oldest first (the values are cumulative,
    so the latest complete period gives the year so far). The one rule for every output."""
    latest = None
    for index, values in enumerate(periods):
        if is_complete(formula, values):
            latest = index
    if latest is None:
        return YearFigure(None, None, None)
    outcome = reported(evaluate(formula, periods[latest]), rounding)
    result = achievement(outcome, target, direction=direction, lower_rule=lower_rule, cap=cap)
    return YearFigure(latest, outcome, result)


def target_reached(result: Achievement | None) -> bool:
    """Whether an achievement reaches its target: a number of at least 100% (after the cap, which
    never lowers a figure below 100). N/A or nothing recorded is never reached."""
    return verdict(result) in (Verdict.EXCEEDED, Verdict.MET)


NOT_FILLED = "belum diisi"


@dataclass(frozen=True)
class QuarterFigure:
    """One quarter of an indicator: cumulative realisation, its increment over the previous quarter,
    the planned target increment, and quarterly achievement = realised increment / target increment × 100.

    A quarter without values has no figure ("belum diisi"), never zero; a quarter whose previous
    quarter has no figure has a cumulative realisation but no increment and no achievement, with the
    reason."""

    quarter: int
    cumulative: Decimal | None
    increment: Decimal | None
    target_increment: Decimal | None
    achievement: Decimal | None
    na_reason: str = ""

    @property
    def filled(self) -> bool:
        return self.cumulative is not None


def quarter_figures(
    cumulative: Mapping[int, Outcome | None], target_increments: Mapping[int, Decimal | None]
) -> list[QuarterFigure]:
    """Quarterly figures from year-to-date outcomes (TW I-IV).

    increment(q) = cumulative(q) − cumulative(q − 1), with cumulative(0) = 0. A quarter without
    values is "belum diisi"; a quarter with N/A keeps its reason. When the previous quarter has no
    number, the increment cannot be computed and is N/A with the reason ("TW III belum diisi,
    kenaikan TW IV tidak dapat dihitung"), never counted from an older quarter."""
    figures = []
    previous: Outcome | None = Outcome(Decimal(0))
    for quarter in (1, 2, 3, 4):
        outcome = cumulative.get(quarter)
        target = target_increments.get(quarter)
        before, previous = previous, outcome
        if outcome is None or outcome.value is None:  # belum diisi or N/A
            reason = outcome.na_reason if outcome is not None else NOT_FILLED
            figures.append(QuarterFigure(quarter, None, None, target, None, reason))
            continue
        if before is None or before.value is None:
            state = NOT_FILLED if before is None else "N/A"
            figures.append(
                QuarterFigure(
                    quarter,
                    outcome.value,
                    None,
                    target,
                    None,
                    f"{TRIWULAN[quarter - 1]} {state}, kenaikan {TRIWULAN[quarter]} "
                    "tidak dapat dihitung",
                )
            )
            continue
        increment = outcome.value - before.value
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


# --- Quarter labels --------------------------------------------------------------------------

# 'TW IV', 'Triwulan 3', 'Trw. II', 'TW-I': the one pattern for a quarter named in a text or a cell.
_QUARTER_LABEL = r"(?:TW|TRIWULAN|TRW)\s*[-.]?\s*(IV|III|II|I|[1-4])"
QUARTER_CELL = re.compile(rf"^{_QUARTER_LABEL}\.?$", re.IGNORECASE)
QUARTER_IN_TEXT = re.compile(rf"\b{_QUARTER_LABEL}\b", re.IGNORECASE)
_QUARTER_NUMBER = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def quarter_of(label: str) -> int | None:
    """The quarter a cell names on its own ('TW III' -> 3); None when it is not a quarter label."""
    match = QUARTER_CELL.match(" ".join((label or "").split()))
    return _QUARTER_NUMBER[match.group(1).upper()] if match else None


def quarters_named(text: str) -> set[int]:
    """Every quarter a free text names ('s.d. TW III' -> {3})."""
    return {_QUARTER_NUMBER[m.upper()] for m in QUARTER_IN_TEXT.findall(text or "")}


# --- Results over the years, staff ----------------------------------------------------------


class Verdict(StrEnum):
    """What an achievement says about its target: exceeded, met, missed, or not measurable."""

    EXCEEDED = "lebih"
    MET = "tepat"
    MISSED = "kurang"
    NA = "na"


# The members bound once: reading an Enum member through its class costs a lookup each time,
# and the roll-up judges some 20 000 figures per page.
_EXCEEDED, _MET, _MISSED, _VERDICT_NA = Verdict.EXCEEDED, Verdict.MET, Verdict.MISSED, Verdict.NA


def verdict(result: Achievement | None) -> Verdict:
    """The one rule for "target reached": the (capped) achievement is at least 100%."""
    if result is None or result.raw is None or result.capped is None:
        return _VERDICT_NA
    if result.capped > HUNDRED:
        return _EXCEEDED
    if result.capped == HUNDRED:
        return _MET
    return _MISSED


class Trend(StrEnum):
    UP = "naik"
    DOWN = "turun"
    SAME = "tetap"


@dataclass(frozen=True)
class Change:
    """Year-on-year change of a percentage, in points."""

    delta: Decimal
    trend: Trend


def year_change(now: Decimal | None, before: Decimal | None) -> Change | None:
    """now − before in points, and whether it rose; None when either year has no figure."""
    if now is None or before is None:
        return None
    delta = Decimal(now) - Decimal(before)
    trend = Trend.UP if delta > 0 else Trend.DOWN if delta < 0 else Trend.SAME
    return Change(delta, trend)


@dataclass(frozen=True)
class StaffTotals:
    """The totals a staff report gives: as stated, by sex (men + women) and by rank."""

    stated: int | None
    by_sex: int | None
    by_rank: int | None

    @property
    def known(self) -> list[tuple[str, int]]:
        figures = [
            ("jumlah tertulis", self.stated),
            ("rincian per golongan", self.by_rank),
            ("menurut jenis kelamin", self.by_sex),
        ]
        return [(label, value) for label, value in figures if value is not None]

    @property
    def consistent(self) -> bool:
        return len({value for _, value in self.known}) <= 1


def staff_totals(
    stated: int | None, men: int | None, women: int | None, ranks: Sequence[int]
) -> StaffTotals:
    """The staff totals, compared by one rule: every total given must be the same number."""
    return StaffTotals(
        stated,
        men + women if men is not None and women is not None else None,
        sum(ranks) if ranks else None,
    )


# --- Budget (anggaran) -------------------------------------------------------------------------


def available(pagu: Decimal | None, blocked: Decimal | None) -> Decimal:
    """Pagu that may be spent: pagu minus blokir (no pagu: nothing)."""
    return Decimal(pagu or 0) - Decimal(blocked or 0)


def overspent(realised: Decimal, pagu: Decimal | None, blocked: Decimal | None = None) -> Decimal:
    """How much the realisation exceeds the pagu minus blokir; zero when within it."""
    return max(Decimal(0), Decimal(realised) - available(pagu, blocked))


# The tolerance of "the RPD adds up to the pagu": none. Money is counted in whole rupiah.
RPD_TOLERANCE = Decimal(0)


def rpd_difference(rpd: Mapping[int, Decimal | None], pagu: Decimal | None) -> Decimal | None:
    """RPD total minus pagu when they differ beyond the tolerance (positive: more planned than the
    pagu); None when they agree or there is no pagu. A quarter without RPD counts as zero."""
    if pagu is None:
        return None
    total = sum((Decimal(v) for v in rpd.values() if v is not None), Decimal(0))
    difference = total - Decimal(pagu)
    return difference if abs(difference) > RPD_TOLERANCE else None


# Two activity names this similar (difflib ratio of their keys) with the same pagu are one activity.
SAME_ACTIVITY_SIMILARITY = 0.9


def activity_key(name: str) -> str:
    """An activity name for comparing: lower case, numbering, punctuation and a leading 'kegiatan'
    removed."""
    text = re.sub(r"^\s*\d+\s*[.)]\s*", "", name or "")
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
    return text.removeprefix("kegiatan ").strip()


def same_activity(
    name: str, pagu: Decimal | None, other_name: str, other_pagu: Decimal | None
) -> bool:
    """Whether two activity rows are one activity: the same name, or a close name (at least
    SAME_ACTIVITY_SIMILARITY) with the same, non-zero pagu. The importer merges such rows and the
    review reports saved ones as counted twice, by this one rule."""
    key, other = activity_key(name), activity_key(other_name)
    if key == other:
        return True
    similar = difflib.SequenceMatcher(None, key, other).ratio() >= SAME_ACTIVITY_SIMILARITY
    return similar and bool(pagu) and pagu == other_pagu


def performance_shares(weights: Mapping[str, Decimal]) -> tuple[Decimal, Decimal]:
    """The shares (percent) of SMART and IKPA in Capaian Kinerja Anggaran, from the weights data."""
    smart, ikpa = Decimal(weights["smart"]), Decimal(weights["ikpa"])
    total = smart + ikpa
    return smart / total * HUNDRED, ikpa / total * HUNDRED


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


def weighted_mean(
    pairs: Iterable[tuple[Decimal | int | None, Decimal | int]],
) -> Decimal | None:
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


def rate(part: int, whole: int) -> Decimal | None:
    """A share of facilities in percent (reporting rate, on-time rate): part / whole × 100 from the
    counts, never a mean of percentages; None (N/A) when there is no facility to count."""
    if whole == 0:
        return None
    return Decimal(part) / Decimal(whole) * HUNDRED


class Timeliness(StrEnum):
    """A quarter report's timeliness against its region's entry window (masa pengisian)."""

    ON_TIME = "tepat"  # first submitted on or before the day the window closes
    LATE = "terlambat"  # first submitted after it (days late)
    OVERDUE = "lewat"  # not submitted and the window has closed (days late until today)
    OPEN = "berjalan"  # not submitted and the window has not closed yet
    NO_WINDOW = "tanpa"  # the region set no window for the quarter

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self]


TIMELINESS_LABELS = {
    Timeliness.ON_TIME: "Tepat waktu",
    Timeliness.LATE: "Terlambat",
    Timeliness.OVERDUE: "Belum diajukan, lewat batas",
    Timeliness.OPEN: "Belum jatuh tempo",
    Timeliness.NO_WINDOW: "Batas belum ditetapkan",
}


def timeliness(
    first_submitted: dt.date | None, closes: dt.date | None, today: dt.date
) -> tuple[Timeliness, int | None]:
    """The timeliness of a quarter report and the days late: the first submission's date (the
    facility's local date) against the day the entry window closes; not submitted, against the
    facility's today. Days late count from the day after the closing day."""
    if first_submitted is not None:
        if closes is None:
            return Timeliness.NO_WINDOW, None
        days = (first_submitted - closes).days
        return (Timeliness.LATE, days) if days > 0 else (Timeliness.ON_TIME, None)
    if closes is None:
        return Timeliness.NO_WINDOW, None
    days = (today - closes).days
    return (Timeliness.OVERDUE, days) if days > 0 else (Timeliness.OPEN, None)


@dataclass(frozen=True)
class IkpaEstimate:
    """The IKPA components a facility can compute from its own data, and their weighted score."""

    absorption: Decimal | None  # Penyerapan Anggaran: mean over completed quarters
    absorption_quarters: dict[int, Decimal]  # quarter -> score
    deviation: Decimal | None  # Deviasi Halaman III DIPA: 100 − mean monthly weighted deviation
    deviation_months: dict[int, Decimal]  # month -> weighted deviation %
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
        # Never None: every type in `types` has available pagu above zero.
        mean = weighted_mean(
            (
                deviation(
                    planned.get(t, {}).get(month, Decimal(0)),
                    realised.get(t, {}).get(month, Decimal(0)),
                ),
                available[t],
            )
            for t in types
        )
        if mean is not None:
            months[month] = mean
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


# --- Aggregation above the facility (Kanwil, directorate) ------------------------------------------


class Aggregation(StrEnum):
    """How the catalogue says an indicator adds up across facilities."""

    SUM = "sum"  # every variable summed, the formula on the sums (ΣA / ΣB × 100); count targets add up
    MEAN = "mean"  # the mean of the facilities' figures (an index such as a survey score)
    NONE = "none"  # not aggregated: only how many facilities achieved, missed, …


AGGREGATION_LABELS = {
    Aggregation.SUM: "jumlah (ΣA / ΣB)",
    Aggregation.MEAN: "rata-rata nilai UPT",
    Aggregation.NONE: "tidak diagregasi",
}


class Standing(StrEnum):
    """Where one facility stands on one indicator."""

    ACHIEVED = "tercapai"
    NEARLY = "hampir"
    MISSED = "tidak"
    NA = "na"
    NOT_REPORTED = "belum"

    @property
    def label(self) -> str:
        return STANDING_LABELS[self]


STANDING_LABELS = {
    Standing.ACHIEVED: "Tercapai",
    Standing.NEARLY: "Hampir tercapai",
    Standing.MISSED: "Tidak tercapai",
    Standing.NA: "N/A",
    Standing.NOT_REPORTED: "Belum melapor",
}


_ACHIEVED, _NEARLY, _STANDING_MISSED = Standing.ACHIEVED, Standing.NEARLY, Standing.MISSED
_STANDING_NA, _NOT_REPORTED = Standing.NA, Standing.NOT_REPORTED


def standing(result: Achievement | None, recorded: bool, nearly: Decimal) -> Standing:
    """A facility's standing: nothing complete recorded → not reported; N/A (no population, no
    target) → N/A, never achieved; ≥ 100% → achieved (the one `verdict` rule); ≥ `nearly` → nearly;
    else missed."""
    if not recorded:
        return _NOT_REPORTED
    judged = verdict(result)
    if judged is _VERDICT_NA:
        return _STANDING_NA
    if judged is _EXCEEDED or judged is _MET:
        return _ACHIEVED
    assert result is not None and result.capped is not None
    return _NEARLY if result.capped >= nearly else _STANDING_MISSED


@dataclass(slots=True)
class Contribution:
    """One facility's part in an aggregate: the values of its latest complete period (None:
    nothing complete recorded), its target, its own figure and its standing."""

    values: Mapping[str, Decimal] | None
    target: Decimal | None
    realisation: Outcome | None
    standing: Standing


@dataclass(frozen=True)
class Aggregate:
    """An indicator across facilities: the sums of the counts, the realisation computed from them,
    the aggregate target, the achievement, and how many facilities stand where. The computation's
    steps are made when first read (a national page computes about a thousand aggregates and shows
    the text of a few)."""

    mode: Aggregation
    sums: dict[str, Decimal]
    realisation: Outcome | None
    target: Decimal | None
    achievement: Achievement | None
    counts: dict[Standing, int]
    facilities: int
    reporting: int
    target_note: str = ""
    # How to explain it (not part of the figure):
    formula: Formula | None = field(default=None, repr=False, compare=False)
    rounding: str = field(default=Rounding.DOWN, repr=False, compare=False)
    unit: str = field(default="", repr=False, compare=False)
    direction: str = field(default="higher", repr=False, compare=False)
    lower_rule: str = field(default=LowerRule.INVERSE, repr=False, compare=False)
    mean_step: Step | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def steps(self) -> list[Step]:
        if self.realisation is None or self.formula is None:
            return []
        if self.mode == Aggregation.MEAN:
            assert self.mean_step is not None
            steps = [self.mean_step]
        elif is_count(self.formula):
            steps = []
        else:
            steps = [realisation_step(self.formula, self.sums, self.rounding, self.unit)]
        if (
            self.realisation.value is not None
            and self.target is not None
            and self.achievement is not None
        ):
            steps.append(
                achievement_step(
                    self.realisation.value,
                    self.target,
                    self.achievement,
                    direction=self.direction,
                    lower_rule=self.lower_rule,
                )
            )
        return steps

    @property
    def computation(self) -> str:
        return steps_text(self.steps)

    @property
    def standing(self) -> Standing:
        """The aggregate's own standing (for colouring it like a facility's figure)."""
        return standing(self.achievement, self.realisation is not None, Decimal(0))


def aggregate(
    formula: Formula | str,
    contributions: Sequence[Contribution],
    *,
    mode: str = Aggregation.SUM,
    direction: str = "higher",
    lower_rule: str = LowerRule.INVERSE,
    rounding: str = Rounding.DOWN,
    target_unit: str = "%",
) -> Aggregate:
    """The honest aggregate of an indicator over facilities.

    SUM: each variable is summed over the facilities that reported a complete period (N/A ones
    included: they add their counts, and a zero population adds nothing to the denominator), and the
    formula is evaluated on the sums, so a composite combines the aggregated parts; never a mean of
    percentages. The target: for a count indicator the sum of the targets; for a ratio the targets
    weighted by each facility's denominator (Σ target × B / ΣB; the same as the common target when all
    facilities share one), else their mean. MEAN: the mean of the facilities' figures that are numbers,
    against the mean of their targets. NONE: no figure, only the counts. Achievement is not capped: a
    cap belongs to one PK."""
    if isinstance(formula, str):
        formula = parse_formula(formula)
    mode = Aggregation(mode)
    counts = {s: 0 for s in Standing}
    for item in contributions:
        counts[item.standing] += 1
    reporting = [c for c in contributions if c.values is not None]
    if mode == Aggregation.NONE or not reporting:
        return Aggregate(mode, {}, None, None, None, counts, len(contributions), len(reporting))
    targets = [Decimal(c.target) for c in reporting if c.target is not None]
    note = ""
    unit = "%" if target_unit == "%" else ""
    mean_step = None
    if mode == Aggregation.MEAN:
        figures = [
            c.realisation.value
            for c in reporting
            if c.realisation is not None and c.realisation.value is not None
        ]
        sums: dict[str, Decimal] = {}
        if figures:
            outcome = reported(Outcome(sum(figures, Decimal(0)) / len(figures)), rounding)
            expression = f"({' + '.join(_fmt_plain(f) for f in figures[:6])}"
            expression += f" + … ) / {len(figures)}" if len(figures) > 6 else f") / {len(figures)}"
        else:
            outcome = Outcome(None, "tidak ada UPT dengan nilai")
            expression = ""
        target = sum(targets, Decimal(0)) / len(targets) if targets else None
        if targets and len(set(targets)) > 1:
            note = f"rata-rata target {len(targets)} UPT"
        mean_step = Step(StepKind.REALISATION, expression, outcome.value, unit, outcome.na_reason)
    else:
        sums = {name: Decimal(0) for name in formula.variables}
        for item in reporting:
            assert item.values is not None
            for name in formula.variables:
                sums[name] += item.values[name]
        outcome = reported(evaluate(formula, sums), rounding)
        target, note = _aggregate_target(formula, reporting)
    result = achievement(outcome, target, direction=direction, lower_rule=lower_rule)
    return Aggregate(
        mode,
        sums,
        outcome,
        target,
        result,
        counts,
        len(contributions),
        len(reporting),
        note,
        formula=formula,
        rounding=rounding,
        unit=unit,
        direction=direction,
        lower_rule=lower_rule,
        mean_step=mean_step,
    )


def _aggregate_target(
    formula: Formula, reporting: Sequence[Contribution]
) -> tuple[Decimal | None, str]:
    targets = [(c, Decimal(c.target)) for c in reporting if c.target is not None]
    if not targets:
        return None, "target belum diisi"
    if len(targets) < len(reporting):
        note = f"target dari {len(targets)} dari {len(reporting)} UPT"
    else:
        note = ""
    if is_count(formula):
        return sum((t for _, t in targets), Decimal(0)), note or "jumlah target UPT"
    distinct = {t for _, t in targets}
    if len(distinct) == 1:
        return distinct.pop(), note
    pairs = ratio_pairs(formula)
    if len(pairs) == 1:
        denominator = pairs[0][1]
        weight = sum((Decimal(c.values[denominator]) for c, _ in targets if c.values), Decimal(0))
        if weight > 0:
            weighted = sum(
                (t * Decimal(c.values[denominator]) for c, t in targets if c.values), Decimal(0)
            )
            return weighted / weight, note or f"target tertimbang dengan {denominator}"
    mean = sum((t for _, t in targets), Decimal(0)) / len(targets)
    return mean, note or f"rata-rata target {len(targets)} UPT"


# --- The AKIP evaluation (LKE, PermenPAN-RB 88/2021) --------------------------------------------
# The framework (components, sub-components, criteria, weights, answer scales, grade bands) is data
# (`evaluation` app); these functions only compute. A sub-component's score is its weight times the
# weighted mean of its criteria's answer values (A = 1 … E = 0); a component's is the sum of its
# sub-components'; the evaluation's the sum of its components'. Nothing is rounded on the way: only
# the figures shown are rounded, to two decimals, half up.

LKE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class LkeCriterion:
    key: str  # "1.2.3": component, sub-component, criterion
    weight: Decimal  # relative within its sub-component
    value: Decimal | None  # the answer's value on its scale (0 … 1); None: not answered
    depends_on: str | None = None  # a criterion this one cannot score above


@dataclass(frozen=True)
class LkeSub:
    key: str  # "1.2"
    aspect: str  # keberadaan, kualitas, pemanfaatan
    weight: Decimal  # points of 100
    criteria: tuple[LkeCriterion, ...]


@dataclass(frozen=True)
class LkeComponent:
    key: str  # "1"
    name: str
    weight: Decimal  # points of 100
    subs: tuple[LkeSub, ...]


@dataclass(frozen=True)
class LkeGrade:
    code: str  # AA, A, BB, …
    above: Decimal | None  # the score must be above this (None: the lowest band)
    label: str


@dataclass(frozen=True)
class LkeScore:
    total: Decimal  # exact
    components: dict[str, Decimal]  # exact, by key
    subs: dict[str, Decimal]  # exact, by key
    answered: int
    criteria: int
    grade: LkeGrade | None

    @property
    def complete(self) -> bool:
        return self.answered == self.criteria

    @property
    def shown(self) -> Decimal:
        """The score as printed: two decimals, half up."""
        return self.total.quantize(LKE_PLACES, ROUND_HALF_UP)


def lke_weight_problems(components: Sequence[LkeComponent]) -> list[str]:
    """Why these weights are not a framework: components must add up to 100, each component's
    sub-components to the component's weight, and every sub-component needs criteria with positive
    weights."""
    problems = []
    total = sum((c.weight for c in components), Decimal(0))
    if total != HUNDRED:
        problems.append(
            f"Bobot komponen berjumlah {format_number(total, 2, trim=True)}, bukan 100."
        )
    for c in components:
        subs = sum((s.weight for s in c.subs), Decimal(0))
        if subs != c.weight:
            problems.append(
                f"Komponen {c.key}: bobot subkomponen berjumlah {format_number(subs, 2, trim=True)}, "
                f"bukan {format_number(c.weight, 2, trim=True)}."
            )
        for s in c.subs:
            if not s.criteria or any(k.weight <= 0 for k in s.criteria):
                problems.append(
                    f"Subkomponen {s.key}: tanpa kriteria atau dengan bobot kriteria 0."
                )
    return problems


def lke_grade(score: Decimal, grades: Sequence[LkeGrade]) -> LkeGrade | None:
    """The band the score (as printed) falls in: the first whose lower bound it is above."""
    shown = score.quantize(LKE_PLACES, ROUND_HALF_UP)
    for grade in sorted(grades, key=lambda g: g.above if g.above is not None else -HUNDRED)[::-1]:
        if grade.above is None or shown > grade.above:
            return grade
    return None


def lke_score(components: Sequence[LkeComponent], grades: Sequence[LkeGrade] = ()) -> LkeScore:
    """The evaluation's score: an unanswered criterion counts 0 and leaves the score incomplete."""
    subs: dict[str, Decimal] = {}
    parts: dict[str, Decimal] = {}
    answered = count = 0
    for c in components:
        component = Decimal(0)
        for s in c.subs:
            weights = sum((k.weight for k in s.criteria), Decimal(0))
            earned = sum(
                (k.weight * k.value for k in s.criteria if k.value is not None), Decimal(0)
            )
            score = s.weight * earned / weights if weights else Decimal(0)
            subs[s.key] = score
            component += score
            answered += sum(1 for k in s.criteria if k.value is not None)
            count += len(s.criteria)
        parts[c.key] = component
    total = sum(parts.values(), Decimal(0))
    return LkeScore(total, parts, subs, answered, count, lke_grade(total, grades))


def _share(score: Decimal, weight: Decimal) -> Decimal:
    return score / weight if weight else Decimal(0)


def lke_inconsistencies(
    components: Sequence[LkeComponent], score: LkeScore
) -> list[tuple[str, str]]:
    """[(key, message)]: the answers that contradict the LKE's logic. Within a component, quality
    (kualitas) or use (pemanfaatan) cannot be scored higher, as a share of its weight, than the
    existence (keberadaan) it rests on; a criterion cannot be answered higher than the criterion it
    depends on (a report cannot be 'reviewed' better than it 'exists')."""
    out: list[tuple[str, str]] = []
    values = {k.key: k.value for c in components for s in c.subs for k in s.criteria}
    for c in components:
        existence = next((s for s in c.subs if s.aspect == "keberadaan"), None)
        if existence is None:
            continue
        base = _share(score.subs[existence.key], existence.weight)
        for s in c.subs:
            if s is existence:
                continue
            share = _share(score.subs[s.key], s.weight)
            if share > base:
                out.append(
                    (
                        s.key,
                        f"Subkomponen {s.key} ({s.aspect}) bernilai "
                        f"{format_number(share * HUNDRED, 2)}% dari bobotnya, lebih tinggi dari "
                        f"keberadaan {existence.key} ({format_number(base * HUNDRED, 2)}%).",
                    )
                )
        for s in c.subs:
            for k in s.criteria:
                parent = values.get(k.depends_on) if k.depends_on else None
                if k.value is not None and parent is not None and k.value > parent:
                    out.append(
                        (
                            k.key,
                            f"Kriteria {k.key} dijawab lebih tinggi ({format_number(k.value, 2)}) "
                            f"dari kriteria {k.depends_on} yang menjadi dasarnya "
                            f"({format_number(parent, 2)}).",
                        )
                    )
    return out


def lke_mean(scores: Sequence[Decimal]) -> Decimal | None:
    """The mean of finished evaluations' scores (each out of 100); None when there is none."""
    if not scores:
        return None
    return sum(scores, Decimal(0)) / len(scores)
