"""Bar charts as geometry for an SVG template (no JavaScript, no inline styles)."""

from dataclasses import dataclass

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
    y_label: str
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


def bar_chart(
    *, title: str, description: str, y_label: str, data: list[tuple[str, float, str]]
) -> BarChart:
    """Lay out (label, value, text) bars on a 0-based axis scaled to the largest value."""
    top = max((value for _, value, _ in data), default=0) or 1
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
            text=f"{top * step / GRID_LINES:.3g}",
        )
        for step in range(GRID_LINES + 1)
    ]
    return BarChart(
        title=title,
        description=description,
        y_label=y_label,
        bars=bars,
        grid=grid,
        label_every=max(1, -(-len(data) // 12)),
    )
