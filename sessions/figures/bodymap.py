"""The body map: front and back outlines split into the catalogue's regions, left and right.

Geometry is drawn for the viewer: on the front view the patient's right is on the viewer's
left; on the back view the patient's left is on the viewer's left.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from patients.models import BodyRegion, Side

FIGURE_WIDTH = 200
VIEW_GAP = 40

# (region, x, y, width, height) of the viewer-left half of each view; the other half mirrors it.
FRONT = [
    (BodyRegion.HEAD_NECK, 82, 8, 18, 56),
    (BodyRegion.SHOULDER, 50, 66, 50, 30),
    (BodyRegion.CHEST, 64, 96, 36, 64),
    (BodyRegion.UPPER_ARM, 34, 96, 28, 60),
    (BodyRegion.FOREARM_HAND, 24, 158, 28, 82),
    (BodyRegion.PELVIS_HIP, 64, 162, 36, 48),
    (BodyRegion.THIGH, 66, 212, 32, 88),
    (BodyRegion.LEG, 68, 302, 28, 90),
    (BodyRegion.FOOT, 64, 394, 32, 20),
]
BACK = [
    (BodyRegion.HEAD_NECK, 82, 8, 18, 56),
    (BodyRegion.SHOULDER, 50, 66, 50, 30),
    (BodyRegion.THORACIC, 64, 96, 36, 54),
    (BodyRegion.LUMBAR, 64, 150, 36, 28),
    (BodyRegion.UPPER_ARM, 34, 96, 28, 60),
    (BodyRegion.FOREARM_HAND, 24, 158, 28, 82),
    (BodyRegion.PELVIS_HIP, 64, 180, 36, 30),
    (BodyRegion.THIGH, 66, 212, 32, 88),
    (BodyRegion.LEG, 68, 302, 28, 90),
    (BodyRegion.FOOT, 64, 394, 32, 20),
]


@dataclass(frozen=True)
class MapRegion:
    region: str
    side: str
    view: str
    x: int
    y: int
    width: int
    height: int
    sites: int
    lung_risk: bool
    blocked: bool

    @property
    def label(self) -> str:
        return f"{BodyRegion(self.region).label} ({Side(self.side).label.lower()})"

    @property
    def description(self) -> str:
        parts = [self.label]
        if self.sites:
            parts.append(f"{self.sites} site{'s' if self.sites > 1 else ''} needled")
        if self.lung_risk:
            parts.append("lung-risk muscles")
        if self.blocked:
            parts.append("avoid: blocked by the screening")
        return ", ".join(parts)

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


def _sides(view: str) -> tuple[str, str]:
    """(patient side drawn on the viewer's left, on the viewer's right)."""
    return (Side.RIGHT, Side.LEFT) if view == "front" else (Side.LEFT, Side.RIGHT)


def site_counts(rows: Iterable[tuple[str, str, int]]) -> Counter:
    """Sites per (region, side) from (region, side, count) rows; bilateral counts on both."""
    counts: Counter = Counter()
    for region, side, count in rows:
        for each in (Side.LEFT, Side.RIGHT) if side == Side.BILATERAL else (side,):
            counts[(region, each)] += count
    return counts


def body_map(
    *,
    counts: Mapping[tuple[str, str], int] | None = None,
    avoid_regions: Iterable = (),
    lung_risk_regions: Iterable[str] = (),
) -> dict[str, list[MapRegion]]:
    """Regions of both views with the number of needled sites, lung risk and avoid marks.

    `counts` comes from `site_counts`; `avoid_regions` are a screening's AvoidRegion rows.
    """
    counts = counts or Counter()
    avoid = list(avoid_regions)
    lung = set(lung_risk_regions)
    views = {}
    for view, layout, offset in (("front", FRONT, 0), ("back", BACK, FIGURE_WIDTH + VIEW_GAP)):
        viewer_left, viewer_right = _sides(view)
        regions = []
        for region, x, y, width, height in layout:
            for side, left in ((viewer_left, x), (viewer_right, FIGURE_WIDTH - x - width)):
                regions.append(
                    MapRegion(
                        region=region,
                        side=side,
                        view=view,
                        x=offset + left,
                        y=y,
                        width=width,
                        height=height,
                        sites=counts.get((region, side), 0),
                        lung_risk=region in lung,
                        blocked=any(a.covers(region, side) for a in avoid),
                    )
                )
        views[view] = regions
    return views


def regions_of(views: dict[str, list[MapRegion]]) -> list[MapRegion]:
    return views["front"] + views["back"]


def patient_body_map(*, patient, screening=None) -> list[MapRegion]:
    """Every site ever needled for the patient, with the current screening's avoid-regions."""
    from ..models import Muscle, TriggerPointSite

    return regions_of(
        body_map(
            counts=site_counts(
                TriggerPointSite.objects.filter(session__patient=patient).region_counts()
            ),
            avoid_regions=screening.avoid_regions.all() if screening else (),
            lung_risk_regions=Muscle.objects.lung_risk_regions(),
        )
    )


def session_body_map(*, session, sites) -> list[MapRegion]:
    from ..models import Muscle

    return regions_of(
        body_map(
            counts=site_counts((site.muscle.region, site.side, 1) for site in sites),
            avoid_regions=session.screening.avoid_regions.all(),
            lung_risk_regions=Muscle.objects.lung_risk_regions(),
        )
    )
