"""The review rules: each a small function over the facts of one facility-year (`facts.Context`)
that yields findings. A rule has an id, a severity, a section and a title; each finding says in
Indonesian what is wrong with the figures involved, where, and links to the page that fixes it.

Every figure a rule compares comes from `kinerja.calc` (through the facts), so the review and the
documents can never disagree about what the counts give.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from kinerja import calc
from kinerja.core.formatting import (
    TRIWULAN,
    format_date,
    format_number,
    format_percent,
    format_rupiah,
    round_half_up,
)
from kinerja.imports.renaksi import formula_text_problem
from kinerja.organizations.nip import nip_problems
from kinerja.review.facts import Context, IndicatorFacts

ERROR, WARNING, NOTE = "error", "warning", "note"
SEVERITY_LABELS = {ERROR: "Galat", WARNING: "Peringatan", NOTE: "Catatan"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}

RESULTS = "Capaian kinerja"
INDICATORS = "Indikator dan rumus"
PLAN = "Rencana Aksi dan Renstra"
BUDGET = "Anggaran"
PEOPLE = "Pegawai dan penandatangan"
DATES = "Tanggal dokumen"
EVIDENCE = "Data dukung"
SECTIONS = [RESULTS, INDICATORS, PLAN, BUDGET, PEOPLE, DATES, EVIDENCE]

HUNDRED = Decimal(100)


@dataclass
class Finding:
    rule: str
    severity: str
    section: str
    title: str
    message: str
    location: str
    key: str
    link: str = ""
    acceptance: dict | None = field(default=None, compare=False)  # set by the service

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def accepted(self) -> bool:
        return self.acceptance is not None

    def as_json(self) -> dict:
        return {
            "aturan": self.rule,
            "tingkat": self.severity,
            "bagian": self.section,
            "judul": self.title,
            "pesan": self.message,
            "letak": self.location,
            "kunci": self.key,
            "perbaiki": self.link,
            "diterima": self.acceptance,
        }


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    section: str
    title: str
    check: Callable[[Context], Iterator[tuple[str, str, str, str]]]

    def run(self, ctx: Context) -> list[Finding]:
        return [
            Finding(self.id, self.severity, self.section, self.title, message, location, key, link)
            for message, location, key, link in self.check(ctx)
        ]


RULES: list[Rule] = []


def rule(rule_id: str, severity: str, section: str, title: str):
    """Register a check: a generator of (message, location, key, link) tuples."""

    def register(check):
        RULES.append(Rule(rule_id, severity, section, title, check))
        return check

    return register


def by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


def run(ctx: Context) -> list[Finding]:
    findings = [finding for r in RULES for finding in r.run(ctx)]
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER[f.severity], SECTIONS.index(f.section), f.rule, f.key),
    )


# --- helpers ---------------------------------------------------------------------------------


def _url(name: str, *args, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _admin(model: str, pk: int | None) -> str:
    return reverse(f"admin:{model}_change", args=[pk]) if pk else ""


def _entry(ctx: Context, quarter: int, month: int | None = None) -> str:
    return _url("entry", ctx.slug, ctx.year, quarter, query=f"bulan={month}" if month else "")


def _plan_row(ctx: Context, row_id: int) -> str:
    return _url("ra_edit", ctx.slug, ctx.year, row_id)


def _pk(ctx: Context) -> str:
    if ctx.pk_signed:
        return _url("unit_detail", ctx.slug, query=f"tahun={ctx.year}")
    return _url("pk_edit", ctx.slug, ctx.year)


def _budget(ctx: Context) -> str:
    return _url("budget", ctx.slug, query=f"tahun={ctx.year}")


def _fig(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "%":
        return format_percent(value)
    return f"{format_number(value, trim=True)} {unit}"


def _num(value: Decimal) -> str:
    return format_number(value, trim=True)


def _printed_link(ind: IndicatorFacts) -> str:
    return _admin("measurement_printedresult", ind.printed.id if ind.printed else None)


def _meaning(ind: IndicatorFacts, symbol: str) -> str:
    meaning = ind.variables.get(symbol)
    return f"{symbol} ({meaning})" if meaning else symbol


def _pairs(formula: str) -> list[tuple[str, str]]:
    try:
        return calc.ratio_pairs(formula)
    except calc.FormulaError:
        return []


# --- capaian --------------------------------------------------------------------------------


@rule("CAP-01", ERROR, RESULTS, "Realisasi diklaim tanpa populasi")
def realisation_without_population(ctx: Context):
    """Counts with a zero denominator and a positive numerator, or a printed/stored realisation
    where the counts give N/A (maternal care 97% with no pregnant inmates)."""
    for ind in ctx.indicators:
        for period in ind.periods:
            for num, den in _pairs(ind.formula):
                top, bottom = period.values.get(num), period.values.get(den)
                if bottom == 0 and top is not None and top > 0:
                    yield (
                        f"{ind.code}: {period.label} mencatat {num} = {_num(top)} padahal "
                        f"{_meaning(ind, den)} = 0. Tanpa populasi tidak ada realisasi; "
                        f"hasilnya N/A, bukan persentase.",
                        f"{ind.label}, {period.label}",
                        f"{ind.code}:{period.label}",
                        _entry(ctx, period.quarter, period.month),
                    )
        outcome = ind.outcome(ctx.rounding)
        printed = ind.printed
        if not (outcome and outcome.is_na and printed):
            continue
        claimed = [
            f"realisasi {_fig(printed.realisation, ind.target_unit)}"
            if printed.realisation is not None
            else "",
            f"capaian {format_percent(printed.achievement)}"
            if printed.achievement is not None
            else "",
        ]
        claimed = [c for c in claimed if c]
        if claimed:
            yield (
                f"{ind.code}: tertulis {' dan '.join(claimed)}, padahal hitungan memberi N/A "
                f"({outcome.na_reason}). Tulis N/A dengan alasannya; jangan dihitung tercapai.",
                f"{ind.label} (angka tersimpan: {printed.source or 'isian'})",
                f"{ind.code}:tersimpan",
                _printed_link(ind),
            )


def _claimed_vs_counts(ind: IndicatorFacts, ctx: Context):
    """(realisation the counts give or else the stored one, its true achievement)."""
    outcome = ind.outcome(ctx.rounding)
    if outcome is not None and outcome.is_na:
        return None, None
    if outcome is not None:
        realised = outcome.value
    else:
        realised = ind.printed.realisation if ind.printed else None
    if realised is None or ind.target is None:
        return None, None
    true = calc.achievement(
        realised, ind.target, direction=ind.direction, lower_rule=ind.lower_rule
    )
    return realised, true


def _overclaimed(ind: IndicatorFacts, ctx: Context) -> bool:
    """The printed achievement says the target was reached, the counts say it was not."""
    printed = ind.printed
    if not printed or printed.achievement is None:
        return False
    claimed = calc.Achievement(printed.achievement, printed.achievement)
    _, true = _claimed_vs_counts(ind, ctx)
    return (
        calc.target_reached(claimed)
        and true is not None
        and calc.verdict(true) == calc.Verdict.MISSED
    )


@rule("CAP-02", ERROR, RESULTS, "Capaian 100% atau lebih pada target yang tidak tercapai")
def overclaimed_achievement(ctx: Context):
    """Vehicles: target 6 units, 4 realised, '100%'."""
    for ind in ctx.indicators:
        if not _overclaimed(ind, ctx):
            continue
        realised, true = _claimed_vs_counts(ind, ctx)
        true = true.raw
        yield (
            f"{ind.code}: capaian tertulis {format_percent(ind.printed.achievement)} padahal "
            f"realisasi {_fig(realised, ind.target_unit)} dari target "
            f"{_fig(ind.target, ind.target_unit)}; capaian yang benar {format_percent(true)}.",
            f"{ind.label} (angka tersimpan: {ind.printed.source or 'isian'})",
            ind.code,
            _printed_link(ind),
        )


@rule("CAP-03", WARNING, RESULTS, "Angka tersimpan berbeda dari hitungan")
def stored_differs(ctx: Context):
    """A stored or imported target, realisation or achievement that is not what the PK and the
    counts give (110 quoted for 93,58 / 85 = 110,09%)."""
    for ind in ctx.indicators:
        printed = ind.printed
        if printed is None or _overclaimed(ind, ctx):
            continue
        differences = []
        if printed.target is not None and ind.target is not None and printed.target != ind.target:
            differences.append(
                f"target tertulis {_fig(printed.target, ind.target_unit)}, target PK "
                f"{_fig(ind.target, ind.target_unit)}"
            )
        outcome = ind.outcome(ctx.rounding)
        achievement = ind.achievement(ctx.rounding)
        if outcome is not None and not outcome.is_na:
            if printed.realisation is not None and round_half_up(
                printed.realisation
            ) != round_half_up(outcome.value):
                differences.append(
                    f"realisasi tertulis {_fig(printed.realisation, ind.target_unit)}, "
                    f"hitungan {_fig(outcome.value, ind.target_unit)}"
                )
            if (
                achievement is not None
                and not achievement.is_na
                and printed.achievement is not None
                and round_half_up(printed.achievement) != round_half_up(achievement.raw)
            ):
                step = calc.achievement_text(
                    outcome.value,
                    ind.target,
                    achievement,
                    direction=ind.direction,
                    lower_rule=ind.lower_rule,
                )
                differences.append(
                    f"capaian tertulis {format_percent(printed.achievement)}, hitungan "
                    f"{format_percent(achievement.raw)} ({step})"
                )
        if differences:
            yield (
                f"{ind.code}: {'; '.join(differences)}.",
                f"{ind.label} (angka tersimpan: {printed.source or 'isian'})",
                ind.code,
                _printed_link(ind),
            )


# --- indikator dan rumus ---------------------------------------------------------------------


def _same_parts(problem: calc.FormulaProblem) -> bool:
    return problem.code in calc.SAME_PARTS


@rule("IND-01", WARNING, INDICATORS, "Pembilang dan penyebut rumus sama")
def identical_fraction(ctx: Context):
    for ind in ctx.indicators:
        for problem in calc.formula_problems(ind.formula, ind.variables):
            if _same_parts(problem):
                yield (
                    f"{ind.code}: rumus {ind.formula}. {problem.message}",
                    f"{ind.label}, rumus katalog",
                    f"{ind.code}:katalog",
                    _admin("indicators_indicator", ind.indicator_id),
                )
        plan_problem = formula_text_problem(ind.formula_text) if ind.formula_text else None
        if plan_problem and _same_parts(plan_problem):
            yield (
                f'{ind.code}: rumus pada Rencana Aksi "{ind.formula_text.strip()}": pembilang '
                f"dan penyebut sama, sehingga hasilnya selalu 100%. Rumus yang dihitung Kinerja: "
                f"{ind.formula}.",
                f"{ind.label}, Rencana Aksi kolom rumus",
                f"{ind.code}:rencana-aksi",
                _plan_row(ctx, ind.row_id),
            )


@rule("IND-02", ERROR, INDICATORS, "IKK tanpa target")
def missing_target(ctx: Context):
    for ind in ctx.indicators:
        if ind.target is None:
            yield (
                f"{ind.code}: Perjanjian Kinerja {ctx.year} tidak memuat target untuk indikator ini; "
                f"capaian tidak dapat dihitung.",
                ind.label,
                ind.code,
                _pk(ctx),
            )


@rule("IND-03", ERROR, INDICATORS, "IKK tanpa rumus yang dapat dihitung")
def missing_formula(ctx: Context):
    for ind in ctx.indicators:
        if not ind.formula.strip():
            problems = ["rumus kosong"]
        else:
            problems = [
                p.message
                for p in calc.formula_problems(ind.formula, ind.variables)
                if not _same_parts(p)
            ]
        if problems:
            yield (
                f"{ind.code}: {' '.join(problems)}",
                f"{ind.label}, rumus katalog",
                ind.code,
                _admin("indicators_indicator", ind.indicator_id),
            )


@rule("IND-04", WARNING, INDICATORS, "Rumus pada Rencana Aksi kosong")
def empty_plan_formula(ctx: Context):
    for ind in ctx.indicators:
        if ind.formula_text is not None and not ind.formula_text.strip():
            yield (
                f"{ind.code}: kolom rumus pada Rencana Aksi yang diimpor kosong. "
                f"Rumus yang dihitung Kinerja: {ind.formula}.",
                f"{ind.label}, Rencana Aksi kolom rumus",
                ind.code,
                _plan_row(ctx, ind.row_id),
            )


# --- Rencana Aksi dan Renstra ---------------------------------------------------------------


@rule("REN-01", WARNING, PLAN, "Target triwulan tidak berjumlah target tahunan")
def increments_total(ctx: Context):
    for ind in ctx.indicators:
        given = {q: v for q, v in ind.increments.items() if v is not None}
        if not given or ind.target is None or ind.direction != "higher":
            continue
        problem = calc.increments_problem(ind.target, given)
        if problem:
            parts = " + ".join(_num(given[q]) for q in sorted(given))
            yield (
                f"{ind.code}: {problem.rstrip('.')} ({parts}).",
                f"{ind.label}, target TW I-IV",
                ind.code,
                _plan_row(ctx, ind.row_id),
            )


@rule("REN-02", ERROR, PLAN, "Triwulan Rencana Aksi tidak lengkap")
def missing_quarters(ctx: Context):
    planned = [ind for ind in ctx.indicators if ind.increments]
    if ctx.indicators and not planned:
        yield (
            f"Rencana Aksi {ctx.year} belum disusun: {len(ctx.indicators)} IKK tanpa rencana TW I-IV.",
            f"Rencana Aksi {ctx.year}",
            "rencana-aksi",
            _url("unit_detail", ctx.slug, query=f"tahun={ctx.year}"),
        )
        return
    for ind in planned:
        missing = [TRIWULAN[q] for q in (1, 2, 3, 4) if q not in ind.increments]
        if missing:
            yield (
                f"{ind.code}: Rencana Aksi tidak memuat {', '.join(missing)}.",
                f"{ind.label}, Rencana Aksi",
                ind.code,
                _plan_row(ctx, ind.row_id),
            )


@rule("REN-03", WARNING, PLAN, "Label triwulan tertulis keliru")
def quarter_labels(ctx: Context):
    """An achievement text on the TW IV row that says 'TW III'."""
    for ind in ctx.indicators:
        for quarter, text in sorted(ind.quarter_texts.items()):
            named = calc.quarters_named(text)
            wrong = sorted(named - {quarter})
            if wrong and quarter not in named:
                yield (
                    f"{ind.code}: uraian capaian pada baris {TRIWULAN[quarter]} menyebut "
                    f'{", ".join(TRIWULAN[q] for q in wrong)}: "{_short(text)}".',
                    f"{ind.label}, {TRIWULAN[quarter]}",
                    f"{ind.code}:{quarter}",
                    _plan_row(ctx, ind.row_id),
                )


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


@rule("REN-04", NOTE, PLAN, "Target triwulan belum diisi")
def increments_empty(ctx: Context):
    empty = [
        ind
        for ind in ctx.indicators
        if ind.increments and all(v is None for v in ind.increments.values())
    ]
    if empty:
        codes = ", ".join(ind.code for ind in empty)
        yield (
            f"{len(empty)} IKK belum memiliki target per triwulan ({codes}); capaian triwulan "
            f"tidak dapat dibandingkan dengan rencana.",
            f"Rencana Aksi {ctx.year}",
            "target-triwulan",
            _plan_row(ctx, empty[0].row_id),
        )


@rule("REN-05", WARNING, PLAN, "Target jangka menengah (Renstra) tidak ada")
def renstra_missing(ctx: Context):
    if not ctx.indicators:
        return
    if ctx.renstra is None:
        yield (
            f"Tidak ada Renstra yang mencakup tahun {ctx.year}; target jangka menengah "
            f"{len(ctx.indicators)} indikator PK tidak diketahui.",
            "Renstra",
            "renstra",
            reverse("admin:planning_renstra_add"),
        )
        return
    for ind in ctx.indicators:
        if ind.renstra_target is None:
            yield (
                f"{ind.code}: Renstra {ctx.renstra[0]}-{ctx.renstra[1]} tidak memuat target "
                f"tahun {ctx.year} untuk indikator ini (target PK "
                f"{_fig(ind.target, ind.target_unit)}).",
                f"{ind.label}, Renstra",
                ind.code,
                _admin("planning_renstra", ctx.renstra_id),
            )


# --- anggaran -------------------------------------------------------------------------------


def _difference(total: Decimal, pagu: Decimal) -> str:
    diff = total - pagu
    return f"selisih {'lebih' if diff > 0 else 'kurang'} {format_rupiah(abs(diff))}"


@rule("ANG-01", ERROR, BUDGET, "Rencana penarikan dana (RPD) tidak sama dengan pagu")
def rpd_total(ctx: Context):
    for activity in ctx.activities:
        total = sum((v for v in activity.rpd.values() if v is not None), Decimal(0))
        if calc.rpd_difference(activity.rpd, activity.pagu) is not None:
            parts = " + ".join(format_number(activity.rpd.get(q, 0), 0) for q in (1, 2, 3, 4))
            yield (
                f"RPD kegiatan '{activity.name}' berjumlah {format_rupiah(total)} ({parts}), "
                f"tidak sama dengan pagu {format_rupiah(activity.pagu)} "
                f"({_difference(total, activity.pagu)}).",
                f"Rencana Aksi, kegiatan {activity.name}",
                f"kegiatan:{activity.name}",
                _plan_row(ctx, activity.row_id) if activity.row_id else _budget(ctx),
            )
    flagged = {(a.name, a.pagu) for a in ctx.activities}
    for line in ctx.lines:
        # A line built from the Rencana Aksi repeats its activity: reported once, there.
        if (
            line.planned
            and calc.rpd_difference({0: line.planned}, line.pagu) is not None
            and (line.name, line.pagu) not in flagged
        ):
            yield (
                f"RPD bulanan akun {line.code} {line.name} berjumlah {format_rupiah(line.planned)}, "
                f"tidak sama dengan pagu {format_rupiah(line.pagu)} "
                f"({_difference(line.planned, line.pagu)}).",
                f"DIPA {line.code}",
                f"akun:{line.code}",
                _url("budget_entry", ctx.slug, ctx.year, 1),
            )


@rule("ANG-02", ERROR, BUDGET, "Realisasi melebihi pagu")
def realised_above_pagu(ctx: Context):
    for activity in ctx.activities:
        realised = sum((v for v in activity.realised.values() if v is not None), Decimal(0))
        if calc.overspent(realised, activity.pagu):
            yield (
                f"Realisasi kegiatan '{activity.name}' {format_rupiah(realised)} melebihi pagu "
                f"{format_rupiah(activity.pagu)} ({_difference(realised, activity.pagu)}).",
                f"Rencana Aksi, kegiatan {activity.name}",
                f"kegiatan:{activity.name}",
                _plan_row(ctx, activity.row_id) if activity.row_id else _budget(ctx),
            )
    for line in ctx.lines:
        available = calc.available(line.pagu, line.blocked)
        if calc.overspent(line.realised, line.pagu, line.blocked) and not line.exception_reason:
            blocked = f" dikurangi blokir {format_rupiah(line.blocked)}" if line.blocked else ""
            yield (
                f"Realisasi akun {line.code} {line.name} {format_rupiah(line.realised)} melebihi "
                f"pagu {format_rupiah(line.pagu)}{blocked} "
                f"({_difference(line.realised, available)}).",
                f"DIPA {line.code}",
                f"akun:{line.code}",
                _budget(ctx),
            )


@rule("ANG-03", WARNING, BUDGET, "Anggaran kegiatan yang sama dihitung lebih dari sekali")
def activity_counted_twice(ctx: Context):
    """Two activity rows that are one activity (same name, or a close name and the same pagu):
    each IKK carries the money, and the plan's total counts it twice."""
    seen: list = []
    for activity in ctx.activities:
        for other in seen:
            if calc.same_activity(activity.name, activity.pagu, other.name, other.pagu):
                codes = ", ".join(other.codes + activity.codes)
                yield (
                    f"Kegiatan '{other.name}' dan '{activity.name}' tampaknya satu kegiatan "
                    f"(pagu {format_rupiah(other.pagu)} dan {format_rupiah(activity.pagu)}) yang "
                    f"dicatat untuk {codes}; total pagu Rencana Aksi menghitungnya dua kali "
                    f"({format_rupiah(activity.pagu)} lebih).",
                    f"Rencana Aksi, kegiatan {activity.name}",
                    f"kegiatan:{other.name}|{activity.name}",
                    _plan_row(ctx, activity.row_id) if activity.row_id else _budget(ctx),
                )
        seen.append(activity)


