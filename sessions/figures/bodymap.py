"""The body map: front and back anatomical figures with each catalogue muscle, left and right.

Geometry is drawn for the viewer: on the front view the patient's right is on the viewer's
left; on the back view the patient's left is on the viewer's left. The shapes come from
`anatomy.py`, keyed by the catalogue's muscle name; a muscle without a shape is still counted
in its region.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from patients.models import BodyRegion, Side

from . import anatomy

# Where the back view starts, right of the front one; the box both views are drawn in.
BACK_OFFSET = 160
VIEW_BOX = "18 0 324 440"
VIEWS = ((anatomy.FRONT, 0), (anatomy.BACK, BACK_OFFSET))


@dataclass(frozen=True)
class CatalogueMuscle:
    """What the map needs of a catalogue entry."""

    pk: int
    name: str
    region: str
    lung_risk: bool
    active: bool = True


@dataclass(frozen=True)
class MapMuscle:
    """One muscle on one side, in one view, with what the page marks on it."""

    pk: int
    name: str
    region: str
    side: str
    view: str
    path: str
    centre: tuple[float, float]
    sites: int
    lung_risk: bool
    blocked: bool

    @property
    def label(self) -> str:
        return f"{self.name} ({Side(self.side).label.lower()})"

    @property
    def description(self) -> str:
        parts = [self.label]
        if self.sites:
            parts.append(f"{self.sites} site{'s' if self.sites > 1 else ''} needled")
        if self.lung_risk:
            parts.append("lung risk")
        if self.blocked:
            parts.append(f"avoid: {BodyRegion(self.region).label.lower()} blocked by the screening")
        return ", ".join(parts)


@dataclass(frozen=True)
class RegionMark:
    """A body region on one side with its needled sites, or blocked by the screening."""

    region: str
    side: str
    sites: int
    blocked: bool

    @property
    def label(self) -> str:
        return f"{BodyRegion(self.region).label} ({Side(self.side).label.lower()})"


@dataclass(frozen=True)
class BodyMap:
    shapes: tuple[MapMuscle, ...]
    regions: tuple[RegionMark, ...]
    view_box: str = VIEW_BOX

    @property
    def needled(self) -> list[RegionMark]:
        return [mark for mark in self.regions if mark.sites]

    @property
    def avoid(self) -> list[RegionMark]:
        return [mark for mark in self.regions if mark.blocked]


def _sides(view: str) -> tuple[str, str]:
    """(patient side drawn on the viewer's left, on the viewer's right)."""
    return (Side.RIGHT, Side.LEFT) if view == anatomy.FRONT else (Side.LEFT, Side.RIGHT)


def _each_side(side: str) -> tuple[str, ...]:
    return (Side.LEFT, Side.RIGHT) if side == Side.BILATERAL else (side,)


@dataclass(frozen=True)
class SiteCounts:
    """Needled sites per (muscle name, side) and per (region, side)."""

    muscles: Counter
    regions: Counter


def site_counts(rows: Iterable[tuple[str, str, str, int]]) -> SiteCounts:
    """Counts from (muscle name, region, side, number of sites) rows; a bilateral site counts
    on both sides."""
    counts = SiteCounts(Counter(), Counter())
    for muscle, region, side, count in rows:
        for each in _each_side(side):
            counts.muscles[(muscle, each)] += count
            counts.regions[(region, each)] += count
    return counts


@cache
def _geometry(name: str, view: str, viewer_left: bool) -> tuple[str, tuple[float, float]]:
    """A muscle's path and centre in the map's coordinates (computed once per process)."""
    points = anatomy.MUSCLES[name][view]
    if not viewer_left:
        points = anatomy.mirror(points)
    offset = dict(VIEWS)[view]
    x, y = anatomy.centroid(points)
    return anatomy.smooth_path(points, offset), (x + offset, y)


def _drawn(muscle: CatalogueMuscle, view: str, counts: SiteCounts) -> bool:
    """Active muscles are drawn, and a retired one where it was needled."""
    if view not in anatomy.MUSCLES.get(muscle.name, {}):
        return False
    return muscle.active or any(counts.muscles[(muscle.name, side)] for side in Side.values)


def _shapes(muscles, counts: SiteCounts, blocked) -> list[MapMuscle]:
    """Head to foot in each view, the viewer's left before the right (the order of Tab)."""
    order = {name: index for index, name in enumerate(anatomy.MUSCLES)}
    muscles = sorted(muscles, key=lambda muscle: order.get(muscle.name, len(order)))
    shapes = []
    for view, _ in VIEWS:
        sides = _sides(view)
        for muscle in muscles:
            if not _drawn(muscle, view, counts):
                continue
            for side in sides:
                path, centre = _geometry(muscle.name, view, side == sides[0])
                shapes.append(
                    MapMuscle(
                        pk=muscle.pk,
                        name=muscle.name,
                        region=muscle.region,
                        side=side,
                        view=view,
                        path=path,
                        centre=centre,
                        sites=counts.muscles[(muscle.name, side)],
                        lung_risk=muscle.lung_risk,
                        blocked=(muscle.region, side) in blocked,
                    )
                )
    return shapes


def body_map(
    *,
    muscles: Iterable[CatalogueMuscle],
    counts: SiteCounts | None = None,
    avoid_regions: Iterable = (),
) -> BodyMap:
    """Both views' muscles with the number of needled sites, lung risk and avoid marks, and the
    regions with sites or blocked.

    `counts` comes from `site_counts`; `avoid_regions` are a screening's AvoidRegion rows.
    """
    counts = counts or SiteCounts(Counter(), Counter())
    avoid = list(avoid_regions)
    blocked = {
        (region, side)
        for region in BodyRegion.values
        for side in (Side.LEFT, Side.RIGHT)
        if any(a.covers(region, side) for a in avoid)
    }
    marks = [
        RegionMark(region, side, counts.regions[(region, side)], (region, side) in blocked)
        for region in BodyRegion.values
        for side in (Side.RIGHT, Side.LEFT)
    ]
    return BodyMap(
        shapes=tuple(_shapes(list(muscles), counts, blocked)),
        regions=tuple(mark for mark in marks if mark.sites or mark.blocked),
    )


def catalogue_muscles() -> list[CatalogueMuscle]:
    """The catalogue, as the map draws it (one query)."""
    from ..models import Muscle

    rows = Muscle.objects.values_list("pk", "name", "region", "lung_risk", "active")
    return [CatalogueMuscle(*row) for row in rows]


def patient_body_map(*, patient, screening=None) -> BodyMap:
    """Every site ever needled for the patient, with the current screening's avoid-regions."""
    from ..models import TriggerPointSite

    return body_map(
        muscles=catalogue_muscles(),
        counts=site_counts(TriggerPointSite.objects.filter(session__patient=patient).map_counts()),
        avoid_regions=screening.avoid_regions.all() if screening else (),
    )


def session_body_map(*, session, sites) -> BodyMap:
    return body_map(
        muscles=catalogue_muscles(),
        counts=site_counts((site.muscle.name, site.muscle.region, site.side, 1) for site in sites),
        avoid_regions=session.screening.avoid_regions.all(),
    )


def form_body_map(*, screening, session=None) -> BodyMap:
    """The session form's map: the draft's sites (if any), the screening's avoid-regions."""
    return body_map(
        muscles=catalogue_muscles(),
        counts=site_counts(session.sites.map_counts()) if session else None,
        avoid_regions=screening.avoid_regions.all() if screening else (),
    )
