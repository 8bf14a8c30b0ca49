"""A synthetic national dataset for tests and benchmarks (`kinerja synth`).

Regions (Kanwil) under the directorate, facilities of every type (Lapas, Rutan, LPKA, Bapas) with
classes, cities, time zones and capacity, their users, and per year a signed PK with the whole
catalogue, the Rencana Aksi (quarterly target increments and funding activities), quarterly results
(year-to-date counts, so TW IV is the year) with N/A populations, missing and partial quarters, the
workflow log (late submissions after the region's entry window closed, returned, verified and locked
quarters), the DIPA (leaves with pagu and spending type, monthly plan and realisation) and the
budget scores (SMART, IKPA).

Written with `bulk_create` in large batches, not through the services row by row (700 facilities ×
5 years are about two and a half million rows), but every row is one the services would accept:
targets within `core.bounds` and increments adding up to the target (`calc.increments_problem`),
counts whole and ≥ 0 with a part never larger than its whole, every variable the formula uses
(`calc.formula_variables`) present in a reported quarter, spending within pagu − blokir. The
database's lock triggers refuse results and spending in a closed quarter, so for each region the
results and spending go in first and the quarter reports with their status and workflow log last,
as `measurement.services.results_carry_over` does. History rows (simple_history) are not written:
the data were never edited.

Deterministic for a seed (each region draws from its own generator), except the times Django sets
itself (`Realization.updated_at`, `PerjanjianKinerja.created_at`). Refuses to write into region
slugs that exist already (`SynthExists`); `load_synth_demo` uses that to stay idempotent.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from kinerja import calc
from kinerja.budget.models import BudgetScore, DipaLine, SpendingMonth
from kinerja.indicators.models import Goal, Indicator, Level, level_rank
from kinerja.indicators.services import catalogue_sync
from kinerja.measurement.models import (
    EntryWindow,
    QuarterReport,
    Realization,
    RealizationStatus,
    Transition,
    VariableValue,
)
from kinerja.organizations.models import (
    HeadAppointment,
    Membership,
    Person,
    Role,
    Unit,
    UnitKind,
)
from kinerja.planning.models import (
    PerjanjianKinerja,
    PKBudgetItem,
    PKGoal,
    PKIndicator,
    PKStatus,
    RAActivity,
    RAActivityQuarter,
    RAQuarter,
)

BATCH = 5000
S = RealizationStatus
D0 = Decimal(0)

# Province, regional capital, time zone, cities of its facilities (33 regions).
PROVINCES = [
    ("Aceh", "Banda Aceh", "Asia/Jakarta", ["Banda Aceh", "Lhokseumawe", "Langsa", "Meulaboh"]),
    ("Sumatera Utara", "Medan", "Asia/Jakarta", ["Medan", "Pematangsiantar", "Sibolga", "Binjai"]),
    ("Sumatera Barat", "Padang", "Asia/Jakarta", ["Padang", "Bukittinggi", "Solok", "Pariaman"]),
    ("Riau", "Pekanbaru", "Asia/Jakarta", ["Pekanbaru", "Dumai", "Bengkalis", "Rengat"]),
    ("Jambi", "Jambi", "Asia/Jakarta", ["Jambi", "Muara Bungo", "Kuala Tungkal", "Sarolangun"]),
    ("Sumatera Selatan", "Palembang", "Asia/Jakarta", ["Palembang", "Lubuklinggau", "Lahat"]),
    ("Bengkulu", "Bengkulu", "Asia/Jakarta", ["Bengkulu", "Curup", "Manna", "Argamakmur"]),
    ("Lampung", "Bandar Lampung", "Asia/Jakarta", ["Bandar Lampung", "Metro", "Kotabumi"]),
    ("Bangka Belitung", "Pangkalpinang", "Asia/Jakarta", ["Pangkalpinang", "Tanjung Pandan"]),
    ("Kepulauan Riau", "Tanjungpinang", "Asia/Jakarta", ["Tanjungpinang", "Batam", "Karimun"]),
    ("DKI Jakarta", "Jakarta", "Asia/Jakarta", ["Jakarta Timur", "Jakarta Pusat", "Jakarta Utara"]),
    ("Jawa Barat", "Bandung", "Asia/Jakarta", ["Bandung", "Bogor", "Cirebon", "Garut", "Sukabumi"]),
    ("Jawa Tengah", "Semarang", "Asia/Jakarta", ["Semarang", "Surakarta", "Kudus", "Pekalongan"]),
    ("DI Yogyakarta", "Yogyakarta", "Asia/Jakarta", ["Yogyakarta", "Sleman", "Wonosari"]),
    ("Jawa Timur", "Surabaya", "Asia/Jakarta", ["Surabaya", "Malang", "Kediri", "Madiun"]),
    ("Banten", "Serang", "Asia/Jakarta", ["Serang", "Tangerang", "Cilegon", "Pandeglang"]),
    ("Bali", "Denpasar", "Asia/Makassar", ["Denpasar", "Singaraja", "Tabanan", "Karangasem"]),
    ("Nusa Tenggara Barat", "Mataram", "Asia/Makassar", ["Mataram", "Sumbawa Besar", "Bima"]),
    ("Nusa Tenggara Timur", "Kupang", "Asia/Makassar", ["Kupang", "Ende", "Maumere", "Waingapu"]),
    ("Kalimantan Barat", "Pontianak", "Asia/Jakarta", ["Pontianak", "Singkawang", "Sintang"]),
    ("Kalimantan Tengah", "Palangka Raya", "Asia/Jakarta", ["Palangka Raya", "Sampit"]),
    (
        "Kalimantan Selatan",
        "Banjarmasin",
        "Asia/Makassar",
        ["Banjarmasin", "Martapura", "Kotabaru"],
    ),
    ("Kalimantan Timur", "Samarinda", "Asia/Makassar", ["Samarinda", "Balikpapan", "Bontang"]),
    ("Kalimantan Utara", "Tanjung Selor", "Asia/Makassar", ["Tanjung Selor", "Tarakan", "Nunukan"]),
    ("Sulawesi Utara", "Manado", "Asia/Makassar", ["Manado", "Bitung", "Tondano", "Kotamobagu"]),
    ("Sulawesi Tengah", "Palu", "Asia/Makassar", ["Palu", "Poso", "Tolitoli", "Parigi"]),
    ("Sulawesi Selatan", "Makassar", "Asia/Makassar", ["Makassar", "Parepare", "Bone", "Palopo"]),
    ("Sulawesi Tenggara", "Kendari", "Asia/Makassar", ["Kendari", "Baubau", "Kolaka", "Raha"]),
    ("Gorontalo", "Gorontalo", "Asia/Makassar", ["Gorontalo", "Limboto", "Marisa"]),
    ("Sulawesi Barat", "Mamuju", "Asia/Makassar", ["Mamuju", "Polewali", "Majene"]),
    ("Maluku", "Ambon", "Asia/Jayapura", ["Ambon", "Tual", "Masohi", "Saumlaki"]),
    ("Maluku Utara", "Ternate", "Asia/Jayapura", ["Ternate", "Tobelo", "Labuha"]),
    ("Papua", "Jayapura", "Asia/Jayapura", ["Jayapura", "Merauke", "Nabire", "Biak", "Wamena"]),
]

TYPE_NAMES = {"lapas": "Lapas", "rutan": "Rutan", "lpka": "LPKA", "bapas": "Bapas"}
TYPE_CLASSES = {
    "lapas": ["I", "IIA", "IIA", "IIB", "IIB", "IIB", "III"],
    "rutan": ["I", "IIA", "IIB", "IIB", "IIB"],
    "lpka": ["I", "IIA"],
    "bapas": ["I", "IIA"],
}
CAPACITY = {"I": (800, 1800), "IIA": (400, 1000), "IIB": (150, 500), "III": (80, 250)}

# Populations that are often nil (N/A): probability of none in a facility-year.
NIL_CHANCE = {
    "IKK-1.3": 0.55,
    "IKK-1.4": 0.35,
    "IKK-1.5": 0.15,
    "IKK-1.6": 0.35,
    "IKK-1.8": 0.3,
    "IKK-2.5": 0.4,
    "IKK-3.1": 0.25,
    "IKK-3.2": 0.3,
    "IKK-3.3": 0.45,
    "IKK-3.4": 0.45,
}
# The whole (the denominator) as a share of the facility's population, or a small absolute range.
WHOLE: dict[str, float | tuple[int, int]] = {
    "IKK-1.1": 1.0,
    "IKK-1.2": 1.0,
    "IKK-1.3": (1, 8),
    "IKK-1.4": (1, 15),
    "IKK-1.5": 0.04,
    "IKK-1.6": (1, 10),
    "IKK-1.8": (10, 80),
    "IKK-2.1": 0.6,
    "IKK-2.2": 0.5,
    "IKK-2.3": 0.2,
    "IKK-2.4": 0.3,
    "IKK-2.5": (1, 20),
    "IKK-2.6": 0.1,
    "IKK-2.7": 0.3,
    "IKK-3.1": (1, 30),
    "IKK-3.2": (1, 20),
    "IKK-3.3": (1, 15),
    "IKK-3.4": (1, 10),
}
# Typical targets by indicator (percentages and indices); counts below by unit.
TARGETS = {
    "IKU-1": 80, "IKU-2": 80, "IKU-3": 2, "IKP-1.1": 85, "IKP-1.2": 85, "IKP-1.3": 85,
    "IKP-1.4": 83, "IKP-2.1": 60, "IKP-2.2": 90, "IKP-3.1": 80,
    "IKK-1.1": 95, "IKK-1.2": 92, "IKK-1.3": 95, "IKK-1.4": 80, "IKK-1.5": 85, "IKK-1.6": 85,
    "IKK-1.7": 75, "IKK-1.8": 30, "IKK-2.1": 70, "IKK-2.2": 97, "IKK-2.3": 85, "IKK-2.4": 80,
    "IKK-2.5": 20, "IKK-2.6": 30, "IKK-2.7": 65, "IKK-3.1": 85, "IKK-3.2": 80, "IKK-3.3": 85,
    "IKK-3.4": 80,
}  # fmt: skip
COUNT_TARGETS = {
    "IKK-4.1": (1, 1), "IKK-4.2": (1, 1), "IKK-4.3": (1, 1), "IKK-4.4": (1, 1), "IKK-4.5": (1, 1),
    "IKK-4.6": (2, 8), "IKK-4.7": (10, 60), "IKK-4.8": (5, 30), "IKK-4.9": (1, 3),
}  # fmt: skip

# Rencana Aksi activities, one per Sasaran Kegiatan (by the first digit of the IKK code).
RA_ACTIVITIES = {
    "1": ("Layanan Perawatan Tahanan, Narapidana dan Anak", (300, 2500)),
    "2": ("Layanan Pembinaan Kepribadian dan Kemandirian", (80, 400)),
    "3": ("Layanan Keamanan dan Ketertiban", (40, 200)),
    "4": ("Dukungan Manajemen dan Layanan Perkantoran", (500, 3000)),
}

# The DIPA of a facility-year: (level, code, name, spending type, IKK funded, pagu in millions or
# None for a parent, children).
DIPA: list[tuple] = [
    ("program", "BF", "Program Penegakan dan Pelayanan Hukum", "", [], None, [
        ("activity", "5252", "Penyelenggaraan Pemasyarakatan di Wilayah", "", [], None, [
            ("kro", "BDC", "Fasilitasi dan Pembinaan Pemasyarakatan", "", [], None, [
                ("ro", "002", "Pembinaan Kepribadian dan Layanan Integrasi Narapidana", "52",
                 ["IKK-2.1", "IKK-2.2", "IKK-2.3", "IKK-2.4", "IKK-2.5"], (40, 150), []),
                ("ro", "004", "Kebutuhan Dasar dan Layanan Kesehatan", "52",
                 ["IKK-1.1", "IKK-1.2", "IKK-1.3", "IKK-1.4", "IKK-1.5", "IKK-1.6", "IKK-1.7",
                  "IKK-1.8"], (800, 4000), []),
                ("ro", "S01", "Pembinaan Kemandirian Narapidana", "52", ["IKK-2.6", "IKK-2.7"],
                 (30, 120), []),
            ]),
            ("kro", "BHB", "Operasi Bidang Keamanan", "", [], None, [
                ("ro", "002", "Layanan Keamanan dan Ketertiban", "52",
                 ["IKK-3.1", "IKK-3.2", "IKK-3.3", "IKK-3.4"], (30, 120), []),
            ]),
        ]),
    ]),
    ("program", "WA", "Program Dukungan Manajemen", "", [], None, [
        ("activity", "6231", "Dukungan Manajemen dan Teknis Lainnya UPT Pemasyarakatan", "", [], None, [
            ("kro", "EBA", "Layanan Dukungan Manajemen Internal", "", [], None, [
                ("ro", "956", "Layanan BMN", "52", ["IKK-4.2"], (10, 40), []),
                ("ro", "994", "Layanan Perkantoran", "", ["IKK-4.5"], None, [
                    ("component", "001", "Gaji dan Tunjangan yang Melekat pada Gaji", "51", [],
                     (2000, 9000), []),
                    ("component", "002", "Operasional dan Pemeliharaan Kantor", "52", [],
                     (500, 1500), []),
                ]),
            ]),
            ("kro", "EBB", "Layanan Sarana dan Prasarana Internal", "", [], None, [
                ("ro", "951", "Layanan Sarana Internal", "53", ["IKK-4.6", "IKK-4.7", "IKK-4.8"],
                 (100, 600), []),
                ("ro", "971", "Layanan Prasarana Internal", "53", ["IKK-4.9"], (100, 900), []),
            ]),
            ("kro", "EBC", "Layanan Manajemen SDM Internal", "", [], None, [
                ("ro", "954", "Layanan Manajemen SDM", "52", ["IKK-4.3"], (10, 40), []),
            ]),
            ("kro", "EBD", "Layanan Manajemen Kinerja Internal", "", [], None, [
                ("ro", "952", "Layanan Perencanaan dan Penganggaran", "52", ["IKK-4.1"], (10, 30), []),
                ("ro", "955", "Layanan Manajemen Keuangan", "52", ["IKK-4.4"], (10, 30), []),
            ]),
        ]),
    ]),
]  # fmt: skip

RETURN_REASONS = [
    "Data dukung TW belum lengkap; lengkapi daftar penerima layanan.",
    "Jumlah narapidana pada variabel B tidak sama dengan data SDP; periksa kembali.",
    "Uraian capaian belum menjelaskan kendala dan tindak lanjut.",
]


class SynthExists(Exception):
    """The regions to create exist already: synth never writes twice into the same slugs."""


@dataclass
class SynthResult:
    regions: list[Unit]
    facilities: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def region_slug(prefix: str, number: int) -> str:
    return f"kanwil-{prefix}-{number:02d}"


def parse_years(text: str) -> list[int]:
    """'2021-2025' or '2024' → the years, first to last."""
    first, _, last = text.partition("-")
    start, end = int(first), int(last or first)
    if not 2000 <= start <= end <= 2100:
        raise ValueError(f"rentang tahun tidak sah: {text}")
    return list(range(start, end + 1))


def _bulk(model: type[models.Model], objs: list, result: SynthResult, label: str = "") -> list:
    if objs:
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        result.rows[label or model._meta.label] += len(objs)
    return objs


class _Nips:
    """Plausible, unique NIPs (birth date, appointment month, sex, sequence)."""

    def __init__(self) -> None:
        self.used = set(Person.objects.exclude(nip=None).values_list("nip", flat=True))

    def make(self, rng: random.Random) -> str:
        while True:
            birth = dt.date(rng.randint(1966, 1990), rng.randint(1, 12), rng.randint(1, 28))
            appointed = birth.year + rng.randint(22, 30)
            nip = (
                f"{birth:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{rng.choice('12')}"
                f"{rng.randint(1, 999):03d}"
            )
            if nip not in self.used:
                self.used.add(nip)
                return nip


def _split(total: Decimal, parts: int, places: int) -> list[Decimal]:
    """`total` in `parts` increments adding up exactly (the remainder on the last)."""
    step = Decimal(1).scaleb(-places)
    each = (total / parts).quantize(step, rounding="ROUND_DOWN")
    return [each] * (parts - 1) + [total - each * (parts - 1)]


def _target(code: str, unit: str, rng: random.Random) -> Decimal:
    if code in COUNT_TARGETS:
        low, high = COUNT_TARGETS[code]
        return Decimal(rng.randint(low, high))
    base = TARGETS.get(code, 80)
    if unit == "Indeks":
        return Decimal(base + rng.randint(-5, 5))
    if base < 10:
        return Decimal(base)
    return Decimal(min(100, base + rng.choice([-5, -3, 0, 0, 2, 3])))


def _quarter_status(rng: random.Random, age: int) -> str:
    """The final status of a reported quarter; older years are further through the workflow."""
    roll = rng.random()
    if age >= 2:
        table = [(0.72, S.LOCKED), (0.88, S.VERIFIED), (0.94, S.APPROVED), (0.97, S.SUBMITTED)]
    elif age == 1:
        table = [(0.45, S.LOCKED), (0.7, S.VERIFIED), (0.82, S.APPROVED), (0.92, S.SUBMITTED)]
    else:
        table = [(0.2, S.LOCKED), (0.45, S.VERIFIED), (0.65, S.APPROVED), (0.85, S.SUBMITTED)]
    for limit, status in table:
        if roll < limit:
            return status
    return S.RETURNED


def _window(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Entry window: from the day after the quarter ends to the 15th of the next month."""
    if quarter == 4:
        return dt.date(year + 1, 1, 1), dt.date(year + 1, 1, 15)
    return dt.date(year, 3 * quarter + 1, 1), dt.date(year, 3 * quarter + 1, 15)


