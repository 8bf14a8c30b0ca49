from django import forms
from django.conf import settings
from django.utils import timezone

from kinerja.core.uploads import size_text


class UploadForm(forms.Form):
    year = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    file = forms.FileField(
        label="Berkas Rencana Aksi",
        help_text="Lembar kerja .xlsx atau teks .csv/.tsv/.txt dengan tata letak kantor.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        limit = size_text(settings.KINERJA_IMPORT_MAX_BYTES)
        self.fields["file"].help_text += f" Paling besar {limit}."
