"""Every model and field of Kinerja is named in Indonesian, in the admin and in its history.

A name Django derives from the class or field name ("monitoring note", "variable values",
"person", "created at", "historical ...") is English; every one is given its Indonesian name.
"""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.options import camel_case_to_spaces
from django.urls import NoReverseMatch, reverse

# Words that read the same in Indonesian: a field so named may keep its derived label.
INDONESIAN = {"status", "pagu", "volume", "format", "target"}

# English words Django or django-simple-history would write into a label that nobody named.
ENGLISH = re.compile(
    r"\b(historical|history|monitoring notes?|variable values?|person|people|notes?|values?|"
    r"created|updated|uploaded|finished|started|applied|signed|user|users|order|parent|"
    r"report|agreement|indicator|goal|activity|quarter|transition|reason|line|region|"
    r"figure|stamp|stored|job|record|key|digest|version|path)\b",
    re.IGNORECASE,
)


def kinerja_models():
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("kinerja")
        for model in config.get_models()
        if not model._meta.auto_created
    ]


def derived_model_names(model) -> set[str]:
    opts = model._meta
    derived = camel_case_to_spaces(opts.object_name)
    return {derived, f"{derived}s", f"historical {derived}"}


def test_the_walk_sees_the_models_that_were_english():
    labels = {m._meta.label for m in kinerja_models()}
    assert {
        "measurement.MonitoringNote",
        "measurement.VariableValue",
        "organizations.Person",
        "measurement.HistoricalMonitoringNote",
    } <= labels


@pytest.mark.parametrize("model", kinerja_models(), ids=lambda m: m._meta.label)
def test_every_model_is_named_in_indonesian(model):
    opts = model._meta
    names = [str(opts.verbose_name), str(opts.verbose_name_plural)]
    for name in names:
        assert name not in derived_model_names(model), f"{opts.label}: '{name}' is the class name"
        assert not name.startswith("historical "), f"{opts.label}: '{name}'"
        assert not ENGLISH.search(name), f"{opts.label}: '{name}' is English"
    # Indonesian has no plural -s: "variable values" is Django's plural of "variable value".
    assert names[1] != f"{names[0]}s", f"{opts.label}: plural '{names[1]}'"


@pytest.mark.parametrize("model", kinerja_models(), ids=lambda m: m._meta.label)
def test_every_field_is_named_in_indonesian(model):
    english = []
    for field in model._meta.get_fields():
        if not field.concrete or field.auto_created:
            continue
        label = str(field.verbose_name)
        derived = field.name.replace("_", " ")
        if label == derived and field.name not in INDONESIAN:
            english.append(f"{field.name} ('{label}', derived from the field name)")
        elif ENGLISH.search(label):
            english.append(f"{field.name} ('{label}')")
    assert not english, f"{model._meta.label}: " + "; ".join(english)


def test_the_check_refuses_the_english_names_that_were_found():
    for name in ("Monitoring notes", "Variable values", "Person", "historical realisasi"):
        assert ENGLISH.search(name), name


@pytest.fixture
def superuser_client(client, world):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "rahasia-uji-123")
    client.force_login(user)
    return client


def test_the_admin_index_and_lists_read_in_indonesian(superuser_client):
    page = superuser_client.get(reverse("admin:index"))
    assert page.status_code == 200
    text = page.content.decode()
    for english in ("Monitoring notes", "Variable values", "Person", "Historical", "historical"):
        assert english not in text, english
    # Every registered model's list and add form: their column headers and labels.
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        if not opts.app_label or not model.__module__.startswith("kinerja"):
            continue
        for view in ("changelist", "add"):
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            except NoReverseMatch:
                continue
            response = superuser_client.get(url)
            if response.status_code != 200:
                continue
            body = response.content.decode()
            for english in ("Monitoring notes", "Variable values", "Person", "istorical "):
                assert english not in body, f"{url}: {english}"