@rule("ANG-04", WARNING, BUDGET, "Total anggaran berbeda antarbagian")
def budget_totals(ctx: Context):
    """The same budget quoted with different totals: PK budget table, Rencana Aksi, DIPA lines,
    the per-type figures a report gives."""
    budget = ctx.budget
    if budget.pk_programmes is not None and budget.dipa_pagu is not None:
        if budget.pk_programmes != budget.dipa_pagu:
            yield (
                f"Anggaran pada Perjanjian Kinerja {ctx.year} berjumlah "
                f"{format_rupiah(budget.pk_programmes)}, sedangkan pagu DIPA berjumlah "
                f"{format_rupiah(budget.dipa_pagu)} "
                f"({_difference(budget.pk_programmes, budget.dipa_pagu)}).",
                f"Perjanjian Kinerja {ctx.year}, tabel anggaran; DIPA {ctx.year}",
                "pk-dipa",
                _pk(ctx),
            )
    plan_total = sum((a.pagu for a in ctx.activities), Decimal(0))
    if ctx.activities and budget.dipa_pagu is not None and plan_total > budget.dipa_pagu:
        yield (
            f"Pagu kegiatan Rencana Aksi berjumlah {format_rupiah(plan_total)}, melebihi pagu "
            f"DIPA {format_rupiah(budget.dipa_pagu)} ({_difference(plan_total, budget.dipa_pagu)}).",
            f"Rencana Aksi {ctx.year}; DIPA {ctx.year}",
            "rencana-aksi-dipa",
            _budget(ctx),
        )
    for diff in budget.type_differences:
        what = diff["what"]
        yield (
            f"{diff['label']}: {what} yang dilaporkan {format_rupiah(diff['reported'])}, "
            f"sedangkan akun DIPA berjumlah {format_rupiah(diff['computed'])} "
            f"({_difference(diff['reported'], diff['computed'])}).",
            f"Anggaran per jenis belanja ({diff.get('source') or 'laporan'})",
            f"jenis:{diff['type']}:{what}",
            _budget(ctx),
        )


