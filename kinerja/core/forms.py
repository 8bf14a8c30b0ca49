from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from kinerja.core.bounds import Bound
from kinerja.core.formatting import format_number, parse_decimal

# More characters than any number typed the Indonesian way ('Rp 1.000.000.000.000.000,00').
MAX_TEXT = 40


class IndonesianDecimalField(forms.CharField):
    """A number typed the Indonesian way: '92,5', '1.500.000', 'Rp 24.000.000', '85%'.

    With a `bound` (kinerja.core.bounds), the range and the decimals allowed come from it and every
    message names the field by its label.
    """

    def __init__(
        self,
        *,
        bound: Bound | None = None,
        min_value: Decimal | None = None,
        places: int = 4,
        **kwargs,
    ):
        self.bound = bound
        self.min_value = min_value
        self.places = bound.places if bound is not None else places
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        name = self.label or "Nilai"
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(
                f"{name}: terlalu panjang untuk sebuah angka ({len(text)} karakter).",
                code="invalid",
            )
        try:
            number = parse_decimal(text)
        except ValueError as exc:
            raise forms.ValidationError(
                f"{name}: {exc}. Tulis misalnya 92,5 atau 1.500.000.", code="invalid"
            ) from None
        if number is None:
            return None
        if self.bound is not None:
            problem = self.bound.problem(number, name)
            if problem:
                raise forms.ValidationError(problem, code="bounds")
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                f"{name}: nilai tidak boleh kurang dari {format_number(self.min_value, 0)}."
            )
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise forms.ValidationError(
                f"{name}: paling banyak {self.places} angka di belakang koma."
            )
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, self.places, trim=True)
        return value


_PLAIN_NUMBER = re.compile(r"\s*[+-]?[0-9]*[.,]?[0-9]*\s*")


class PlainDecimalField(forms.DecimalField):
    """Django's decimal field (the admin's), refusing what Decimal() reads but no office writes:
    exponent notation ('1e9'), digits of other scripts, underscores, overlong text."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            if len(value) > MAX_TEXT or not _PLAIN_NUMBER.fullmatch(value):
                raise forms.ValidationError(
                    f"'{value[:MAX_TEXT]}' bukan angka: tulis angkanya utuh, tanpa notasi eksponen.",
                    code="invalid",
                )
        return super().to_python(value)
