from __future__ import annotations

from decimal import Decimal

from django import forms

from kinerja.core.formatting import format_number, parse_decimal


class IndonesianDecimalField(forms.CharField):
    """A number typed the Indonesian way: '92,5', '1.500.000', 'Rp 24.000.000', '85%'."""

    def __init__(self, *, min_value: Decimal | None = None, places: int = 4, **kwargs):
        self.min_value = min_value
        self.places = places
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            number = parse_decimal(text)
        except ValueError:
            raise forms.ValidationError(
                f"'{text}' bukan angka. Tulis misalnya 92,5 atau 1.500.000.", code="invalid"
            ) from None
        if number is None:
            return None
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                f"Nilai tidak boleh kurang dari {format_number(self.min_value, 0)}."
            )
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise forms.ValidationError(f"Paling banyak {self.places} angka di belakang koma.")
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, self.places, trim=True)
        return value
