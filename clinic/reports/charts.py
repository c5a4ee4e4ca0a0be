"""Bar charts as geometry for an SVG template (no JavaScript, no inline styles)."""

from dataclasses import dataclass
from math import floor, log10

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36
GRID_LINES = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class GridLine:
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    grid: list[GridLine]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM
    # Label every n-th bar so long periods stay readable.
    label_every: int = 1

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def labelled_bars(self) -> list[tuple[Bar, bool]]:
        return [(bar, i % self.label_every == 0) for i, bar in enumerate(self.bars)]


def axis_top(largest: float) -> float:
    """The smallest round number (1, 2, 4, 5 or 10 times a power of ten) at or above largest,
    so the grid lines fall on readable values."""
    if largest <= 0:
        return 1
    power = 10 ** floor(log10(largest))
    return next(step * power for step in (1, 2, 4, 5, 10) if step * power >= largest)


def bar_chart(*, title: str, description: str, data: list[tuple[str, float, str]]) -> BarChart:
    """Lay out (label, value, text) bars on a 0-based axis scaled to the largest value."""
    top = axis_top(max((value for _, value, _ in data), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(data), 1)
    bars = []
    for index, (label, value, text) in enumerate(data):
        height = plot_height * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
            )
        )
    grid = [
        GridLine(
            y=round(HEIGHT - BOTTOM - plot_height * step / GRID_LINES, 1),
            text=f"{top * step / GRID_LINES:g}",
        )
        for step in range(GRID_LINES + 1)
    ]
    return BarChart(
        title=title,
        description=description,
        bars=bars,
        grid=grid,
        label_every=max(1, -(-len(data) // 12)),
    )
