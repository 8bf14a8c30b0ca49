"""What the public pages read: only current publications and the figures frozen in them. The
national aggregate of the published figures per IKK is `calc.aggregate` over each facility's
published counts (ΣA / ΣB), as the dashboards do over live data. A fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from kinerja import calc
from kinerja.organizations.models import FacilityType, Unit, UnitKind
from kinerja.publication.models import Publication, PublicationKind

MAX_QUERY = 100  # characters of a search


def _d(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def nearly() -> Decimal:
    return Decimal(str(settings.KINERJA_ACHIEVEMENT_THRESHOLDS["warning"]))


@dataclass
class Figure:
    """One IKK of a published document, read back (Decimals, N/A with its reason)."""

    code: str
    name: str
    target: Decimal | None
    target_unit: str
    realisation: Decimal | None = None
    achievement: Decimal | None = None
    na_reason: str = ""
    computation: str = ""
    published: bool = True  # False: the document states no realisation (a PK)

    @property
    def standing(self) -> calc.Standing:
        if not self.published:
            return calc.Standing.NOT_REPORTED
        result = (
            calc.Achievement(self.achievement, self.achievement, na_reason=self.na_reason)
            if self.realisation is not None or self.na_reason
            else None
        )
        return calc.standing(result, self.realisation is not None or bool(self.na_reason), nearly())


def read_figures(publication: Publication) -> list[Figure]:
    out = []
    for item in publication.figures:
        out.append(
            Figure(
                code=item["code"],
                name=item["name"],
                target=_d(item.get("target")),
                target_unit=item.get("target_unit", ""),
                realisation=_d(item.get("realisation")),
                achievement=_d(item.get("achievement_capped") or item.get("achievement")),
                na_reason=item.get("na_reason", "") or "",
                computation=item.get("computation", "") or "",
                published="realisation" in item,
            )
        )
    return out


@dataclass
class FacilityYear:
    year: int
    figures_from: Publication | None  # the LKjIP, else the latest quarter, else the PK
    figures: list[Figure]
    documents: list[Publication]  # every version, current first


@dataclass
class FacilityPage:
    unit: Unit
    years: list[FacilityYear]
    replaced: list[Publication] = field(default_factory=list)

    @property
    def chart(self) -> list[dict[str, Any]]:
        """Per year (oldest first) how many IKK were achieved, nearly, missed, N/A, of those with a
        published realisation."""
        rows = []
        for y in reversed(self.years):
            counts: dict[str, int] = defaultdict(int)
            for f in y.figures:
                if f.published:
                    counts[f.standing.value] += 1
            if counts:
                rows.append({"year": y.year, "counts": dict(counts), "total": sum(counts.values())})
        return rows


def _order(p: Publication) -> tuple[int, int]:
    return (
        {"lkjip": 0, "capaian": 1, "pk": 2}.get(str(p.kind), 3),
        -(p.quarter or 0),
    )


def facility_page(unit: Unit) -> FacilityPage:
    publications = list(
        Publication.objects.filter(unit=unit)
        .select_related("replaced_by")
        .order_by("-year", "kind", "-quarter", "-version")
    )
    by_year: dict[int, list[Publication]] = defaultdict(list)
    for p in publications:
        by_year[p.year].append(p)
    years = []
    for year in sorted(by_year, reverse=True):
        docs = by_year[year]
        current = sorted((p for p in docs if p.replaced_at is None), key=_order)
        source = current[0] if current else None
        years.append(
            FacilityYear(
                year,
                source,
                read_figures(source) if source else [],
                sorted(docs, key=lambda p: (p.replaced_at is not None, _order(p), -p.version)),
            )
        )
    return FacilityPage(unit, years)


def search(params: dict[str, str]) -> tuple[QuerySet[Unit], dict[str, str]]:
    """Facilities by name or city (`q`), region (`wilayah`, a Kanwil's slug) and type (`tipe`); a
    value that is not a choice is ignored."""
    units = (
        Unit.objects.filter(kind=UnitKind.UPT)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    used: dict[str, str] = {}
    q = (params.get("q") or "").strip()[:MAX_QUERY]
    if q:
        units = units.filter(
            Q(name__icontains=q) | Q(city__icontains=q) | Q(parent__name__icontains=q)
        )
        used["q"] = q
    region = params.get("wilayah") or ""
    if region and Unit.objects.filter(kind=UnitKind.KANWIL, slug=region).exists():
        units = units.filter(parent__slug=region)
        used["wilayah"] = region
    kind = params.get("tipe") or ""
    if kind in FacilityType.values:
        units = units.filter(facility_type=kind)
        used["tipe"] = kind
    return units, used


@dataclass
class RegionRow:
    region: Unit
    facilities: int = 0
    published: dict[str, int] = field(default_factory=dict)  # kind -> facilities with it


@dataclass
class NationalPage:
    year: int | None
    years: list[int]
    regions: list[RegionRow]
    by_type: list[tuple[str, int, dict[str, int]]]
    aggregates: list[tuple[Figure, calc.Aggregate]]
    facilities_with_figures: int


def published_years() -> list[int]:
    return sorted(set(Publication.objects.values_list("year", flat=True)), reverse=True)


def national_page(year: int | None, region: Unit | None = None) -> NationalPage:
    """Who published what for the year, per region (or per facility type), and the aggregate of
    the published year figures per IKK."""
    years = published_years()
    if year is None:
        year = years[0] if years else None
    facilities = Unit.objects.filter(kind=UnitKind.UPT)
    regions_qs = Unit.objects.filter(kind=UnitKind.KANWIL).order_by("name")
    if region is not None:
        facilities = facilities.filter(parent=region)
        regions_qs = regions_qs.filter(pk=region.pk)
    rows = {r.id: RegionRow(r) for r in regions_qs}
    types: dict[str, tuple[int, dict[str, int]]] = {}
    facility_list = list(facilities.values_list("id", "parent_id", "facility_type"))
    for _, parent_id, ftype in facility_list:
        if parent_id in rows:
            rows[parent_id].facilities += 1
        count, published = types.get(ftype, (0, {}))
        types[ftype] = (count + 1, published)
    current = (
        list(
            Publication.objects.current()
            .filter(year=year, unit__in=facilities)
            .values_list("unit_id", "unit__parent_id", "unit__facility_type", "kind")
            .distinct()
        )
        if year
        else []
    )
    for _, parent_id, ftype, kind in current:
        if parent_id in rows:
            rows[parent_id].published[kind] = rows[parent_id].published.get(kind, 0) + 1
        types[ftype][1][kind] = types[ftype][1].get(kind, 0) + 1
    labels = dict(FacilityType.choices)
    by_type = [(labels.get(t, t), n, published) for t, (n, published) in sorted(types.items())]
    # The year's figures of each facility: its LKjIP, else its achievement s.d. TW IV (the same
    # year-to-date figures); never an earlier quarter's beside another's year.
    sources: dict[int, Publication] = {}
    if year:
        for p in Publication.objects.current().filter(
            Q(kind=PublicationKind.LKJIP) | Q(kind=PublicationKind.CAPAIAN, quarter=4),
            year=year,
            unit__in=facilities,
        ):
            if p.unit_id not in sources or p.kind == PublicationKind.LKJIP:
                sources[p.unit_id] = p
    aggregates = _aggregates(list(sources.values()))
    return NationalPage(year, years, list(rows.values()), by_type, aggregates, len(sources))


def _aggregates(lkjips: list[Publication]) -> list[tuple[Figure, calc.Aggregate]]:
    # By IKK and formula: a facility that published under an earlier formula of the catalogue is
    # summed apart (its counts may lack a variable of the newer one).
    parts: dict[tuple[str, str], list[calc.Contribution]] = defaultdict(list)
    meta: dict[tuple[str, str], dict[str, Any]] = {}
    for publication in lkjips:
        for item in publication.figures:
            code = (item["code"], item.get("formula") or "")
            meta.setdefault(code, item)
            values = item.get("values")
            figure = Figure(
                code[0],
                item["name"],
                _d(item.get("target")),
                item.get("target_unit", ""),
                _d(item.get("realisation")),
                _d(item.get("achievement_capped") or item.get("achievement")),
                item.get("na_reason", "") or "",
            )
            parts[code].append(
                calc.Contribution(
                    {k: Decimal(v) for k, v in values.items()} if values else None,
                    figure.target,
                    calc.Outcome(figure.realisation, figure.na_reason) if values else None,
                    figure.standing,
                )
            )
    out = []
    for code in sorted(parts, key=lambda key: (_code_key(key[0]), key[1])):
        item = meta[code]
        aggregate = calc.aggregate(
            item.get("formula") or "A",
            parts[code],
            mode=item.get("aggregation") or calc.Aggregation.SUM
            if item.get("formula")
            else calc.Aggregation.NONE,
            direction=item.get("direction") or "higher",
            lower_rule=item.get("lower_rule") or calc.LowerRule.INVERSE,
            rounding=settings.KINERJA_REALISATION_ROUNDING,
            target_unit=item.get("target_unit") or "%",
        )
        out.append((Figure(code[0], item["name"], None, item.get("target_unit", "")), aggregate))
    return out


def _code_key(code: str) -> list[Any]:
    return [
        int(p) if (p.isascii() and p.isdigit()) else p for p in code.replace("-", ".").split(".")
    ]


@dataclass
class FacilityPublications:
    unit: Unit
    current: dict[str, Publication]  # kind (capaian: the latest quarter) -> version in force
    versions: int  # every version published for the year, replaced ones included


@dataclass
class PublishedAcross:
    year: int
    facilities: list[FacilityPublications]
    counts: dict[str, int]  # kind -> facilities with a version in force


def published_across(facilities: QuerySet[Unit], year: int) -> PublishedAcross:
    """For a Kanwil or the nation: per facility what it published for the year and when (a fixed
    number of queries; facilities without anything first)."""
    units = list(
        facilities.filter(kind=UnitKind.UPT)
        .select_related("parent__parent")
        .order_by("parent__name", "name", "id")
    )
    current: dict[int, dict[str, Publication]] = defaultdict(dict)
    versions: dict[int, int] = defaultdict(int)
    for p in Publication.objects.filter(unit__in=[u.id for u in units], year=year).order_by(
        "quarter", "version"
    ):
        versions[p.unit_id] += 1
        if p.replaced_at is None:
            current[p.unit_id][p.kind] = p
    rows = [FacilityPublications(u, current.get(u.id, {}), versions.get(u.id, 0)) for u in units]
    rows.sort(
        key=lambda r: (bool(r.current), r.unit.parent.name if r.unit.parent else "", r.unit.name)
    )
    counts = {k: sum(1 for r in rows if k in r.current) for k in PublicationKind.values}
    return PublishedAcross(year, rows, counts)