def _at(day: dt.date, rng: random.Random, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 15), rng.randint(0, 59), tzinfo=zone
    )


def _facility_types(m: int, rng: random.Random) -> list[str]:
    fixed = ["lapas", "rutan", "bapas", "lpka"][:m]
    rest = rng.choices(
        ["lapas", "rutan", "bapas", "lpka"], weights=[50, 30, 12, 8], k=m - len(fixed)
    )
    return fixed + rest


@dataclass
class _Catalogue:
    goals: list[Goal]
    indicators: dict[int, list[Indicator]]  # goal id -> active indicators in order
    variables: dict[int, list[str]]  # indicator id -> symbols the formula uses
    by_code: dict[str, Indicator]


def _catalogue() -> _Catalogue:
    goals = list(Goal.objects.prefetch_related("indicators").order_by(level_rank(), "order"))
    indicators: dict[int, list[Indicator]] = {}
    by_code = {}
    variables = {}
    for goal in goals:
        active = sorted((i for i in goal.indicators.all() if i.active), key=lambda i: i.order)
        indicators[goal.id] = active
        for indicator in active:
            by_code[indicator.code] = indicator
            variables[indicator.id] = sorted(calc.formula_variables(indicator.formula))
    return _Catalogue([g for g in goals if indicators[g.id]], indicators, variables, by_code)


