"""The bounds of every number Kinerja accepts, in one place.

Forms, services, model checks, the admin and the Rencana Aksi importer all ask these bounds, so a
figure refused on one path is refused on every path. Each bound fits its meaning, not only its
column: a head count is a whole number of people, money is whole rupiah within the state budget,
a percentage target lies within 0-1000, a published score within 0-100. Every bound also fits the
column it is stored in (tests/test_hardening_bounds.py checks that), so the database never
receives a value it would overflow.

Variables of an indicator (A, B, ...) are counts when their meaning says so: the catalogue writes
every counted variable as "Jumlah ..." (people, complaints, documents, vehicles: all whole), and
the indices as "Nilai indeks ...", which may carry decimals (3,45 or 85,20). `variable_bound()`
decides from that meaning, with the indicator's unit as a second sign (Orang/Layanan/Dokumen/Unit
are counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django.core.validators import BaseValidator, DecimalValidator

# Digits the shared reader accepts at all (before and after the comma together): the widest
# column holds 18 (money, 16 before the comma and 2 after), so nothing longer can be a real figure.
MAX_DIGITS = 20


@dataclass(frozen=True)
class Bound:
    """A range and a number of decimals: what a figure of one kind may be."""

    what: str  # what the figure is, for messages: "jumlah", "rupiah", ...
    minimum: Decimal
    maximum: Decimal
    places: int  # decimals allowed after the comma; 0 = a whole number

    @property
    def whole(self) -> bool:
        return self.places == 0

    def problem(self, value: Decimal | int | None, label: str) -> str:
        """Why `value` cannot be the figure named `label` ('' when it can; None is for the caller)."""
        from kinerja.core.formatting import format_number

        if value is None:
            return ""
        try:
            number = Decimal(value)
        except (ArithmeticError, ValueError, TypeError):
            return f"{label}: '{value}' bukan angka."
        if not number.is_finite():
            return f"{label}: '{value}' bukan angka."
        if number < self.minimum or number > self.maximum:
            low = format_number(self.minimum, self.places, trim=True)
            high = format_number(self.maximum, self.places, trim=True)
            if number < 0 <= self.minimum:
                return f"{label} tidak boleh negatif (tidak boleh kurang dari {low})."
            return f"{label} harus antara {low} dan {high}."
        # Within the range, so quantizing cannot overflow the context.
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            if self.whole:
                return f"{label} harus bilangan bulat ({self.what}), tanpa angka di belakang koma."
            return f"{label}: paling banyak {self.places} angka di belakang koma."
        return ""

    def check(self, value: Decimal | int | None, label: str) -> None:
        """Raise ValidationError naming the field when `value` is outside the bound."""
        message = self.problem(value, label)
        if message:
            raise ValidationError(message, code="bounds")

    def validators(self, *, integer: bool = False) -> list[BaseValidator | DecimalValidator]:
        """Django's own validators for a model field holding this figure (the admin runs them).
        Only Django's classes, so that a migration never imports Kinerja's code."""
        from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator

        checks = [MinValueValidator(self.minimum), MaxValueValidator(self.maximum)]
        if integer:
            return [MinValueValidator(int(self.minimum)), MaxValueValidator(int(self.maximum))]
        whole_digits = len(str(int(self.maximum)))
        return [*checks, DecimalValidator(whole_digits + self.places, self.places)]

    def fits(self, max_digits: int, decimal_places: int) -> bool:
        """Whether every value within the bound fits a column of this precision."""
        whole_digits = len(str(int(max(abs(self.minimum), abs(self.maximum)))))
        return whole_digits <= max_digits - decimal_places and self.places <= decimal_places


def _d(value: object) -> Decimal:
    return Decimal(str(value))


# A variable that counts people or things: whole, 0 to ten million (more than every prisoner and
# every document of the whole ministry in a year).
COUNT = Bound("jumlah", _d(0), _d(10_000_000), 0)
# A variable that is a measured value (an index), not a count.
MEASURE = Bound("nilai", _d(0), _d(1_000_000), 4)
# Targets: a percentage or an index (0-1000, since a target above 100% exists for some ratios),
# a count of people/services/documents/units (whole).
TARGET_PERCENT = Bound("persentase", _d(0), _d(1000), 4)
TARGET_COUNT = Bound("jumlah", _d(0), _d(10_000_000), 0)
# The widest a variable value may be (a count or an index); the variable's own bound is checked
# by the services and the model's clean().
VARIABLE_ANY = Bound("nilai", _d(0), _d(10_000_000), 4)
# A target whose unit is not known yet (an imported cell without '%' or a unit word): the widest.
TARGET_ANY = Bound("target", _d(0), _d(10_000_000), 4)
# Money: whole rupiah, up to Rp 1.000 triliun (the whole state budget is about Rp 3.500 triliun;
# no facility line comes near).
MONEY = Bound("rupiah", _d(0), _d(10**15), 0)
# Published scores (SMART DJA, IKPA and their components), weights: 0-100.
SCORE = Bound("nilai", _d(0), _d(100), 2)
# A percentage that may exceed 100 (absorption, achievement of a TARJA item, a cap).
PERCENT = Bound("persentase", _d(0), _d(1000), 2)
# An achievement as a printed report states it (may be large for a tiny target).
ACHIEVEMENT = Bound("persentase", _d(0), _d(100_000), 2)
# A volume of a DIPA line (paket, layanan, bulan ...).
VOLUME = Bound("volume", _d(0), _d(1_000_000_000), 2)

COUNTED_UNITS = {"Orang", "Layanan", "Dokumen", "Unit"}


def variable_is_count(description: str, indicator_unit: str = "") -> bool:
    """A variable is counted (whole) when its meaning is a 'Jumlah ...', or its indicator counts."""
    text = (description or "").strip().lower()
    if text.startswith(("nilai", "indeks", "skor", "persentase", "rata-rata")):
        return False
    return text.startswith("jumlah") or indicator_unit in COUNTED_UNITS


class _HasUnit(Protocol):
    unit: str


class _VariableLike(Protocol):
    """What `variable_bound` reads of an `indicators.Variable` (core imports no app, even for types)."""

    description: str

    @property
    def indicator(self) -> _HasUnit: ...


def variable_bound(variable: _VariableLike, indicator: _HasUnit | None = None) -> Bound:
    """The bound of one indicator variable (an `indicators.Variable`); pass its indicator when it is
    at hand, to spare a query."""
    indicator = indicator if indicator is not None else variable.indicator
    return COUNT if variable_is_count(variable.description, indicator.unit) else MEASURE


def target_bound(target_unit: str) -> Bound:
    """The bound of a target (PK, Renstra, quarterly increment) by the unit it is stated in."""
    return TARGET_COUNT if target_unit in COUNTED_UNITS else TARGET_PERCENT


# Years a plan, a report or a budget may belong to, and the largest id or number in an address.
YEAR_MIN, YEAR_MAX = 2000, 2100


def _year_validators() -> list[Any]:
    from django.core.validators import MaxValueValidator, MinValueValidator

    return [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]


YEAR_VALIDATORS = _year_validators()
MAX_ID = 2**31 - 1


def year_or_404(raw: object, default: int) -> int:
    """A year from an address (?tahun=2024): anything else than a plausible year is 404, never a 500
    from a number too large for the database."""
    from django.http import Http404

    text = str(raw).strip() if raw not in (None, "") else str(default)
    if (
        not (text.isascii() and text.isdigit())
        or len(text) > 4
        or not YEAR_MIN <= int(text) <= YEAR_MAX
    ):
        raise Http404("Tahun tidak sah.")
    return int(text)


def year_argument(text: str) -> int:
    """argparse type of a command's --year: a plausible year, else a usage error (not a traceback)."""
    import argparse

    if (
        not (text.strip().isascii() and text.strip().isdigit())
        or not YEAR_MIN <= int(text) <= YEAR_MAX
    ):
        raise argparse.ArgumentTypeError(f"tahun harus {YEAR_MIN}-{YEAR_MAX}, bukan '{text[:20]}'")
    return int(text)


def count_argument(text: str) -> int:
    """argparse type of a count (--capacity): a whole number within COUNT."""
    import argparse

    if not (text.strip().isascii() and text.strip().isdigit()) or COUNT.problem(
        Decimal(text.strip()), "jumlah"
    ):
        raise argparse.ArgumentTypeError(
            f"harus bilangan bulat 0-{int(COUNT.maximum):,}".replace(",", ".")
            + f", bukan '{text[:20]}'"
        )
    return int(text)
