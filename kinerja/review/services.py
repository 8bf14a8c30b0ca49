"""Run the review of a facility-year, keep its counts, and record a head's acceptance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.core.formatting import format_date, person_name
from kinerja.organizations.access import may
from kinerja.organizations.models import Unit
from kinerja.review import rules
from kinerja.review.gather import gather
from kinerja.review.models import Acceptance, ReviewRun


@dataclass
class Review:
    unit: Unit
    year: int
    findings: list[rules.Finding]
    at: dt.datetime

    def count(self, severity: str, *, accepted: bool = False) -> int:
        return sum(1 for f in self.findings if f.severity == severity and f.accepted == accepted)

    @property
    def open_errors(self) -> int:
        return self.count(rules.ERROR)

    @property
    def accepted(self) -> int:
        return sum(1 for f in self.findings if f.accepted)

    @property
    def blocks_final(self) -> bool:
        """Open errors keep the LKjIP a draft."""
        return self.open_errors > 0

    def summary(self) -> str:
        parts = [
            f"{self.count(rules.ERROR)} galat",
            f"{self.count(rules.WARNING)} peringatan",
            f"{self.count(rules.NOTE)} catatan",
        ]
        text = ", ".join(parts) + " terbuka"
        if self.accepted:
            text += f"; {self.accepted} diterima dengan penjelasan"
        return text

    def grouped(self) -> list[tuple[str, str, list[tuple[str, list[rules.Finding]]]]]:
        """[(severity, label, [(section, findings)])] in the order errors, warnings, notes."""
        out = []
        for severity, label in rules.SEVERITY_LABELS.items():
            of_severity = [f for f in self.findings if f.severity == severity]
            sections = [
                (section, [f for f in of_severity if f.section == section])
                for section in rules.SECTIONS
            ]
            out.append((severity, label, [(s, fs) for s, fs in sections if fs]))
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "unit": self.unit.slug,
            "tahun": self.year,
            "waktu": self.at.isoformat(timespec="seconds"),
            "ringkasan": {
                "galat": self.count(rules.ERROR),
                "peringatan": self.count(rules.WARNING),
                "catatan": self.count(rules.NOTE),
                "diterima": self.accepted,
                "final_diblokir": self.blocks_final,
            },
            "temuan": [f.as_json() for f in self.findings],
        }


def review_compute(*, unit: Unit, year: int, today: dt.date | None = None) -> Review:
    """Run every rule over the facility-year and attach the head's acceptances. Writes nothing:
    pages and downloads (GET) show this; `review_run` also keeps the counts."""
    findings = rules.run(gather(unit, year, today=today))
    accepted = {
        (a.rule, a.key): a
        for a in Acceptance.objects.filter(unit=unit, year=year, withdrawn=False).select_related(
            "by"
        )
    }
    for finding in findings:
        acceptance = accepted.get((finding.rule, finding.key))
        if acceptance:
            finding.acceptance = {
                "penjelasan": acceptance.explanation,
                "oleh": person_name(acceptance.by),
                "pada": format_date(timezone.localtime(acceptance.at).date()),
                "id": acceptance.id,
            }
    return Review(unit, year, findings, timezone.now())


@transaction.atomic
def review_run(*, unit: Unit, year: int, trigger: str = "", today: dt.date | None = None) -> Review:
    """Run the review and keep its counts (the region's overview reads them). Called from writes
    only: a quarter submission, an LKjIP generation, a region's or facility's explicit run."""
    review = review_compute(unit=unit, year=year, today=today)
    ReviewRun.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={
            "trigger": trigger[:100],
            "errors": review.count(rules.ERROR),
            "warnings": review.count(rules.WARNING),
            "notes": review.count(rules.NOTE),
            "accepted": review.accepted,
        },
    )
    return review


def _may_accept(user: User | AnonymousUser, unit: Unit) -> bool:
    return may(user, unit, "sign")


@transaction.atomic
def finding_accept(
    *, unit: Unit, year: int, rule: str, key: str, explanation: str, by: User
) -> Acceptance:
    """The head accepts a current finding with an explanation. The finding stays in the review,
    marked accepted; the acceptance's history keeps who said what and when."""
    if not _may_accept(by, unit):
        raise PermissionDenied("Hanya kepala UPT yang dapat menerima temuan dengan penjelasan.")
    explanation = (explanation or "").strip()
    if len(explanation) < 10:
        raise ValidationError(
            "Tulis penjelasan (paling sedikit 10 karakter) mengapa temuan diterima."
        )
    current = {(f.rule, f.key): f for f in rules.run(gather(unit, year))}
    finding = current.get((rule, key))
    if finding is None:
        raise ValidationError(
            "Temuan ini tidak ada lagi pada reviu terakhir; jalankan reviu ulang."
        )
    acceptance, _ = Acceptance.objects.update_or_create(
        unit=unit,
        year=year,
        rule=rule,
        key=key,
        defaults={
            "message": finding.message,
            "explanation": explanation,
            "by": by,
            "withdrawn": False,
        },
    )
    return acceptance


@transaction.atomic
def finding_withdraw(*, acceptance: Acceptance, by: User) -> None:
    """Take an acceptance back: the finding is open again; the record and its history stay."""
    if not _may_accept(by, acceptance.unit):
        raise PermissionDenied("Hanya kepala UPT yang dapat menarik penerimaan temuan.")
    acceptance.withdrawn = True
    acceptance.by = by
    acceptance.save(update_fields=["withdrawn", "by", "at"])