# --- pegawai dan penandatangan --------------------------------------------------------------


@rule("PEG-01", ERROR, PEOPLE, "Rincian pegawai tidak berjumlah sama dengan totalnya")
def staff_total(ctx: Context):
    staff = ctx.staff
    if staff is None:
        return
    totals = calc.staff_totals(
        staff.stated_total,
        staff.men,
        staff.women,
        [staff.ranks_total] if staff.ranks_total is not None else [],
    )
    if not totals.consistent:
        labels = {"menurut jenis kelamin": f"laki-laki {staff.men} + perempuan {staff.women}"}
        text = "; ".join(f"{labels.get(label, label)} = {value}" for label, value in totals.known)
        yield (
            f"Jumlah pegawai per {format_date(staff.as_of)} tidak konsisten: {text}.",
            f"Data pegawai {ctx.year}",
            "pegawai",
            _admin("organizations_staffreport", staff.id),
        )


def _person_key(name: str) -> str:
    base = name.split(",")[0]
    return re.sub(r"[^a-z]+", " ", base.lower()).strip()


@rule("PEG-02", ERROR, PEOPLE, "NIP tidak sah")
def invalid_nip(ctx: Context):
    seen = set()
    for mention in ctx.mentions:
        if not mention.nip or mention.nip in seen:
            continue
        problems = nip_problems(mention.nip, today=ctx.today)
        if problems:
            seen.add(mention.nip)
            yield (
                f"NIP {mention.nip} ({mention.name}) tidak sah: {' '.join(problems)}",
                mention.where,
                f"nip:{mention.nip}",
                mention.link,
            )


