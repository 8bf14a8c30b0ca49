"""The LKjIP's own facts a user fills in: place and date, the cover letter, the team decree."""

from __future__ import annotations

import datetime as dt

from django import forms

from kinerja.reporting.models import AnnualReport

FIELDS = [
    "place",
    "report_date",
    "letter_number",
    "letter_nature",
    "letter_attachment",
    "decree_number",
    "decree_date",
]


class ReportFactsForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = FIELDS
        widgets = {
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decree_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def _in_range(self, name: str) -> dt.date | None:
        """A report of year Y is dated in Y or Y+1 (it is sent in January)."""
        value = self.cleaned_data.get(name)
        if value is not None and not self.year <= value.year <= self.year + 1:
            raise forms.ValidationError(
                f"Tanggal harus pada tahun {self.year} atau {self.year + 1}."
            )
        return value

    def clean_report_date(self):
        return self._in_range("report_date")

    def clean_decree_date(self):
        return self._in_range("decree_date")
