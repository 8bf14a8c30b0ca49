"""The comparison of a facility's IKK with the figures of its region and of the whole country
(LKjIP BAB III.A, "Perbandingan dengan capaian wilayah dan nasional").

The figures come from the roll-up (`dashboards.rollup`, ΣA / ΣB of the facilities' counts), which
sits above the documents; the dashboards register the provider when the app is ready, so the
documents ask for the figures without importing it. Without a provider (a trimmed installation)
the report says that no comparison is available."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kinerja import calc


@dataclass(frozen=True)
class AreaFigure:
    """One IKK over an area (the facility's Kanwil, or the country) for the year."""

    area: str  # the unit's name: "Kantor Wilayah …", "Direktorat Jenderal …"
    realisation: calc.Outcome | None  # from the summed counts; None: nobody reported
    target: Decimal | None  # the aggregate target (None when the facilities' targets differ)
    target_note: str
    achievement: calc.Achievement | None
    facilities: int  # facilities with the IKK in a PK in force
    reporting: int  # of them, those with a figure


# (unit, year, catalogue codes) -> {code: (region figure | None, national figure | None)}
Provider = Callable[..., dict[str, tuple[AreaFigure | None, AreaFigure | None]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def figures(
    unit, year: int, codes: list[str]
) -> dict[str, tuple[AreaFigure | None, AreaFigure | None]]:
    """Per catalogue code the region's and the nation's figure; empty without a provider."""
    for provider in _providers:
        return provider(unit, year, codes)
    return {}
