"""Small diary charts as inline SVG, drawn by hand: no plotting library, same output every time.

Days are placed by calendar date, so a missed check-in leaves a gap. Crash days are shaded
in every chart, so a clinician can see what came before them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 340, 112
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 20, 20
INK, GRID, CRASH = "#333333", "#d9d9d9", "#f4d6d2"


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    colour: str
    points: Sequence[tuple[datetime.date, float]]
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Frame:
    start: datetime.date
    days: int
    top: float

    def x(self, day: datetime.date) -> float:
        span = max(self.days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * ((day - self.start).days + 0.5) / (span + 1)

    def y(self, value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / self.top)

    @property
    def slot(self) -> float:
        return (WIDTH - LEFT - RIGHT) / (max(self.days, 1) + 1)


def _frame(dates: Sequence[datetime.date], top: float) -> Frame:
    start, end = min(dates), max(dates)
    return Frame(start, (end - start).days, top)


def _axes(frame: Frame, ticks: Sequence[float], unit: str) -> list[str]:
    parts = []
    for tick in ticks:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{tick:g}</text>')
    parts.append(f'<text x="{LEFT - 4}" y="{TOP - 8}" text-anchor="end">{escape(unit)}</text>')
    end = frame.start + datetime.timedelta(days=frame.days)
    for day, anchor in ((frame.start, "start"), (end, "end")):
        x = frame.x(day) + (-frame.slot / 2 if anchor == "start" else frame.slot / 2)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 6}" text-anchor="{anchor}">{day:%d %b}</text>')
    return parts


def _crash_bands(frame: Frame, crashes: Sequence[datetime.date]) -> list[str]:
    height = HEIGHT - TOP - BOTTOM
    return [
        f'<rect x="{frame.x(day) - frame.slot / 2:.1f}" y="{TOP}" width="{frame.slot:.1f}" '
        f'height="{height}" fill="{CRASH}"><title>Crash {day:%d %b}</title></rect>'
        for day in crashes
    ]


def _runs(points: Sequence[tuple[datetime.date, float]]) -> list[list[tuple[datetime.date, float]]]:
    """Consecutive days together: a missed check-in breaks the line rather than bridging it."""
    runs: list[list[tuple[datetime.date, float]]] = []
    for day, value in sorted(points):
        if runs and (day - runs[-1][-1][0]).days <= 1:
            runs[-1].append((day, value))
        else:
            runs.append([(day, value)])
    return runs


def _line(frame: Frame, series: Series) -> list[str]:
    dash = ' stroke-dasharray="4 3"' if series.dashed else ""
    parts = []
    for run in _runs(series.points):
        path = " ".join(f"{frame.x(d):.1f},{frame.y(v):.1f}" for d, v in run)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{series.colour}" stroke-width="1.6"{dash}/>'
        )
    if not series.dashed:
        parts += [
            f'<circle cx="{frame.x(d):.1f}" cy="{frame.y(v):.1f}" r="1.8" fill="{series.colour}"/>'
            for d, v in series.points
        ]
    return parts


def _bars(frame: Frame, series: Series) -> list[str]:
    width = frame.slot * 0.6
    return [
        f'<rect x="{frame.x(d) - width / 2:.1f}" y="{frame.y(v):.1f}" width="{width:.1f}" '
        f'height="{frame.y(0) - frame.y(v):.1f}" fill="{series.colour}"/>'
        for d, v in series.points
    ]


def _legend(items: Sequence[tuple[str, str, str]]) -> list[str]:
    parts, x = [], float(LEFT)
    for label, colour, kind in items:
        if kind == "band":
            parts.append(f'<rect x="{x:.1f}" y="4" width="10" height="8" fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="3 2"' if kind == "dashed" else ""
            parts.append(
                f'<line x1="{x:.1f}" y1="8" x2="{x + 10:.1f}" y2="8" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        parts.append(f'<text x="{x + 13:.1f}" y="11">{escape(label)}</text>')
        x += 18 + 5.2 * len(label)
    return parts


def _svg(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="8" fill="{INK}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def scores_chart(title: str, lines: Sequence[Series], crashes: Sequence[datetime.date]) -> str:
    """Lines of 0-10 scores over the days, crash days shaded."""
    dates = [d for s in lines for d, _ in s.points] + list(crashes)
    frame = _frame(dates, 10)
    legend = [(s.label, s.colour, "dashed" if s.dashed else "line") for s in lines]
    legend += [("crash day", CRASH, "band")] if crashes else []
    body = _crash_bands(frame, crashes) + _axes(frame, (0, 5, 10), "0-10")
    for series in lines:
        body += _line(frame, series)
    return _svg(title, body + _legend(legend))


def walking_chart(title: str, done: Series, planned: Series | None, crashes: Sequence[datetime.date]) -> str:
    """Minutes walked per day as bars; the plan's minutes as a dashed line when known."""
    values = [v for _, v in done.points] + ([v for _, v in planned.points] if planned else [])
    top = _nice_top(max(values, default=0))
    dates = [d for d, _ in done.points] + [d for d, _ in (planned.points if planned else [])] + list(crashes)
    frame = _frame(dates, top)
    body = _crash_bands(frame, crashes) + _axes(frame, (0, top / 2, top), "min") + _bars(frame, done)
    legend = [(done.label, done.colour, "line")]
    if planned:
        body += _line(frame, planned)
        legend.append((planned.label, planned.colour, "dashed"))
    legend += [("crash day", CRASH, "band")] if crashes else []
    return _svg(title, body + _legend(legend))


def _nice_top(value: float) -> float:
    for top in (10, 20, 30, 40, 60, 80, 100, 120, 160, 200, 300, 400, 600):
        if value <= top:
            return top
    return value
