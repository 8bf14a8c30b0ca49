from __future__ import annotations

from decimal import Decimal

from django import forms

from kinerja.core import bounds
from kinerja.core.forms import IndonesianDecimalField
from kinerja.organizations.models import Person, Unit
from kinerja.planning.models import BudgetKind, PerjanjianKinerja, RAActivity
from kinerja.planning.services import HEADER_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PKHeaderForm(forms.ModelForm):
    class Meta:
        model = PerjanjianKinerja
        fields = list(HEADER_FIELDS)
        widgets = {"signed_on": DATE_WIDGET}
        labels = {"place": "Tempat", "signed_on": "Tanggal penandatanganan"}

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        # Parties are people of this facility (Pihak Pertama) and of its regional office (Pihak Kedua).
        self.fields["first_party"].queryset = Person.objects.filter(unit=unit)
        self.fields["second_party"].queryset = Person.objects.filter(unit=unit.parent)
        self.fields["first_party"].label = "Pihak Pertama (Kepala UPT)"
        self.fields["second_party"].label = "Pihak Kedua (Kepala Kantor Wilayah)"


class PKCreateForm(PKHeaderForm):
    year = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)

    class Meta(PKHeaderForm.Meta):
        fields = ["year", *PKHeaderForm.Meta.fields]


class TargetsForm(forms.Form):
    """One target field per indicator of the PK."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"target_{row.id}"] = IndonesianDecimalField(
                label=f"Target {row.indicator.code}",
                bound=bounds.target_bound(row.target_unit),
                required=False,
                initial=row.target,
            )

    def targets(self) -> dict[int, Decimal | None]:
        return {row.id: self.cleaned_data[f"target_{row.id}"] for row in self.rows}

    def bound_rows(self):
        return [(row, self[f"target_{row.id}"]) for row in self.rows]


class BudgetLineForm(forms.Form):
    # A blank first choice keeps an untouched extra row empty (and so ignored by the formset).
    kind = forms.ChoiceField(label="Jenis", choices=[("", "—"), *BudgetKind.choices])
    name = forms.CharField(label="Uraian", max_length=300)
    amount = IndonesianDecimalField(label="Anggaran (Rp)", bound=bounds.MONEY)


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=2, can_delete=True)


QUARTER_LABELS = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


class ActionPlanForm(forms.Form):
    """The Rencana Aksi of one IKK: funding activity (existing or new) and four quarters."""

    activity = forms.ModelChoiceField(
        label="Kegiatan pendanaan",
        queryset=RAActivity.objects.none(),
        required=False,
        empty_label="(tanpa kegiatan / kegiatan baru di bawah)",
    )
    new_activity = forms.CharField(label="Kegiatan baru", max_length=300, required=False)
    pagu = IndonesianDecimalField(label="Pagu kegiatan (Rp)", required=False, bound=bounds.MONEY)

    def __init__(self, *args, agreement: PerjanjianKinerja, target_unit: str = "%", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = RAActivity.objects.filter(agreement=agreement)
        for q, label in QUARTER_LABELS.items():
            self.fields[f"rpd_{q}"] = IndonesianDecimalField(
                label=f"RPD {label} (Rp)", required=False, bound=bounds.MONEY
            )
            self.fields[f"target_{q}"] = IndonesianDecimalField(
                label=f"Target {label}", required=False, bound=bounds.target_bound(target_unit)
            )
            self.fields[f"activity_{q}"] = forms.CharField(
                label=f"Rencana kegiatan {label}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{q}"] = forms.CharField(
                label=f"Data dukung {label}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if data.get("activity") and data.get("new_activity"):
            raise forms.ValidationError(
                "Pilih kegiatan yang ada atau tulis kegiatan baru, tidak keduanya."
            )
        if (data.get("activity") or data.get("new_activity")) and data.get("pagu") is None:
            self.add_error("pagu", "Pagu kegiatan wajib diisi (tulis 0 bila tidak ada anggaran).")
        return data

    def quarter_fields(self):
        return [
            (
                label,
                self[f"target_{q}"],
                self[f"rpd_{q}"],
                self[f"activity_{q}"],
                self[f"evidence_{q}"],
            )
            for q, label in QUARTER_LABELS.items()
        ]


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label="Alasan revisi", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RenstraCreateForm(forms.Form):
    start_year = forms.IntegerField(label="Tahun awal", min_value=2000, max_value=2100)
    end_year = forms.IntegerField(
        label="Tahun akhir",
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Kosong: lima tahun (tahun awal + 4).",
    )
    vision = forms.CharField(label="Visi", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mission = forms.CharField(
        label="Misi", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    goals = forms.CharField(
        label="Tujuan", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RenstraGridForm(forms.Form):
    """The Renstra's texts and its medium-term targets, one field per indicator and year."""

    vision = forms.CharField(label="Visi", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mission = forms.CharField(
        label="Misi", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    goals = forms.CharField(
        label="Tujuan", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(
        label="Alasan perubahan",
        max_length=100,
        required=False,
        help_text='Dicatat di riwayat, misalnya "Reviu Renstra 2026".',
    )

    def __init__(self, *args, renstra, indicators, values, **kwargs):
        super().__init__(*args, **kwargs)
        self.renstra = renstra
        self.indicators = list(indicators)
        self.years = list(range(renstra.start_year, renstra.end_year + 1))
        for name in ("vision", "mission", "goals"):
            self.fields[name].initial = getattr(renstra, name)
        for indicator in self.indicators:
            for year in self.years:
                self.fields[f"t_{indicator.id}_{year}"] = IndonesianDecimalField(
                    label=f"Target {indicator.code} {year}",
                    bound=bounds.target_bound(indicator.unit),
                    required=False,
                    initial=values.get((indicator.id, year)),
                )

    def targets(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (i.id, y): self.cleaned_data[f"t_{i.id}_{y}"]
            for i in self.indicators
            for y in self.years
        }

    def rows(self):
        return [(i, [self[f"t_{i.id}_{y}"] for y in self.years]) for i in self.indicators]