@rule("PEG-03", ERROR, PEOPLE, "Orang yang sama dengan NIP berbeda")
def same_person_other_nip(ctx: Context):
    by_name = defaultdict(list)
    for mention in ctx.mentions:
        if mention.nip:
            by_name[_person_key(mention.name)].append(mention)
    for mentions in by_name.values():
        nips = list(dict.fromkeys(m.nip for m in mentions))
        if len(nips) > 1:
            where = "; ".join(
                f"{nip} ({', '.join(m.where for m in mentions if m.nip == nip)})" for nip in nips
            )
            yield (
                f"{mentions[0].name} tertulis dengan {len(nips)} NIP berbeda: {where}.",
                mentions[0].name,
                f"orang:{_person_key(mentions[0].name)}",
                next((m.link for m in mentions if m.printed and m.link), mentions[0].link),
            )


@rule("PEG-04", NOTE, PEOPLE, "NIP yang sama dengan nama berbeda")
def same_nip_other_name(ctx: Context):
    by_nip = defaultdict(list)
    for mention in ctx.mentions:
        if mention.nip:
            by_nip[mention.nip].append(mention)
    for nip, mentions in by_nip.items():
        names = list(dict.fromkeys(m.name for m in mentions))
        if len({_person_key(n) for n in names}) > 1:
            yield (
                f"NIP {nip} tertulis dengan nama berbeda: "
                + "; ".join(
                    f"{name} ({', '.join(m.where for m in mentions if m.name == name)})"
                    for name in names
                )
                + ".",
                f"NIP {nip}",
                f"nip-nama:{nip}",
                next((m.link for m in mentions if m.printed and m.link), ""),
            )


