"""Pre-fill: per LKE criterion that Kinerja's own records can answer, a proposed answer with its
reasons and links to those records ("PK 2023 ditandatangani 16 Januari 2023 …" → A). Computed when
read, from the same selectors as the pages and documents, so it follows the data; it never writes
an answer: the facility takes a proposal, and a taken proposal that no longer matches the data is
shown beside the answer, not overwritten.

A rule answers on the A-E scale. `None` as the code means the data cannot answer the criterion
("tidak dapat diisi otomatis"), with the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from kinerja import calc
from kinerja.budget.models import DipaLine
from kinerja.core.formatting import TRIWULAN, format_date
from kinerja.documents.lkjip_data import _quarter_states
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.measurement.models import Evidence, RealizationStatus, Transition
from kinerja.measurement.selectors import IndicatorResult, ikk_rows, year_results
from kinerja.organizations.models import Unit
from kinerja.organizations.selectors import head_on
from kinerja.planning.models import (
    PerjanjianKinerja,
    PKBudgetItem,
    PKStatus,
    Renstra,
    RenstraTarget,
)
from kinerja.reporting.models import DocumentKind

if TYPE_CHECKING:
    from kinerja.evaluation.models import Evaluation
from kinerja.review.models import ReviewRun

NOT_AUTOMATIC = "tidak dapat diisi otomatis"
# PermenPAN-RB 53/2014: the PK is drawn up at the latest a month after the DIPA is received (the
# DIPA is handed over in December): the end of January of its year.
PK_DUE = (1, 31)
# PerPres 29/2014 art. 20: the LKjIP is delivered at the latest two months after the year ends.
LKJIP_DUE_MONTHS = 2
_DONE = (
    RealizationStatus.SUBMITTED,
    RealizationStatus.APPROVED,
    RealizationStatus.VERIFIED,
    RealizationStatus.LOCKED,
)


@dataclass
class Link:
    label: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "url": self.url}


@dataclass
class Proposal:
    code: str | None  # A … E, or None: not answerable from the data
    reasons: list[str]
    links: list[Link] = field(default_factory=list)

    @property
    def automatic(self) -> bool:
        return self.code is not None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "reasons": list(self.reasons),
            "links": [link.as_dict() for link in self.links],
        }


def _by_share(done: int, whole: int) -> str:
    """All → A, at least ¾ → B, at least half → C, some → D, none → E."""
    if whole <= 0 or done <= 0:
        return "E"
    if done >= whole:
        return "A"
    share = Decimal(done) / Decimal(whole)
    if share >= Decimal("0.75"):
        return "B"
    if share >= Decimal("0.5"):
        return "C"
    return "D"


@dataclass
class Facts:
    """What the rules read, gathered once for the facility-year (a fixed number of queries)."""

    unit: Unit
    year: int
    today: dt.date
    renstra: Renstra | None
    agreement: PerjanjianKinerja | None
    results: list[IndicatorResult]
    quarters: list  # lkjip_data.QuarterState for TW I-IV
    approved_by_head: set[int]
    verified_by_region: set[int]
    evidence_periods: set[int]  # realisation ids with a file
    budget_items: int
    dipa_lines: int
    funded: set[int]  # catalogue indicator ids a DIPA line of the year funds
    lkjip_jobs: list[DocumentJob]
    capaian_quarters: set[int]
    review: ReviewRun | None
    renstra_targets: set[int]  # indicator ids with a Renstra target for the year
    previous_agreement: PerjanjianKinerja | None
    previous_evaluation: Evaluation | None  # of year - 1
    previous_recommendations: list = field(default_factory=list)

    def url(self, name: str, *args: object, year: bool = False) -> str:
        path = reverse(name, args=[self.unit.slug, *args])
        return f"{path}?tahun={self.year}" if year else path


def gather(unit: Unit, year: int, today: dt.date | None = None) -> Facts:
    from kinerja.evaluation.models import Evaluation

    today = today or unit.local_today()
    renstra = (
        Renstra.objects.filter(unit=unit, start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    results: list[IndicatorResult] = []
    quarters: list = []
    approved: set[int] = set()
    verified: set[int] = set()
    evidence: set[int] = set()
    budget_items = 0
    if agreement is not None:
        results = year_results(agreement, ikk_rows(agreement))
        quarters = _quarter_states(unit, agreement, year)
        moves = Transition.objects.filter(report__agreement=agreement).values_list(
            "report__quarter", "to_status"
        )
        approved = {q for q, s in moves if s == RealizationStatus.APPROVED}
        verified = {q for q, s in moves if s == RealizationStatus.VERIFIED}
        evidence = set(
            Evidence.objects.filter(realization__pk_indicator__agreement=agreement).values_list(
                "realization_id", flat=True
            )
        )
        budget_items = PKBudgetItem.objects.filter(agreement=agreement).count()
    jobs = list(
        DocumentJob.objects.filter(unit=unit, year=year, status=JobStatus.DONE).order_by(
            "finished_at", "id"
        )
    )
    previous = Evaluation.objects.filter(unit=unit, year=year - 1).first()
    recommendations = (
        list(previous.recommendations.prefetch_related("follow_ups")) if previous else []
    )
    return Facts(
        unit=unit,
        year=year,
        today=today,
        renstra=renstra,
        agreement=agreement,
        results=results,
        quarters=quarters,
        approved_by_head=approved,
        verified_by_region=verified,
        evidence_periods=evidence,
        budget_items=budget_items,
        dipa_lines=DipaLine.objects.filter(unit=unit, year=year).count(),
        funded=set(
            DipaLine.funds.through.objects.filter(
                dipaline__unit=unit, dipaline__year=year
            ).values_list("indicator_id", flat=True)
        ),
        lkjip_jobs=[j for j in jobs if j.kind == DocumentKind.LKJIP],
        capaian_quarters={j.quarter for j in jobs if j.kind == DocumentKind.CAPAIAN and j.quarter},
        review=ReviewRun.objects.filter(unit=unit, year=year).first(),
        renstra_targets=set(
            RenstraTarget.objects.filter(renstra=renstra, year=year).values_list(
                "indicator_id", flat=True
            )
        )
        if renstra
        else set(),
        previous_agreement=PerjanjianKinerja.objects.in_force(unit, year - 1),
        previous_evaluation=previous,
        previous_recommendations=recommendations,
    )


# --- The rules, by the name a criterion's `prefill` gives -----------------------------------------


def _no_pk(f: Facts) -> Proposal:
    return Proposal(
        "E",
        [f"Belum ada Perjanjian Kinerja {f.year}."],
        [Link("Halaman UPT", f.url("unit_detail", year=True))],
    )


def _signed(f: Facts) -> bool:
    return f.agreement is not None and f.agreement.status == PKStatus.SIGNED


def renstra(f: Facts) -> Proposal:
    if f.renstra is None:
        return Proposal(
            "E",
            [f"Tidak ada Renstra yang mencakup tahun {f.year} di Kinerja."],
            [Link("Daftar Renstra", f.url("renstra_list"))],
        )
    r = f.renstra
    return Proposal(
        "A",
        [f"Renstra {r.start_year}-{r.end_year} mencakup tahun {f.year}."],
        [Link(f"Renstra {r.start_year}-{r.end_year}", f.url("renstra", r.start_year))],
    )


def pk_exists(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    link = [Link(f"Perjanjian Kinerja {f.year}", f.url("unit_detail", year=True))]
    if _signed(f):
        return Proposal("A", [f"Perjanjian Kinerja {f.year} ditandatangani dan berlaku."], link)
    return Proposal("C", [f"Perjanjian Kinerja {f.year} masih draf (belum ditandatangani)."], link)


def pk_formal(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    pk = f.agreement
    link = [Link(f"Perjanjian Kinerja {f.year}", f.url("unit_detail", year=True))]
    if not _signed(f):
        return Proposal("E", [f"Perjanjian Kinerja {f.year} belum ditandatangani."], link)
    reasons = [
        f"PK {f.year} ditandatangani {format_date(pk.signed_on) if pk.signed_on else '(tanggal belum diisi)'}."
    ]
    missing = []
    if pk.first_party_id is None:
        missing.append("pihak pertama")
    if pk.second_party_id is None:
        missing.append("pihak kedua")
    head = head_on(f.unit, pk.signed_on)
    if pk.first_party_id and head is not None and head.person_id == pk.first_party_id:
        acting = any(w in head.title.lower() for w in ("plt", "plh", "pelaksana"))
        reasons.append(
            f"Pihak pertama {head.person.name}, {'pelaksana tugas' if acting else 'kepala definitif'} pada tanggal itu."
        )
    elif pk.first_party_id:
        reasons.append("Pihak pertama bukan kepala yang tercatat pada tanggal penandatanganan.")
        missing.append("pihak pertama yang menjabat")
    if pk.second_party_id:
        reasons.append(f"Pihak kedua {pk.second_party_title or 'atasan langsung'}.")
    if missing:
        reasons.append("Belum lengkap: " + ", ".join(missing) + ".")
        return Proposal("C", reasons, link)
    return Proposal("A", reasons, link)


def pk_on_time(f: Facts) -> Proposal:
    if f.agreement is None or not _signed(f):
        return Proposal(
            "E",
            [f"Perjanjian Kinerja {f.year} belum ditandatangani."],
            [Link("Halaman UPT", f.url("unit_detail", year=True))],
        )
    signed_on = f.agreement.signed_on
    due = dt.date(f.year, *PK_DUE)
    link = [Link(f"Perjanjian Kinerja {f.year}", f.url("unit_detail", year=True))]
    if signed_on is None:
        return Proposal("C", ["Tanggal penandatanganan PK belum diisi."], link)
    if signed_on <= due:
        return Proposal(
            "A",
            [f"PK ditandatangani {format_date(signed_on)}, paling lambat {format_date(due)}."],
            link,
        )
    days = (signed_on - due).days
    return Proposal(
        "C" if days <= 31 else "D",
        [
            f"PK ditandatangani {format_date(signed_on)}, {days} hari setelah batas {format_date(due)}."
        ],
        link,
    )


def rencana_aksi(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    whole = len(f.results)
    planned = sum(
        1 for r in f.results if any(q.target_increment is not None for q in r.row.quarters.all())
    )
    code = _by_share(planned, whole)
    reasons = [
        f"{planned} dari {whole} IKK memiliki target triwulanan dalam Rencana Aksi {f.year}."
    ]
    return Proposal(
        code,
        reasons,
        [
            Link(
                f"Rencana Aksi {f.year} (XLSX)",
                reverse(
                    "renaksi_download", kwargs={"slug": f.unit.slug, "year": f.year, "fmt": "xlsx"}
                ),
            )
        ],
    )


def budget_plan(f: Facts) -> Proposal:
    parts = []
    if f.budget_items:
        parts.append(f"tabel anggaran PK ({f.budget_items} baris)")
    if f.dipa_lines:
        parts.append(f"DIPA ({f.dipa_lines} baris)")
    link = [Link(f"Anggaran {f.year}", f.url("budget", year=True))]
    if len(parts) == 2:
        return Proposal("A", [f"Tercatat {parts[0]} dan {parts[1]}."], link)
    if parts:
        missing = "DIPA" if f.budget_items else "tabel anggaran PK"
        return Proposal("C", [f"Tercatat {parts[0]}; {missing} belum ada."], link)
    return Proposal("E", ["Belum ada tabel anggaran PK maupun baris DIPA."], link)


def budget_linked(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    whole = len(f.results)
    linked = sum(
        1 for r in f.results if r.row.activity_id is not None or r.row.indicator_id in f.funded
    )
    return Proposal(
        _by_share(linked, whole),
        [
            f"{linked} dari {whole} IKK terhubung dengan anggaran (kegiatan Rencana Aksi atau "
            "baris DIPA yang mendanainya)."
        ],
        [Link(f"Anggaran {f.year}", f.url("budget", year=True))],
    )


def targets_achieved(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    measured = [r for r in f.results if r.achievement is not None and not r.achievement.is_na]
    if not measured:
        return Proposal(
            None,
            ["Belum ada capaian IKK yang dapat dihitung."],
            [Link("Capaian", f.url("results", year=True))],
        )
    reached = sum(1 for r in measured if calc.target_reached(r.achievement))
    na = len(f.results) - len(measured)
    reasons = [f"{reached} dari {len(measured)} IKK yang terukur mencapai target."]
    if na:
        reasons.append(f"{na} IKK tidak terukur (N/A atau belum diisi) tidak dihitung.")
    return Proposal(
        _by_share(reached, len(measured)),
        reasons,
        [Link(f"Capaian {f.year}", f.url("results", year=True))],
    )


def _ended_quarters(f: Facts) -> list:
    return [q for q in f.quarters if q.ended]


def quarters_monitored(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    ended = _ended_quarters(f)
    if not ended:
        return Proposal(None, [f"Belum ada triwulan {f.year} yang berakhir."])
    done = [q for q in ended if q.status in _DONE]
    missing = [TRIWULAN[q.quarter] for q in ended if q.status not in _DONE]
    reasons = [
        f"{len(done)} dari {len(ended)} triwulan yang telah berakhir dilaporkan dan dipantau."
    ]
    if missing:
        reasons.append("Belum dilaporkan: " + ", ".join(missing) + ".")
    links = [
        Link(f"Realisasi {TRIWULAN[q.quarter]}", f.url("entry", f.year, q.quarter)) for q in ended
    ]
    return Proposal(_by_share(len(done), len(ended)), reasons, links)


def smart_indicators(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    whole = len(f.results)
    ok = sum(1 for r in f.results if r.row.target is not None and r.row.indicator.formula)
    return Proposal(
        _by_share(ok, whole),
        [
            f"{ok} dari {whole} IKK memiliki target terukur dan rumus perhitungan dari katalog nasional."
        ],
        [Link(f"Perjanjian Kinerja {f.year}", f.url("unit_detail", year=True))],
    )


def operational_definitions(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    whole = len(f.results)
    ok = sum(
        1 for r in f.results if r.row.indicator.formula and len(r.row.indicator.variables.all()) > 0
    )
    return Proposal(
        _by_share(ok, whole),
        [
            f"{ok} dari {whole} IKK memiliki rumus dan definisi variabel (katalog indikator nasional)."
        ],
        [Link(f"Capaian {f.year} dengan rumus", f.url("results", year=True))],
    )


def evidence_kept(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    entered = 0
    with_file = 0
    gaps: dict[int, int] = {}
    for r in f.results:
        formula = r.row.indicator.formula
        for realization in r.row.realizations.all():
            values = {v.symbol: v.value for v in realization.values.all()}
            if not calc.is_complete(formula, values):
                continue
            entered += 1
            if realization.id in f.evidence_periods:
                with_file += 1
            else:
                gaps[realization.quarter] = gaps.get(realization.quarter, 0) + 1
    if not entered:
        return Proposal(
            "E",
            [f"Belum ada realisasi {f.year} yang diisi."],
            [Link("Capaian", f.url("results", year=True))],
        )
    reasons = [f"{with_file} dari {entered} realisasi IKK memiliki data dukung."]
    reasons += [f"{TRIWULAN[q]} tanpa data dukung untuk {n} IKK." for q, n in sorted(gaps.items())]
    links = [Link(f"Realisasi {TRIWULAN[q]}", f.url("entry", f.year, q)) for q in sorted(gaps)]
    return Proposal(_by_share(with_file, entered), reasons, links)


def head_approved(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    ended = _ended_quarters(f)
    if not ended:
        return Proposal(None, [f"Belum ada triwulan {f.year} yang berakhir."])
    approved = [q for q in ended if q.quarter in f.approved_by_head]
    return Proposal(
        _by_share(len(approved), len(ended)),
        [
            f"Kepala UPT menyetujui laporan {len(approved)} dari {len(ended)} triwulan yang telah berakhir."
        ],
        [Link(f"Riwayat {f.year}", f.url("changelog"))],
    )


def measured_regularly(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    ended = _ended_quarters(f)
    if not ended:
        return Proposal(None, [f"Belum ada triwulan {f.year} yang berakhir."])
    on_time = [
        q
        for q in ended
        if q.status in _DONE and q.timing in (calc.Timeliness.ON_TIME, calc.Timeliness.NO_WINDOW)
    ]
    late = [
        TRIWULAN[q.quarter] for q in ended if q.status in _DONE and q.timing == calc.Timeliness.LATE
    ]
    reasons = [f"{len(on_time)} dari {len(ended)} triwulan diukur dan diajukan tepat waktu."]
    if late:
        reasons.append("Terlambat: " + ", ".join(late) + ".")
    return Proposal(
        _by_share(len(on_time), len(ended)),
        reasons,
        [Link(f"Capaian {f.year}", f.url("results", year=True))],
    )


def region_verified(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    ended = _ended_quarters(f)
    if not ended:
        return Proposal(None, [f"Belum ada triwulan {f.year} yang berakhir."])
    verified = [q for q in ended if q.quarter in f.verified_by_region]
    return Proposal(
        _by_share(len(verified), len(ended)),
        [
            f"Kanwil memverifikasi laporan {len(verified)} dari {len(ended)} triwulan yang telah berakhir."
        ],
        [Link(f"Riwayat {f.year}", f.url("changelog"))],
    )


def data_in_system(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    recorded = sum(1 for r in f.results if r.recorded)
    if not recorded:
        return Proposal("E", [f"Belum ada realisasi {f.year} yang diisi di Kinerja."])
    return Proposal(
        "A",
        [
            f"Realisasi {recorded} IKK dikumpulkan dan dihitung di Kinerja dengan rumus katalog nasional."
        ],
        [Link(f"Capaian {f.year}", f.url("results", year=True))],
    )


def _lkjip_final(f: Facts) -> DocumentJob | None:
    return next((j for j in f.lkjip_jobs if not j.draft), None)


def _doc_link(f: Facts, job: DocumentJob) -> Link:
    return Link(
        f"{job.filename or 'LKjIP'}", reverse("document_download", args=[f.unit.slug, job.id])
    )


def lkjip_made(f: Facts) -> Proposal:
    final = _lkjip_final(f)
    if final:
        return Proposal(
            "A",
            [
                f"LKjIP {f.year} dibuat {format_date(timezone.localdate(final.finished_at))} (final)."
            ],
            [_doc_link(f, final)],
        )
    if f.lkjip_jobs:
        job = f.lkjip_jobs[-1]
        return Proposal(
            "C",
            [f"LKjIP {f.year} baru dibuat sebagai draf (reviu masih memuat galat)."],
            [_doc_link(f, job)],
        )
    return Proposal(
        "E", [f"LKjIP {f.year} belum dibuat di Kinerja."], [Link("Dokumen", f.url("documents"))]
    )


def quarterly_reports(f: Facts) -> Proposal:
    if f.agreement is None:
        return _no_pk(f)
    ended = _ended_quarters(f)
    if not ended:
        return Proposal(None, [f"Belum ada triwulan {f.year} yang berakhir."])
    reported = [q for q in ended if q.status in _DONE]
    reasons = [
        f"Laporan capaian {len(reported)} dari {len(ended)} triwulan yang telah berakhir diajukan."
    ]
    if f.capaian_quarters:
        reasons.append(
            "Laporan Capaian PK dibuat untuk "
            + ", ".join(TRIWULAN[q] for q in sorted(f.capaian_quarters))
            + "."
        )
    return Proposal(
        _by_share(len(reported), len(ended)), reasons, [Link("Dokumen", f.url("documents"))]
    )


def lkjip_final(f: Facts) -> Proposal:
    final = _lkjip_final(f)
    if final:
        return Proposal(
            "A",
            [f"LKjIP {f.year} final (tanpa galat reviu terbuka) dengan tanda tangan kepala UPT."],
            [_doc_link(f, final)],
        )
    if f.lkjip_jobs:
        return Proposal(
            "D", [f"LKjIP {f.year} hanya ada sebagai draf."], [_doc_link(f, f.lkjip_jobs[-1])]
        )
    return Proposal("E", [f"LKjIP {f.year} belum dibuat."], [Link("Dokumen", f.url("documents"))])


def lkjip_reviewed(f: Facts) -> Proposal:
    link = [Link(f"Reviu {f.year}", f.url("review", year=True))]
    if f.review is None:
        return Proposal("E", [f"Reviu {f.year} belum pernah dijalankan dan disimpan."], link)
    r = f.review
    reasons = [
        f"Reviu {f.year} terakhir {format_date(timezone.localdate(r.at))}: {r.errors} galat, {r.warnings} peringatan terbuka."
    ]
    if r.errors:
        return Proposal("C", reasons, link)
    return Proposal("A" if not r.warnings else "B", reasons, link)


def lkjip_on_time(f: Facts) -> Proposal:
    final = _lkjip_final(f)
    due = dt.date(f.year + 1, LKJIP_DUE_MONTHS + 1, 1) - dt.timedelta(days=1)
    if final is None:
        if f.today > due:
            return Proposal(
                "E",
                [f"Belum ada LKjIP {f.year} final; batasnya {format_date(due)}."],
                [Link("Dokumen", f.url("documents"))],
            )
        return Proposal(None, [f"LKjIP {f.year} final belum dibuat; batasnya {format_date(due)}."])
    made = timezone.localdate(final.finished_at)
    if made <= due:
        return Proposal(
            "A",
            [f"LKjIP {f.year} final dibuat {format_date(made)}, paling lambat {format_date(due)}."],
            [_doc_link(f, final)],
        )
    return Proposal(
        "C",
        [f"LKjIP {f.year} final dibuat {format_date(made)}, setelah batas {format_date(due)}."],
        [_doc_link(f, final)],
    )


def _lkjip_content(f: Facts, share: tuple[int, int], what: str) -> Proposal:
    final = _lkjip_final(f) or (f.lkjip_jobs[-1] if f.lkjip_jobs else None)
    if final is None:
        return Proposal(
            "E", [f"LKjIP {f.year} belum dibuat."], [Link("Dokumen", f.url("documents"))]
        )
    done, whole = share
    return Proposal(
        _by_share(done, whole),
        [f"LKjIP memuat {what} untuk {done} dari {whole} IKK."],
        [_doc_link(f, final)],
    )


def lkjip_all_ikk(f: Facts) -> Proposal:
    return _lkjip_content(f, (len(f.results), len(f.results)), "target, realisasi dan capaian")


def lkjip_annual_target(f: Facts) -> Proposal:
    measured = sum(1 for r in f.results if r.row.target is not None)
    return _lkjip_content(
        f, (measured, len(f.results)), "perbandingan realisasi dengan target tahunan"
    )


def lkjip_renstra_target(f: Facts) -> Proposal:
    done = sum(1 for r in f.results if r.row.indicator_id in f.renstra_targets)
    return _lkjip_content(f, (done, len(f.results)), "perbandingan dengan target Renstra")


def lkjip_previous_year(f: Facts) -> Proposal:
    if f.previous_agreement is None:
        return _lkjip_content(f, (0, len(f.results)), f"perbandingan dengan realisasi {f.year - 1}")
    before = set(f.previous_agreement.indicators.values_list("indicator_id", flat=True))
    done = sum(1 for r in f.results if r.row.indicator_id in before)
    return _lkjip_content(f, (done, len(f.results)), f"perbandingan dengan realisasi {f.year - 1}")


def lkjip_benchmark(f: Facts) -> Proposal:
    return _lkjip_content(
        f, (len(f.results), len(f.results)), "perbandingan dengan angka wilayah dan nasional"
    )


def recommendations_followed(f: Facts) -> Proposal:
    if f.previous_evaluation is None:
        return Proposal(None, [f"Tidak ada evaluasi AKIP {f.year - 1} di Kinerja."])
    recs = f.previous_recommendations
    if not recs:
        return Proposal("A", [f"Evaluasi AKIP {f.year - 1} tidak memuat rekomendasi."])
    done = [r for r in recs if any(x.done for x in r.follow_ups.all())]
    open_ = len(recs) - len(done)
    reasons = [
        f"{len(done)} dari {len(recs)} rekomendasi evaluasi {f.year - 1} selesai ditindaklanjuti."
    ]
    if open_:
        reasons.append(f"{open_} rekomendasi belum selesai.")
    return Proposal(
        _by_share(len(done), len(recs)),
        reasons,
        [Link(f"Evaluasi AKIP {f.year - 1}", reverse("lke", args=[f.unit.slug, f.year - 1]))],
    )


def score_improved(f: Facts) -> Proposal:
    previous = f.previous_evaluation
    if previous is None or previous.score is None:
        return Proposal(
            None, [f"Tidak ada nilai evaluasi AKIP {f.year - 1} di Kinerja untuk dibandingkan."]
        )
    return Proposal(
        None,
        [
            f"Nilai evaluasi {f.year - 1}: {previous.score}; bandingkan setelah evaluasi {f.year} selesai."
        ],
    )


RULES: dict[str, Callable[[Facts], Proposal]] = {
    "renstra": renstra,
    "pk_exists": pk_exists,
    "pk_formal": pk_formal,
    "pk_on_time": pk_on_time,
    "rencana_aksi": rencana_aksi,
    "budget_plan": budget_plan,
    "budget_linked": budget_linked,
    "targets_achieved": targets_achieved,
    "quarters_monitored": quarters_monitored,
    "smart_indicators": smart_indicators,
    "operational_definitions": operational_definitions,
    "evidence_kept": evidence_kept,
    "head_approved": head_approved,
    "measured_regularly": measured_regularly,
    "region_verified": region_verified,
    "data_in_system": data_in_system,
    "lkjip_made": lkjip_made,
    "quarterly_reports": quarterly_reports,
    "lkjip_final": lkjip_final,
    "lkjip_reviewed": lkjip_reviewed,
    "lkjip_on_time": lkjip_on_time,
    "lkjip_all_ikk": lkjip_all_ikk,
    "lkjip_annual_target": lkjip_annual_target,
    "lkjip_renstra_target": lkjip_renstra_target,
    "lkjip_previous_year": lkjip_previous_year,
    "lkjip_benchmark": lkjip_benchmark,
    "recommendations_followed": recommendations_followed,
    "score_improved": score_improved,
}


def propose(
    unit: Unit, year: int, rules: set[str], today: dt.date | None = None
) -> dict[str, Proposal]:
    """The proposals of the named rules (each a criterion's `prefill`); an unknown name proposes
    nothing, with the reason."""
    facts = gather(unit, year, today)
    out = {}
    for name in rules:
        rule = RULES.get(name)
        out[name] = (
            rule(facts)
            if rule
            else Proposal(None, [f"Aturan isian otomatis '{name}' tidak dikenal."])
        )
    return out
