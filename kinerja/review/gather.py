"""Fill the review's facts (`facts.Context`) for one facility-year from the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse

from kinerja import calc
from kinerja.budget.selectors import budget_overview
from kinerja.core.formatting import format_date
from kinerja.measurement.models import PrintedResult
from kinerja.measurement.selectors import achievement_cap, ikk_rows, year_results
from kinerja.organizations.models import HeadAppointment, StaffReport, Unit
from kinerja.organizations.selectors import head_on
from kinerja.planning.models import (
    BudgetKind,
    PerjanjianKinerja,
    PKStatus,
    RAActivity,
    RenstraTarget,
)
from kinerja.reporting.models import AnnualReport, DocumentKind, PrintedSignature
from kinerja.review.facts import (
    ActivityFacts,
    BudgetFacts,
    Context,
    DatedDocument,
    IndicatorFacts,
    LineFacts,
    Mention,
    Period,
    Printed,
    Signatory,
    StaffFacts,
)


def _admin(model: str, pk: int) -> str:
    return reverse(f"admin:{model}_change", args=[pk])


def gather(unit: Unit, year: int, today: dt.date | None = None) -> Context:
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    ctx = Context(
        unit=unit.name,
        slug=unit.slug,
        year=year,
        rounding=settings.KINERJA_REALISATION_ROUNDING,
        today=today or unit.local_today(),
    )
    renstra = (
        unit.renstras.filter(start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )
    if renstra:
        ctx.renstra = (renstra.start_year, renstra.end_year)
        ctx.renstra_id = renstra.id
    if agreement is not None:
        ctx.pk_id = agreement.id
        ctx.pk_signed = agreement.status != PKStatus.DRAFT
        ctx.indicators = _indicators(agreement, renstra)
        ctx.activities = _activities(agreement)
        ctx.signatory = _signatory(agreement)
        if agreement.signed_on:
            ctx.dates.append(
                DatedDocument(
                    f"Perjanjian Kinerja {year}",
                    "pk",
                    agreement.signed_on,
                    reverse("unit_detail", args=[unit.slug]) + f"?tahun={year}",
                )
            )
    ctx.lines, ctx.budget = _budget(unit, year, agreement)
    ctx.staff = _staff(unit, year)
    ctx.mentions = _mentions(unit, year, agreement)
    ctx.dates += _dates(unit, year)
    return ctx


def _indicators(agreement: PerjanjianKinerja, renstra) -> list[IndicatorFacts]:
    rows = list(ikk_rows(agreement, evidence=True))
    statuses = {r.quarter: r.status for r in agreement.quarter_reports.all()}
    printed = {
        p.indicator_id: p
        for p in PrintedResult.objects.filter(unit=agreement.unit, year=agreement.year)
    }
    renstra_targets = (
        {
            t.indicator_id: t.value
            for t in RenstraTarget.objects.filter(renstra=renstra, year=agreement.year)
        }
        if renstra
        else {}
    )
    # The figures come from the selector every page and document uses, never computed here again.
    results = {r.row.id: r for r in year_results(agreement, rows, statuses)}
    cap = achievement_cap(agreement)
    out = []
    for row in rows:
        indicator = row.indicator
        stored = printed.get(indicator.id)
        realizations = list(row.realizations.all())
        result = results[row.id]
        latest = next(
            (
                i
                for i, r in enumerate(realizations)
                if result.recorded and (r.quarter, r.month) == (result.quarter, result.month)
            ),
            None,
        )
        out.append(
            IndicatorFacts(
                row_id=row.id,
                code=indicator.code,
                name=row.name,
                target=row.target,
                target_unit=row.target_unit,
                formula=indicator.formula,
                variables={v.symbol: v.description for v in indicator.variables.all()},
                direction=indicator.direction,
                lower_rule=indicator.lower_rule,
                formula_text=row.formula_text,
                increments={q.quarter: q.target_increment for q in row.quarters.all()},
                quarter_texts={
                    q.quarter: q.achievement_text for q in row.quarters.all() if q.achievement_text
                },
                periods=[
                    Period(
                        quarter=r.quarter,
                        month=r.month,
                        values={v.symbol: v.value for v in r.values.all()},
                        evidence=len(r.evidence.all()),
                        status=statuses.get(r.quarter, "draft"),
                    )
                    for r in realizations
                ],
                printed=Printed(
                    target=stored.target,
                    realisation=stored.realisation,
                    achievement=stored.achievement,
                    text=stored.printed_text,
                    source=stored.source,
                    id=stored.id,
                )
                if stored
                else None,
                renstra_target=renstra_targets.get(indicator.id),
                indicator_id=indicator.id,
                cap=cap,
                figure=calc.YearFigure(latest, result.realisation, result.achievement),
            )
        )
    return out


def _activities(agreement: PerjanjianKinerja) -> list[ActivityFacts]:
    activities = RAActivity.objects.filter(agreement=agreement).prefetch_related(
        "quarters", "indicators__indicator"
    )
    out = []
    for activity in activities:
        rows = sorted(activity.indicators.all(), key=lambda r: r.id)
        out.append(
            ActivityFacts(
                id=activity.id,
                name=activity.name,
                pagu=activity.pagu,
                rpd={q.quarter: q.planned_disbursement for q in activity.quarters.all()},
                realised={q.quarter: q.realised for q in activity.quarters.all()},
                codes=[r.indicator.code for r in rows],
                row_id=rows[0].id if rows else None,
            )
        )
    return out


def _signatory(agreement: PerjanjianKinerja) -> Signatory | None:
    person = agreement.first_party
    if person is None:
        return None
    date = agreement.signed_on or dt.date(agreement.year, 1, 1)
    head = head_on(agreement.unit, date)
    return Signatory(
        name=person.name,
        nip=person.nip,
        signed_on=agreement.signed_on,
        head_name=head.person.name if head else None,
        head_nip=head.person.nip if head else None,
        same_person=bool(head and head.person_id == person.id),
    )


def _budget(unit: Unit, year: int, agreement) -> tuple[list[LineFacts], BudgetFacts]:
    overview = budget_overview(unit, year)
    lines = []
    for node in overview.rows:
        if node.children:
            continue
        line = node.line
        reasons = [m.exception_reason for m in line.months.all() if m.exception]
        lines.append(
            LineFacts(
                id=line.id,
                code=line.full_code,
                name=line.name,
                pagu=node.figures.pagu,
                blocked=node.figures.blocked,
                planned=node.figures.planned,
                realised=node.figures.realised,
                exception_reason="; ".join(r for r in reasons if r) or ("ya" if reasons else ""),
            )
        )
    budget = BudgetFacts(type_differences=overview.type_differences)
    if overview.has_lines:
        budget.dipa_pagu = overview.total.pagu
        budget.dipa_realised = overview.total.realised
    if agreement is not None:
        items = agreement.budget_items.values("kind").annotate(total=Sum("amount"))
        totals = {i["kind"]: i["total"] for i in items}
        budget.pk_programmes = totals.get(BudgetKind.PROGRAM)
        budget.pk_activities = totals.get(BudgetKind.ACTIVITY)
    reported = list(overview.reported_by_type.values())
    if reported:
        budget.reported_pagu = sum((r.pagu or Decimal(0) for r in reported), Decimal(0))
        budget.reported_realised = sum((r.realised for r in reported), Decimal(0))
    return lines, budget


def _staff(unit: Unit, year: int) -> StaffFacts | None:
    report = StaffReport.objects.filter(unit=unit, year=year).prefetch_related("ranks").first()
    if report is None:
        return None
    ranks = list(report.ranks.all())
    return StaffFacts(
        id=report.id,
        as_of=report.as_of,
        stated_total=report.stated_total,
        men=report.men,
        women=report.women,
        ranks_total=sum(r.count for r in ranks) if ranks else None,
    )


def _mentions(unit: Unit, year: int, agreement) -> list[Mention]:
    out = []
    if agreement is not None:
        for person, label in (
            (agreement.first_party, "Pihak Pertama"),
            (agreement.second_party, "Pihak Kedua"),
        ):
            if person:
                out.append(
                    Mention(
                        person.name,
                        person.nip,
                        f"Perjanjian Kinerja {year}, {label} (data Kinerja)",
                        _admin("organizations_person", person.id),
                    )
                )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    heads = (
        HeadAppointment.objects.filter(unit=unit, start__lte=end)
        .exclude(end__lt=start)
        .select_related("person")
    )
    for head in heads:
        out.append(
            Mention(
                head.person.name,
                head.person.nip,
                f"kepala definitif sejak {format_date(head.start)} (data Kinerja)",
                _admin("organizations_person", head.person_id),
            )
        )
    report = AnnualReport.objects.filter(unit=unit, year=year).first()
    if report:
        for member in report.team.select_related("person"):
            out.append(
                Mention(
                    member.person.name,
                    member.person.nip,
                    f"Tim Penyusun LKjIP {year} (data Kinerja)",
                    _admin("organizations_person", member.person_id),
                )
            )
    for sig in PrintedSignature.objects.filter(unit=unit, year=year):
        out.append(
            Mention(
                sig.name,
                sig.nip,
                f"{sig.get_document_display()} {year} tercetak, {sig.location}",
                _admin("reporting_printedsignature", sig.id),
                printed=True,
            )
        )
    return out


def _dates(unit: Unit, year: int) -> list[DatedDocument]:
    out = []
    report = AnnualReport.objects.filter(unit=unit, year=year).first()
    if report and report.report_date:
        out.append(
            DatedDocument(
                f"LKjIP {year} (tanggal laporan)",
                "lkjip",
                report.report_date,
                reverse("narratives", args=[unit.slug, year]),
            )
        )
    if report and report.decree_date:
        out.append(
            DatedDocument(
                f"SK Tim Penyusun LKjIP {year}",
                "decree",
                report.decree_date,
                reverse("narratives", args=[unit.slug, year]),
                not_after=report.report_date,
            )
        )
    for sig in PrintedSignature.objects.filter(unit=unit, year=year, signed_on__isnull=False):
        if sig.document in (DocumentKind.LKJIP, DocumentKind.PK, DocumentKind.CAPAIAN):
            out.append(
                DatedDocument(
                    f"{sig.get_document_display()} {year} tercetak, {sig.location}",
                    sig.document,
                    sig.signed_on,
                    _admin("reporting_printedsignature", sig.id),
                )
            )
    return out