def _values(
    indicator: Indicator, symbols: list[str], population: int, target: Decimal, rng: random.Random
) -> list[dict[str, Decimal]]:
    """Year-to-date values of the four quarters (TW IV is the year): the whole grows through the
    year, the part stays within it, a nil population gives B = 0 (N/A)."""
    code = indicator.code
    fractions = [q / 4 for q in (1, 2, 3, 4)]
    if len(symbols) == 1:  # a count against a count target, or an index
        if indicator.unit == "Indeks":
            value = (target * Decimal(rng.uniform(0.9, 1.1))).quantize(Decimal("0.01"))
            return [{symbols[0]: value} for _ in range(4)]
        year = max(0, round(float(target) * rng.choice([0.6, 0.8, 1, 1, 1, 1, 1.2])))
        out, last = [], 0
        for f in fractions:
            now = max(last, math.floor(year * f + rng.random() * 0.5))
            out.append({symbols[0]: Decimal(now)})
            last = now
        out[-1] = {symbols[0]: Decimal(max(last, year))}
        return out
    pairs = list(calc.ratio_pairs(indicator.formula)) or [(symbols[0], symbols[1])]
    wholes: dict[str, int] = {}
    for _top, bottom in pairs:
        if rng.random() < NIL_CHANCE.get(code, 0.3 if code == "IKK-1.7" else 0):
            wholes[bottom] = 0
            continue
        shape = WHOLE.get(code, (1, 20))
        wholes[bottom] = (
            max(1, round(population * shape * rng.uniform(0.8, 1.2)))
            if isinstance(shape, float)
            else rng.randint(shape[0], shape[1])
        )
    rate = min(1.0, float(target) / 100 * rng.choice([0.85, 0.95, 1.0, 1.02, 1.05, 1.1]))
    out = []
    previous: dict[str, int] = {}
    for q, f in enumerate(fractions, 1):
        values: dict[str, Decimal] = {}
        for top, bottom in pairs:
            whole = wholes[bottom] if q == 4 else math.floor(wholes[bottom] * f)
            whole = max(whole, previous.get(bottom, 0))
            part = min(whole, max(previous.get(top, 0), round(whole * rate)))
            previous[top], previous[bottom] = part, whole
            values[top], values[bottom] = Decimal(part), Decimal(whole)
        out.append(values)
    return out


