from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from kinerja.organizations.models import ROLES_BY_KIND, Person, Role, Unit, UnitKind
from kinerja.organizations.services import UNIT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = list(UNIT_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class NewFacilityForm(UnitForm):
    parent = forms.ModelChoiceField(queryset=Unit.objects.none(), label="Kanwil")

    class Meta(UnitForm.Meta):
        fields = ["parent", *UnitForm.Meta.fields]

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = regions
        self.fields["facility_type"].required = True
        self.instance.kind = UnitKind.UPT


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "nip", "position"]
        help_texts = {"nip": "18 angka tanpa spasi."}


class AppointmentForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Pegawai")
    title = forms.CharField(label="Jabatan (seperti tertulis di PK)", max_length=200)
    start = forms.DateField(label="Mulai menjabat", widget=DATE)
    end = forms.DateField(label="Sampai", widget=DATE, required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=unit)  # type: ignore[attr-defined]
        self.fields["title"].initial = f"Kepala {unit.name}"


class RoleForm(forms.Form):
    username = forms.CharField(
        label="Nama pengguna",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Pengguna yang sudah ada, atau baru (isi nama lengkapnya).",
    )
    full_name = forms.CharField(
        label="Nama lengkap (pengguna baru)", max_length=150, required=False
    )
    email = forms.EmailField(label="Surel (pengguna baru)", required=False)
    role = forms.ChoiceField(label="Peran")

    def __init__(self, *args, unit: Unit, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        roles = ROLES_BY_KIND[unit.kind] - (set() if national else {Role.ADMIN})
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (r.value, r.label) for r in Role if r.value in roles
        ]


class OrganisationNameForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label="Organisasi",
        required=False,
        empty_label="Kementerian",
    )
    valid_from = forms.IntegerField(label="Berlaku sejak tahun", min_value=2000, max_value=2100)
    name = forms.CharField(label="Nama", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(  # type: ignore[attr-defined]
            kind=UnitKind.UPT
        ).order_by("path")