@rule("PEG-05", ERROR, PEOPLE, "Penandatangan PK bukan kepala definitif")
def pk_signatory(ctx: Context):
    sig = ctx.signatory
    if sig is None or sig.same_person:
        return
    when = format_date(sig.signed_on) if sig.signed_on else f"awal tahun {ctx.year}"
    head = (
        f"kepala definitif pada {when} adalah {sig.head_name} (NIP {sig.head_nip})"
        if sig.head_name
        else f"tidak ada kepala definitif yang tercatat pada {when}"
    )
    yield (
        f"Pihak Pertama Perjanjian Kinerja {ctx.year} adalah {sig.name} (NIP {sig.nip}), "
        f"padahal {head}.",
        f"Perjanjian Kinerja {ctx.year}, Pihak Pertama",
        "pihak-pertama",
        _pk(ctx),
    )


# --- tanggal dokumen ------------------------------------------------------------------------


@rule("DOK-01", ERROR, DATES, "Tanggal dokumen di luar periodenya")
def document_dates(ctx: Context):
    """An annual report for 2023 dated '02 Januari 2023'; a PK dated after its year."""
    year = ctx.year
    for doc in ctx.dates:
        problem = ""
        if doc.kind == "lkjip" and doc.date.year <= year:
            problem = f"laporan tahun {year} tidak dapat bertanggal sebelum tahun {year} berakhir"
        elif doc.kind == "lkjip" and doc.date.year > year + 1:
            problem = f"laporan tahun {year} bertanggal lebih dari setahun setelah tahunnya"
        elif doc.kind == "pk" and not (
            doc.date.year == year or (doc.date.year == year - 1 and doc.date.month >= 10)
        ):
            problem = f"Perjanjian Kinerja tahun {year} ditandatangani di luar tahunnya"
        elif doc.kind == "capaian" and doc.date.year < year:
            problem = f"laporan capaian tahun {year} bertanggal sebelum tahunnya"
        elif doc.not_after and doc.date > doc.not_after:
            problem = f"sesudah dokumen yang didasarinya ({format_date(doc.not_after)})"
        if problem:
            yield (
                f"{doc.label} bertanggal {format_date(doc.date)}: {problem}.",
                doc.label,
                f"tanggal:{doc.label}",
                doc.link,
            )


# --- data dukung ----------------------------------------------------------------------------

SUBMITTED = ("submitted", "approved", "verified", "locked")


@rule("DUK-01", WARNING, EVIDENCE, "Hasil diajukan tanpa data dukung")
def results_without_evidence(ctx: Context):
    by_period = defaultdict(list)
    for ind in ctx.indicators:
        for period in ind.periods:
            if period.status in SUBMITTED and period.values and not period.evidence:
                by_period[(period.end, period.label, period.quarter, period.month)].append(ind)
    for (_, label, quarter, month), indicators in sorted(by_period.items()):
        codes = ", ".join(ind.code for ind in indicators)
        yield (
            f"{label}: {len(indicators)} IKK sudah diajukan tanpa data dukung ({codes}).",
            f"Realisasi {label}",
            f"data-dukung:{label}",
            _entry(ctx, quarter, month),
        )