@transaction.atomic
def synth(
    *,
    regions: int,
    facilities_per_region: int,
    years: list[int],
    seed: int,
    directorate: Unit | None = None,
    prefix: str = "sintetis",
    label: str = "Sintetis",
    first_province: int = 0,
    password: str = "kinerja-demo-2024",
    today: dt.date | None = None,
) -> SynthResult:
    """Create `regions` Kanwil × `facilities_per_region` facilities with their years of data."""
    started = time.monotonic()
    if directorate is None:
        directorate = Unit.objects.filter(kind=UnitKind.DIRECTORATE).order_by("id").first()
    if directorate is None:
        directorate = Unit(
            name="Direktorat Jenderal Pemasyarakatan",
            slug="ditjenpas",
            kind=UnitKind.DIRECTORATE,
            city="Jakarta",
        )
        directorate.save()
    slugs = [region_slug(prefix, n) for n in range(1, regions + 1)]
    taken = list(Unit.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if taken:
        raise SynthExists(
            f"Wilayah {', '.join(sorted(taken)[:3])} sudah ada: synth tidak menulis dua kali ke "
            "wilayah yang sama (pakai --prefix lain, atau basis data baru)."
        )
    today = today or timezone.localdate()
    catalogue = _catalogue()
    if not catalogue.by_code:
        # A new database: the national catalogue first, as `kinerja demo` does (a PK without IKK
        # rows would be no test of anything).
        catalogue_sync()
        catalogue = _catalogue()
    from kinerja.evaluation.services import framework_ensure

    framework_ensure()  # the LKE framework, should a flushed database lack it
    hashed = make_password(password)  # once: hashing per user would take minutes
    nips = _Nips()
    result = SynthResult(regions=[])
    for number in range(1, regions + 1):
        rng = random.Random(f"{seed}:{prefix}:{number}")
        province = PROVINCES[(first_province + number - 1) % len(PROVINCES)]
        result.regions.append(
            _region(
                directorate=directorate,
                number=number,
                slug=slugs[number - 1],
                province=province,
                facilities=facilities_per_region,
                years=years,
                label=label,
                prefix=prefix,
                rng=rng,
                catalogue=catalogue,
                hashed=hashed,
                nips=nips,
                today=today,
                result=result,
            )
        )
    _analyze()
    _store(slugs)
    result.seconds = time.monotonic() - started
    return result


def _store(slugs: list[str]) -> None:
    """Store the new facilities' figures, as the services do after each of their writes (the
    bulk writes here send no signal); the dashboards would compute them anyway, only slower."""
    from kinerja.dashboards.rollup import store_figures

    below = Q()
    for path in Unit.objects.filter(slug__in=slugs).values_list("path", flat=True):
        below |= Q(unit__path__startswith=path)
    if below:
        store_figures(PerjanjianKinerja.objects.filter(below).values_list("id", flat=True))


def _analyze() -> None:
    """Refresh PostgreSQL's statistics of the tables just filled in bulk. Without them the planner
    takes the tables for nearly empty and may join them row by row: a prefetch of a facility's
    values took over a minute after a synthetic load inside one transaction (the tests, the
    demo). ANALYZE sees the rows of its own transaction; SQLite needs nothing."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _region(
    *,
    directorate: Unit,
    number: int,
    slug: str,
    province: tuple[str, str, str, list[str]],
    facilities: int,
    years: list[int],
    label: str,
    prefix: str,
    rng: random.Random,
    catalogue: _Catalogue,
    hashed: str,
    nips: _Nips,
    today: dt.date,
    result: SynthResult,
) -> Unit:
    province_name, capital, zone_name, cities = province
    zone = zoneinfo.ZoneInfo(zone_name)
    repeat = "" if number <= len(PROVINCES) else f" {number:02d}"
    region = Unit(
        name=f"Kanwil {label} {province_name}{repeat}",
        slug=slug,
        kind=UnitKind.KANWIL,
        parent=directorate,
        path=f"{directorate.path}{slug}/",
        city=capital,
        time_zone=zone_name,
    )
    _bulk(Unit, [region], result)
    units = []
    seen: Counter[str] = Counter()
    for m, kind in enumerate(_facility_types(facilities, rng), 1):
        klass = rng.choice(TYPE_CLASSES[kind])
        city = cities[(m - 1) % len(cities)]
        name = f"{TYPE_NAMES[kind]} {label} Kelas {klass} {city}"
        seen[name] += 1
        if seen[name] > 1:
            name += f" {seen[name]}"
        facility_slug = f"{kind}-{prefix}-{number:02d}-{m:03d}"
        low, high = CAPACITY[klass]
        units.append(
            Unit(
                name=name,
                slug=facility_slug,
                kind=UnitKind.UPT,
                parent=region,
                path=f"{region.path}{facility_slug}/",
                facility_type=kind,
                facility_class=klass,
                city=city,
                address=f"Jalan Pemasyarakatan No. {m}, {city}",
                capacity=None if kind == "bapas" else rng.randint(low, high),
                # A few facilities in a city of another zone than their region's capital.
                time_zone=zone_name if rng.random() < 0.1 else "",
            )
        )
    _bulk(Unit, units, result)
    result.facilities += len(units)

    # People: the regional head (Pihak Kedua) and every facility head (Pihak Pertama).
    region_head = Person(
        name=f"Kepala Kanwil {label} {province_name}",
        nip=nips.make(rng),
        unit=region,
        position=f"Kepala Kantor Wilayah {province_name}",
    )
    heads = [
        Person(
            name=f"Kepala {u.name}",
            nip=nips.make(rng),
            unit=u,
            position=f"Kepala {u.name}",
        )
        for u in units
    ]
    _bulk(Person, [region_head, *heads], result)
    _bulk(
        HeadAppointment,
        [
            HeadAppointment(unit=u, person=p, title=p.position, start=dt.date(years[0], 1, 1))
            for u, p in zip(units, heads, strict=True)
        ]
        + [
            HeadAppointment(
                unit=region,
                person=region_head,
                title=region_head.position,
                start=dt.date(years[0], 1, 1),
            )
        ],
        result,
    )

    # Users: one evaluator for the region, an operator and a head per facility; one hash for all.
    user_model = get_user_model()
    evaluator = user_model(
        username=f"evaluator.{slug}",
        first_name="Evaluator",
        last_name=region.name,
        password=hashed,
    )
    operators = {
        u.id: user_model(
            username=f"op.{u.slug}", first_name="Operator", last_name=u.name, password=hashed
        )
        for u in units
    }
    head_users = {
        u.id: user_model(
            username=f"kepala.{u.slug}", first_name="Kepala", last_name=u.name, password=hashed
        )
        for u in units
    }
    _bulk(user_model, [evaluator, *operators.values(), *head_users.values()], result, "auth.User")
    _bulk(
        Membership,
        [Membership(user=evaluator, unit=region, role=Role.EVALUATOR)]
        + [Membership(user=operators[u.id], unit=u, role=Role.OPERATOR) for u in units]
        + [Membership(user=head_users[u.id], unit=u, role=Role.HEAD) for u in units],
        result,
    )

    # Entry windows per quarter.
    windows = {(y, q): _window(y, q) for y in years for q in (1, 2, 3, 4)}
    _bulk(
        EntryWindow,
        [
            EntryWindow(region=region, year=y, quarter=q, opens=o, closes=c)
            for (y, q), (o, c) in windows.items()
        ],
        result,
    )

    # Perjanjian Kinerja, signed, with every catalogue indicator (as pk_create places them).
    agreements = []
    for u, head in zip(units, heads, strict=True):
        for year in years:
            signed_on = dt.date(year, 1, rng.randint(5, 25))
            agreements.append(
                PerjanjianKinerja(
                    unit=u,
                    year=year,
                    status=PKStatus.SIGNED,
                    place=capital,
                    signed_on=signed_on,
                    first_party=head,
                    first_party_title=head.position,
                    second_party=region_head,
                    second_party_title=region_head.position,
                    signed_by=head_users[u.id],
                    signed_at=_at(signed_on, rng, zone),
                )
            )
    _bulk(PerjanjianKinerja, agreements, result)
    goals = [
        PKGoal(agreement=a, level=g.level, number=g.order, name=g.name)
        for a in agreements
        for g in catalogue.goals
    ]
    _bulk(PKGoal, goals, result)
    activities = [
        RAActivity(
            agreement=a,
            name=name,
            pagu=Decimal(rng.randint(low, high)) * 1_000_000,
        )
        for a in agreements
        for name, (low, high) in RA_ACTIVITIES.values()
    ]
    _bulk(RAActivity, activities, result)
    # The PK's budget table (a signed PK never has an empty one): the programme with the total
    # of the Rencana Aksi's activities.
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for act in activities:
        totals[act.agreement.id] += act.pagu
    _bulk(
        PKBudgetItem,
        [
            PKBudgetItem(
                agreement=a,
                kind="program",
                name="Program Penegakan dan Pelayanan Hukum",
                amount=totals[a.id],
                order=1,
            )
            for a in agreements
        ],
        result,
    )
    _bulk(
        RAActivityQuarter,
        [
            RAActivityQuarter(
                activity=act,
                quarter=q,
                planned_disbursement=part,
                realised=(part * Decimal(rng.uniform(0.85, 1.0))).quantize(Decimal(1)),
            )
            for act in activities
            for q, part in enumerate(_split(act.pagu, 4, 0), 1)
        ],
        result,
    )
    rows: list[PKIndicator] = []
    goal_iter = iter(goals)
    activity_iter = iter(activities)
    population: dict[int, int] = {}
    for a in agreements:
        unit = a.unit
        population[a.id] = (
            round((unit.capacity or 300) * rng.uniform(0.7, 2.2))
            if unit.facility_type != "bapas"
            else rng.randint(150, 900)  # clients under supervision
        )
        by_sk = {str(n): next(activity_iter) for n in ("1", "2", "3", "4")}
        for g in catalogue.goals:
            pk_goal = next(goal_iter)
            for n, indicator in enumerate(catalogue.indicators[g.id], 1):
                rows.append(
                    PKIndicator(
                        agreement=a,
                        goal=pk_goal,
                        indicator=indicator,
                        indicator_name=indicator.name,
                        number=n,
                        target=_target(indicator.code, indicator.unit, rng),
                        target_unit=indicator.unit,
                        activity=by_sk.get(indicator.code[4:5])
                        if indicator.level == Level.IKK
                        else None,
                        national_priority=indicator.code in ("IKK-1.3", "IKK-1.7", "IKK-1.8"),
                    )
                )
    _bulk(PKIndicator, rows, result)
    ikk_rows = [r for r in rows if r.indicator.level == Level.IKK]
    _bulk(
        RAQuarter,
        [
            RAQuarter(pk_indicator=r, quarter=q, target_increment=part)
            for r in ikk_rows
            for q, part in enumerate(
                _split(r.target or D0, 4, 0 if r.target_unit in ("Layanan", "Unit") else 2), 1
            )
        ],
        result,
    )

    # Results and the workflow, planned per facility-year-quarter.
    by_agreement: dict[int, list[PKIndicator]] = {}
    for r in ikk_rows:
        by_agreement.setdefault(r.agreement_id, []).append(r)
    realizations: list[Realization] = []
    values: list[tuple[Realization, dict[str, Decimal]]] = []
    reports: list[QuarterReport] = []
    steps: list[tuple[QuarterReport, list[Transition]]] = []
    for a in agreements:
        unit_rows = by_agreement[a.id]
        series = {
            r.id: _values(
                r.indicator,
                catalogue.variables[r.indicator_id],
                population[a.id],
                r.target or D0,
                rng,
            )
            for r in unit_rows
        }
        operator, head_user = operators[a.unit_id], head_users[a.unit_id]
        for q in (1, 2, 3, 4):
            opens, closes = windows[(a.year, q)]
            quarter_end = opens - dt.timedelta(days=1)
            if quarter_end > today:
                continue
            roll = rng.random()
            if roll < 0.05:  # not reported at all
                continue
            partial = roll < 0.08 or today <= closes  # a draft being filled (or the window is open)
            chosen = [r for r in unit_rows if not partial or rng.random() < 0.6]
            for r in chosen:
                realization = Realization(pk_indicator=r, quarter=q, updated_by=operator)
                realizations.append(realization)
                values.append((realization, series[r.id][q - 1]))
            if partial:
                if chosen:
                    reports.append(QuarterReport(agreement=a, quarter=q, status=S.DRAFT))
                continue
            status = _quarter_status(rng, today.year - a.year - (1 if q == 4 else 0))
            late = rng.random() < 0.12
            submitted = (
                closes + dt.timedelta(days=rng.randint(1, 25))
                if late
                else opens + dt.timedelta(days=rng.randint(0, (closes - opens).days))
            )
            report = QuarterReport(agreement=a, quarter=q, status=status)
            log: list[Transition] = []
            day = submitted
            if rng.random() < 0.1 and status != S.RETURNED:
                # Returned once and submitted again.
                log.append(_step(report, S.DRAFT, S.SUBMITTED, operator, day, rng, zone))
                day += dt.timedelta(days=rng.randint(2, 7))
                log.append(
                    _step(
                        report, S.SUBMITTED, S.RETURNED, evaluator, day, rng, zone, RETURN_REASONS
                    )
                )
                day += dt.timedelta(days=rng.randint(1, 5))
                log.append(_step(report, S.RETURNED, S.SUBMITTED, operator, day, rng, zone))
            else:
                log.append(_step(report, S.DRAFT, S.SUBMITTED, operator, day, rng, zone))
            chain = [
                (S.APPROVED, head_user, (1, 3)),
                (S.VERIFIED, evaluator, (2, 10)),
                (S.LOCKED, evaluator, (1, 20)),
            ]
            current = S.SUBMITTED
            if status == S.RETURNED:
                day += dt.timedelta(days=rng.randint(2, 10))
                log.append(
                    _step(report, current, S.RETURNED, evaluator, day, rng, zone, RETURN_REASONS)
                )
                report.return_reason = log[-1].reason
            else:
                for target_status, by, (low, high) in chain:
                    if current == status:
                        break
                    day += dt.timedelta(days=rng.randint(low, high))
                    log.append(_step(report, current, target_status, by, day, rng, zone))
                    current = target_status
            reports.append(report)
            steps.append((report, log))

    # Budget: the DIPA with monthly plan and realisation, and the published scores.
    lines: list[DipaLine] = []
    funds: list[tuple[DipaLine, list[str]]] = []
    months: list[SpendingMonth] = []
    for a in agreements:
        order = [0]

        def walk(nodes, parent, agreement=a, order=order):
            for level, code, name, spending, funded, pagu, children in nodes:
                order[0] += 1
                line = DipaLine(
                    unit_id=agreement.unit_id,
                    year=agreement.year,
                    parent=parent,
                    level=level,
                    code=code,
                    name=name,
                    spending_type=spending,
                    order=order[0],
                )
                lines.append(line)
                if funded:
                    funds.append((line, funded))
                if pagu is not None:
                    amount = Decimal(rng.randint(*pagu)) * 1_000_000
                    line.pagu = amount
                    if rng.random() < 0.05:
                        line.blocked = (amount * Decimal("0.1")).quantize(Decimal(1))
                        line.blocked_reason = "Pagu blokir (automatic adjustment)"
                    available = amount - line.blocked
                    spent = (available * Decimal(rng.uniform(0.82, 0.99))).quantize(Decimal(1))
                    weights = (
                        [1] * 12
                        if spending == "51"
                        else [rng.randint(1, 3) + m // 3 for m in range(12)]
                    )
                    total = sum(weights)
                    realised = [
                        (spent * w / total).quantize(Decimal(1), rounding="ROUND_DOWN")
                        for w in weights
                    ]
                    for month, (plan, real) in enumerate(
                        zip(_split(amount, 12, 0), realised, strict=True), 1
                    ):
                        months.append(
                            SpendingMonth(line=line, month=month, planned=plan, realised=real)
                        )
                walk(children, line)

        walk(DIPA, None)
    # Parents first, so every line has its parent's id.
    for level in ("program", "activity", "kro", "ro", "component"):
        batch = [line for line in lines if line.level == level]
        for line in batch:
            line.parent = line.parent  # re-read the parent's id now that it is saved
        _bulk(DipaLine, batch, result, "budget.DipaLine")
    through = DipaLine.funds.through
    _bulk(
        through,
        [
            through(dipaline_id=line.id, indicator_id=catalogue.by_code[code].id)
            for line, codes in funds
            for code in codes
        ],
        result,
        "budget.DipaLine_funds",
    )
    _bulk(
        BudgetScore,
        [
            BudgetScore(
                unit_id=a.unit_id,
                year=a.year,
                smart=Decimal(rng.uniform(72, 99)).quantize(Decimal("0.01")),
                ikpa=Decimal(rng.uniform(80, 99.5)).quantize(Decimal("0.01")),
            )
            for a in agreements
        ],
        result,
    )

    # Results and spending before the quarters close (the lock triggers), then the reports and
    # their logs (as results_carry_over writes them).
    _bulk(SpendingMonth, months, result)
    _bulk(Realization, realizations, result)
    _bulk(
        VariableValue,
        [
            VariableValue(realization=r, symbol=symbol, value=value)
            for r, vals in values
            for symbol, value in vals.items()
        ],
        result,
    )
    _bulk(QuarterReport, reports, result)
    for report, log in steps:
        for step in log:
            step.report = report
    _bulk(Transition, [step for _, log in steps for step in log], result)
    _evaluations(units, years, rng, today, zone, evaluator, head_users, result)
    return region


# The LKE answers A-E with the weight of each in a facility's draw: a facility of quality q (0-1)
# answers a criterion A with a chance growing with q, E with a chance shrinking with it.
_CODES = ("A", "B", "C", "D", "E")


def _answer(rng: random.Random, quality: float) -> str:
    weights = [quality**2, quality, 0.6, 1 - quality, (1 - quality) ** 2]
    return rng.choices(_CODES, weights=weights)[0]


def _evaluations(
    units: list[Unit],
    years: list[int],
    rng: random.Random,
    today: dt.date,
    zone: zoneinfo.ZoneInfo,
    evaluator,
    heads: dict,
    result: SynthResult,
) -> None:
    """The AKIP evaluation (LKE) of each facility-year, evaluated the year after: finished (score
    and grade from calc, one or two recommendations, most followed up) for years whose next year
    has passed; for the year whose evaluation runs now, a mix of finished, submitted, draft and not
    started; none for the current year. Written as the services would leave them."""
    from kinerja.evaluation.models import Answer, Criterion, Evaluation, FollowUp, Recommendation
    from kinerja.evaluation.selectors import framework_components, framework_for, grades_of

    plans = []  # (evaluation, status, final answers by criterion id)
    answers = []
    for year in years:
        if year >= today.year:
            continue
        framework = framework_for(year)
        if framework is None:
            continue
        structure = framework_components(framework)
        ids = list(
            Criterion.objects.filter(sub__component__framework=framework)
            .order_by("sub__component__number", "sub__number", "number")
            .values_list("id", flat=True)
        )
        values = {a["code"]: Decimal(a["value"]) for a in framework.scales["AE"]}
        grades = grades_of(framework)
        for unit in units:
            if year + 1 == today.year:
                status = rng.choices(
                    ["final", "submitted", "draft", "none"], weights=[60, 20, 15, 5]
                )[0]
            else:
                status = "final"
            if status == "none":
                continue
            quality = rng.uniform(0.35, 0.95)
            own = [_answer(rng, min(quality + 0.1, 1.0)) for _ in ids]
            final = [_answer(rng, quality) for _ in ids] if status == "final" else [""] * len(ids)
            evaluation = Evaluation(unit=unit, year=year, framework=framework)
            if status == "final":
                flat = iter(final)
                scored = [
                    calc.LkeComponent(
                        c.key,
                        c.name,
                        c.weight,
                        tuple(
                            calc.LkeSub(
                                s.key,
                                s.aspect,
                                s.weight,
                                tuple(
                                    calc.LkeCriterion(k.key, k.weight, values[next(flat)])
                                    for k in s.criteria
                                ),
                            )
                            for s in c.subs
                        ),
                    )
                    for c in structure
                ]
                score = calc.lke_score(scored, grades)
                evaluation.score = score.shown
                evaluation.grade = score.grade.code if score.grade else ""
                evaluation.finished_by = evaluator
                evaluation.finished_at = _at(dt.date(year + 1, 4, 15), rng, zone)
            if status in ("final", "submitted"):
                evaluation.submitted_by = heads[unit.id]
                evaluation.submitted_at = _at(dt.date(year + 1, 3, 1), rng, zone)
            plans.append((evaluation, status))
            answers.append((evaluation, ids, own, final))
    if not plans:
        return
    _bulk(Evaluation, [e for e, _ in plans], result)
    _bulk(
        Answer,
        [
            Answer(evaluation=e, criterion_id=cid, self_value=own[i], final_value=final[i])
            for e, ids, own, final in answers
            for i, cid in enumerate(ids)
        ],
        result,
    )
    recommendations = []
    for evaluation, status in plans:
        if status != "final":
            continue
        for n in range(rng.randint(1, 2)):
            recommendations.append(
                Recommendation(
                    evaluation=evaluation,
                    text=rng.choice(
                        [
                            "Lengkapi data dukung realisasi setiap triwulan sebelum diajukan.",
                            "Selaraskan target Rencana Aksi triwulanan dengan target PK.",
                            "Manfaatkan hasil pengukuran kinerja dalam penyesuaian kegiatan.",
                            "Sampaikan LKjIP tepat waktu setelah reviu tanpa galat terbuka.",
                        ]
                    ),
                    deadline=dt.date(evaluation.year + 1, 6 + 3 * n, 30),
                    by=evaluator,
                    at=evaluation.finished_at or timezone.now(),
                )
            )
    _bulk(Recommendation, recommendations, result)
    _bulk(
        FollowUp,
        [
            FollowUp(
                recommendation=r,
                text="Sudah ditindaklanjuti; data dukung terlampir di halaman evaluasi.",
                done=True,
                by=heads[r.evaluation.unit_id],
                at=_at(r.deadline - dt.timedelta(days=rng.randint(5, 60)), rng, zone),
            )
            for r in recommendations
            if rng.random() < 0.7 and r.deadline < today
        ],
        result,
    )
    # Last, as the services do: the status that locks (the database refuses answers and
    # recommendations of a finished evaluation). Synthetic rows in bulk, as every table here: no
    # history rows (nobody changed them).
    for evaluation, status in plans:
        evaluation.status = status
    Evaluation.objects.bulk_update(
        [e for e, _ in plans], ["status"], batch_size=BATCH
    )  # history-exempt


def _step(
    report: QuarterReport,
    source: str,
    target: str,
    by,
    day: dt.date,
    rng: random.Random,
    zone: zoneinfo.ZoneInfo,
    reasons: list[str] | None = None,
) -> Transition:
    return Transition(
        report=report,
        from_status=source,
        to_status=target,
        by=by,
        at=_at(day, rng, zone),
        reason=rng.choice(reasons) if reasons else "",
    )


# The small synthetic set of the demo: two regions of six facilities, 2023-2024.
DEMO_PREFIX = "contoh"


def load_synth_demo(directorate: Unit, password: str) -> SynthResult | None:
    """Add the demo's synthetic regions once (None when they exist: the demo stays idempotent)."""
    if Unit.objects.filter(slug=region_slug(DEMO_PREFIX, 1)).exists():
        return None
    return synth(
        regions=2,
        facilities_per_region=6,
        years=[2023, 2024],
        seed=2024,
        directorate=directorate,
        prefix=DEMO_PREFIX,
        label="Contoh",
        first_province=30,  # Maluku, Maluku Utara
        password=password,
    )
