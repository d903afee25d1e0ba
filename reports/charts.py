"""Charts drawn on the server as inline SVG, for the dashboards (HTML) and the printed report (WeasyPrint).

WeasyPrint runs no JavaScript and the application fetches nothing from elsewhere, so a chart is a
string of SVG markup built here. What must hold:

* the markup is well-formed XML (``xml.etree`` parses it), one ``<svg>`` element with
  ``role="img"``, a ``<title>`` and a ``<desc>`` naming the data, referenced by ``aria-labelledby``;
* every text is escaped and in NFC (decomposed diacritics print as broken glyphs);
* numbers are written the Vietnamese way (``value_format``, default ``vn_number``: "1.290");
* scaling is zero-safe (all-zero or empty data draws an axis from 0, never divides by zero) and the
  axis runs over "nice" steps (1, 2, 5 × 10ⁿ);
* one bar per value (``<rect class="bar">``), one legend entry per series; the series are told apart
  by colour *and* by pattern or dash, so a black-and-white print stays readable;
* no external font: ``font_family`` defaults to the report's metric-compatible serif (the PDF
  embeds Liberation Serif); the dashboard passes its own stack.

The result is a ``SafeString``: a template writes ``{{ chart }}`` without ``|safe``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from borderzone.formatting import nfc, vn_number

Number = int | float
Series = Sequence[tuple[str, Sequence[Number | None]]]

PDF_FONT = "Liberation Serif, Times New Roman, serif"
# Dark enough to print on a monochrome laser printer; distinct for the common colour blindnesses.
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#404040")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
TEXT_COLOUR = "#222"
GRID_COLOUR = "#d0d0d0"
AXIS_COLOUR = "#555"
MAX_BAR = 36.0


# Helpers -------------------------------------------------------------------------------------------


def _t(text: object) -> str:
    """Escaped NFC text for element content."""
    return escape(nfc(str(text)))


def _a(text: object) -> str:
    """Escaped, quoted NFC text for an attribute value."""
    return quoteattr(nfc(str(text)))


def _n(x: float) -> str:
    """A coordinate with at most two decimals ("12.5", not "12.500000001")."""
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


def _chart_id(kind: str, title: str, labels: Sequence[str], series: Series) -> str:
    """A stable id from the content, so the same chart renders the same markup (reproducible PDFs)."""
    digest = hashlib.sha1(repr((kind, title, list(labels), [(n, list(v)) for n, v in series])).encode()).hexdigest()
    return f"bzc-{kind}-{digest[:10]}"


def nice_scale(low: float, high: float, ticks: int = 5, integer: bool = True) -> tuple[float, float, float]:
    """``(axis_min, axis_max, step)`` covering ``[low, high]`` and 0 with about ``ticks`` steps of 1, 2 or 5 × 10ⁿ.

    All-zero (or empty) data gives 0 … ``ticks`` (integers) or 0 … 1, never a zero-height axis.
    """
    low, high = min(0.0, low), max(0.0, high)
    if high - low <= 0:
        return (0.0, float(ticks), 1.0) if integer else (0.0, 1.0, 0.2)
    raw = (high - low) / max(1, ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    axis_min = math.floor(low / step) * step
    axis_max = math.ceil(high / step) * step
    return float(axis_min), float(axis_max), float(step)


def _decimals(step: float) -> int:
    """Digits after the comma the ticks of ``step`` need: 1 → 0, 0,5 → 1, 0,25 → 2 (at most 3)."""
    for decimals in range(4):
        if abs(round(step, decimals) - step) < 1e-9:
            return decimals
    return 3


def _tick_values(axis_min: float, axis_max: float, step: float) -> list[float]:
    count = round((axis_max - axis_min) / step)
    return [axis_min + i * step for i in range(count + 1)]


def _wrap(text: str, max_chars: int, max_lines: int = 3) -> list[str]:
    """Words of ``text`` in lines of at most ``max_chars`` characters; an ellipsis when it runs over."""
    words, lines, line = nfc(str(text)).split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= max_chars or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, max_chars - 1)].rstrip() + "…"
    return [ln if len(ln) <= max_chars + 2 else ln[: max_chars - 1] + "…" for ln in lines] or [""]


def _multiline(x: float, y: float, lines: list[str], size: float, anchor: str, extra: str = "") -> str:
    """A ``<text>`` with one ``<tspan>`` per line, the first on ``y``."""
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else size * 1.15)}">{_t(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}"{extra}>{spans}</text>'


def _validate(labels: Sequence[str], series: Series) -> None:
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"Series {name!r} has {len(values)} values for {len(labels)} labels.")


def _describe(kind: str, title: str, labels: Sequence[str], series: Series, fmt: Callable) -> str:
    """The data as a sentence, for screen readers and as the chart's ``<desc>``."""
    parts = []
    for name, values in series:
        pairs = "; ".join(f"{label}: {fmt(v) if v is not None else '—'}" for label, v in zip(labels, values,
                                                                                           strict=True))
        parts.append(f"{name} – {pairs}" if pairs else f"{name}: không có số liệu")
    body = ". ".join(parts) if parts else "không có số liệu"
    return f"{kind} “{title}”. {body}."


def _open_svg(chart_id: str, width: int, height: int, title: str, desc: str, font_family: str,
              font_size: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bz-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family={_a(font_family)} font-size="{_n(font_size)}" fill="{TEXT_COLOUR}">',
        f'<title id="{chart_id}-title">{_t(title)}</title>',
        f'<desc id="{chart_id}-desc">{_t(desc)}</desc>',
    ]


def _patterns(chart_id: str, count: int) -> str:
    """Hatching per series after the first, so bars differ in black and white too."""
    defs = []
    angles = (None, 45, -45, 0, 90, 30)
    for i in range(1, count):
        angle = angles[i % len(angles)] or 0
        colour = PALETTE[i % len(PALETTE)]
        defs.append(
            f'<pattern id="{chart_id}-p{i}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate({angle})"><rect width="6" height="6" fill="{colour}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(chart_id: str, i: int) -> str:
    return PALETTE[0] if i == 0 else f"url(#{chart_id}-p{i})"


def _legend(
    chart_id: str, series: Series, x: float, y: float, width: float, size: float, *, lines: bool
) -> tuple[str, float]:
    """One entry per series, wrapped over as many rows as needed, left to right; returns (markup, last row's y)."""
    out, cx, cy = ['<g class="legend">'], x, y
    for i, (name, _values) in enumerate(series):
        label = nfc(str(name))
        entry = 18 + len(label) * size * 0.52 + 16
        if cx + entry > x + width and cx > x:
            cx, cy = x, cy + size * 1.5
        if lines:
            dash = f' stroke-dasharray="{DASHES[i % len(DASHES)]}"' if DASHES[i % len(DASHES)] else ""
            out.append(f'<line x1="{_n(cx)}" y1="{_n(cy - size / 3)}" x2="{_n(cx + 14)}" y2="{_n(cy - size / 3)}" '
                       f'stroke="{PALETTE[i % len(PALETTE)]}" stroke-width="2.5"{dash}/>')
        else:
            out.append(f'<rect x="{_n(cx)}" y="{_n(cy - size * 0.8)}" width="12" height="{_n(size * 0.8)}" '
                       f'fill="{_fill(chart_id, i)}" stroke="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{_n(cx + 18)}" y="{_n(cy)}" font-size="{_n(size)}">{_t(label)}</text>')
        cx += entry
    out.append("</g>")
    return "".join(out), cy


def _finite(values: Sequence[Number | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


# Bar chart -----------------------------------------------------------------------------------------


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Series,
    width: int = 640,
    height: int = 320,
    value_format: Callable[[Number], str] = vn_number,
    horizontal: bool = False,
    font_family: str = PDF_FONT,
    font_size: float = 11,
    value_axis_label: str = "",
    category_axis_label: str = "",
    show_title: bool = True,
    show_values: bool = True,
    desc: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Grouped bars: one group per label, one bar per series in each (``len(labels) × len(series)`` bars).

    ``horizontal=True`` lays categories down the left (long Vietnamese category names read better);
    values are written at the end of each bar with ``value_format``. None counts as 0 (drawn empty).
    """
    _validate(labels, series)
    chart_id = chart_id or _chart_id("bar", title, labels, series)
    fmt = value_format
    every = [v for _n_, values in series for v in _finite(values)]
    integer = all(float(v).is_integer() for v in every)
    axis_min, axis_max, step = nice_scale(min(every, default=0.0), max(every, default=0.0), integer=integer)
    span = axis_max - axis_min
    tick_fmt = _tick_formatter(step)
    small = font_size * 0.9

    out = _open_svg(chart_id, width, height, title, desc or _describe("Biểu đồ cột", title, labels, series, fmt),
                    font_family, font_size)
    out.append(_patterns(chart_id, len(series)))
    top = 8.0
    if show_title:
        title_lines = _wrap(title, max(10, int(width / (font_size * 0.62))), 2)
        out.append(_multiline(width / 2, top + font_size * 1.2, title_lines, font_size * 1.15, "middle",
                              ' font-weight="bold" class="chart-title"'))
        top += font_size * 1.35 * len(title_lines) + 6
    legend, legend_y = _legend(chart_id, series, 12, top + font_size, width - 24, small, lines=False)
    out.append(legend)
    top = legend_y + font_size * 0.9

    n_groups, n_series = len(labels), max(1, len(series))
    bottom_pad = 10 + (font_size * 1.3 if category_axis_label and not horizontal else 0)
    if horizontal:
        label_chars = max((len(nfc(str(label))) for label in labels), default=4)
        left = min(width * 0.4, 12 + min(label_chars, 28) * font_size * 0.5) + (font_size * 1.4 if
                                                                                 category_axis_label else 0)
        right = width - 12 - max(len(tick_fmt(axis_max)), 3) * small * 0.35
        plot_top, plot_bottom = top + 4, height - 10 - small * 1.6 - (font_size * 1.3 if value_axis_label else 0)
    else:
        max_chars = max(4, int(((width - 60) / max(1, n_groups)) / (small * 0.55)))
        wrapped = [_wrap(label, max_chars, 3) for label in labels]
        label_lines = max((len(w) for w in wrapped), default=1)
        left = 14 + max(len(tick_fmt(v)) for v in (axis_min, axis_max)) * small * 0.6 + (
            font_size * 1.4 if value_axis_label else 0)
        right = width - 12
        plot_top = top + font_size + 4  # room for the value over the tallest bar
        plot_bottom = height - bottom_pad - label_lines * small * 1.15 - 6
    plot_bottom = max(plot_bottom, plot_top + 20)

    def scale(v: float) -> float:
        """Value → coordinate along the value axis."""
        frac = (v - axis_min) / span
        return left + frac * (right - left) if horizontal else plot_bottom - frac * (plot_bottom - plot_top)

    # Grid and value axis.
    out.append('<g class="grid">')
    for tick in _tick_values(axis_min, axis_max, step):
        p = scale(tick)
        if horizontal:
            out.append(f'<line x1="{_n(p)}" y1="{_n(plot_top)}" x2="{_n(p)}" y2="{_n(plot_bottom)}" '
                       f'stroke="{GRID_COLOUR}" stroke-width="0.6"/>')
            out.append(f'<text x="{_n(p)}" y="{_n(plot_bottom + small * 1.3)}" font-size="{_n(small)}" '
                       f'text-anchor="middle" class="tick">{_t(tick_fmt(tick))}</text>')
        else:
            out.append(f'<line x1="{_n(left)}" y1="{_n(p)}" x2="{_n(right)}" y2="{_n(p)}" '
                       f'stroke="{GRID_COLOUR}" stroke-width="0.6"/>')
            out.append(f'<text x="{_n(left - 4)}" y="{_n(p + small / 3)}" font-size="{_n(small)}" '
                       f'text-anchor="end" class="tick">{_t(tick_fmt(tick))}</text>')
    out.append("</g>")

    zero = scale(0.0)
    band = ((plot_bottom - plot_top) if horizontal else (right - left)) / max(1, n_groups)
    # Bars no thicker than MAX_BAR, so two categories do not fill the page with two slabs.
    bar = min(band * 0.8 / n_series, MAX_BAR)
    out.append('<g class="bars">')
    for g, label in enumerate(labels):
        start = (plot_top if horizontal else left) + g * band + (band - bar * n_series) / 2
        for s, (name, values) in enumerate(series):
            raw = values[g]
            v = float(raw) if raw is not None and math.isfinite(float(raw)) else 0.0
            p = scale(v)
            offset = start + s * bar
            text = fmt(raw) if raw is not None else "—"
            tip = f"<title>{_t(f'{label} – {name}: {text}')}</title>"
            colour = PALETTE[s % len(PALETTE)]
            if horizontal:
                x, w = min(zero, p), abs(p - zero)
                out.append(f'<rect class="bar" x="{_n(x)}" y="{_n(offset)}" width="{_n(w)}" height="{_n(bar)}" '
                           f'fill="{_fill(chart_id, s)}" stroke="{colour}" stroke-width="0.5">{tip}</rect>')
                if show_values:
                    tx, anchor = (p + 3, "start") if v >= 0 else (p - 3, "end")
                    out.append(f'<text class="value" x="{_n(tx)}" y="{_n(offset + bar / 2 + small / 3)}" '
                               f'font-size="{_n(small)}" text-anchor="{anchor}">{_t(text)}</text>')
            else:
                y, h = min(zero, p), abs(p - zero)
                out.append(f'<rect class="bar" x="{_n(offset)}" y="{_n(y)}" width="{_n(bar)}" height="{_n(h)}" '
                           f'fill="{_fill(chart_id, s)}" stroke="{colour}" stroke-width="0.5">{tip}</rect>')
                if show_values:
                    ty = p - 3 if v >= 0 else p + small
                    out.append(f'<text class="value" x="{_n(offset + bar / 2)}" y="{_n(ty)}" '
                               f'font-size="{_n(small * (0.9 if n_series > 2 else 1))}" '
                               f'text-anchor="middle">{_t(text)}</text>')
    out.append("</g>")

    # Category axis: the baseline and the labels.
    out.append('<g class="axis">')
    if horizontal:
        out.append(f'<line x1="{_n(zero)}" y1="{_n(plot_top)}" x2="{_n(zero)}" y2="{_n(plot_bottom)}" '
                   f'stroke="{AXIS_COLOUR}"/>')
        chars = max(6, int((left - 12) / (small * 0.5)))
        for g, label in enumerate(labels):
            centre = plot_top + g * band + band / 2
            lines = _wrap(label, chars, 2)
            y = centre + small / 3 - (len(lines) - 1) * small * 0.575
            out.append(_multiline(left - 5, y, lines, small, "end", ' class="category"'))
    else:
        out.append(f'<line x1="{_n(left)}" y1="{_n(zero)}" x2="{_n(right)}" y2="{_n(zero)}" '
                   f'stroke="{AXIS_COLOUR}"/>')
        for g, lines in enumerate(wrapped):
            centre = left + g * band + band / 2
            out.append(_multiline(centre, plot_bottom + small * 1.25, lines, small, "middle", ' class="category"'))
    out.append(_axis_titles(width, height, left, right, plot_top, plot_bottom, font_size,
                            value_axis_label, category_axis_label, horizontal))
    out.append("</g></svg>")
    return mark_safe("".join(out))  # every text above went through _t / _a


def _tick_formatter(step: float) -> Callable[[float], str]:
    """Ticks in Vietnamese style with as many decimals as the step needs ("1.000", "2,5")."""
    decimals = _decimals(step)

    def tick(v: float) -> str:
        return vn_number(int(round(v))) if decimals == 0 else vn_number(round(v, decimals), decimals)

    return tick


def _axis_titles(width: int, height: int, left: float, right: float, plot_top: float, plot_bottom: float,
                 size: float, value_label: str, category_label: str, horizontal: bool) -> str:
    """The names of the axes: the value axis and the category axis, where each lies."""
    out = []
    x_label, y_label = (value_label, category_label) if horizontal else (category_label, value_label)
    if x_label:
        out.append(f'<text class="axis-label" x="{_n((left + right) / 2)}" y="{_n(height - 6)}" '
                   f'font-size="{_n(size)}" text-anchor="middle">{_t(x_label)}</text>')
    if y_label:
        cy = (plot_top + plot_bottom) / 2
        out.append(f'<text class="axis-label" x="{_n(size)}" y="{_n(cy)}" font-size="{_n(size)}" '
                   f'text-anchor="middle" transform="rotate(-90 {_n(size)} {_n(cy)})">{_t(y_label)}</text>')
    return "".join(out)


# Line chart ----------------------------------------------------------------------------------------


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Series,
    width: int = 640,
    height: int = 300,
    value_format: Callable[[Number], str] = vn_number,
    font_family: str = PDF_FONT,
    font_size: float = 11,
    value_axis_label: str = "",
    category_axis_label: str = "",
    show_title: bool = True,
    show_values: bool = True,
    desc: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """One line per series over the labels (e.g. the months of this year and of the year before).

    A None value leaves a gap in its line. Each point is a ``<circle class="point">``; its value is
    written above it (the first series) or below it (the others), so two lines' labels do not collide.
    """
    _validate(labels, series)
    chart_id = chart_id or _chart_id("line", title, labels, series)
    fmt = value_format
    every = [v for _n_, values in series for v in _finite(values)]
    integer = all(float(v).is_integer() for v in every)
    axis_min, axis_max, step = nice_scale(min(every, default=0.0), max(every, default=0.0), integer=integer)
    span = axis_max - axis_min
    tick_fmt = _tick_formatter(step)
    small = font_size * 0.9

    out = _open_svg(chart_id, width, height, title,
                    desc or _describe("Biểu đồ đường", title, labels, series, fmt), font_family, font_size)
    top = 8.0
    if show_title:
        title_lines = _wrap(title, max(10, int(width / (font_size * 0.62))), 2)
        out.append(_multiline(width / 2, top + font_size * 1.2, title_lines, font_size * 1.15, "middle",
                              ' font-weight="bold" class="chart-title"'))
        top += font_size * 1.35 * len(title_lines) + 6
    legend, legend_y = _legend(chart_id, series, 12, top + font_size, width - 24, small, lines=True)
    out.append(legend)
    top = legend_y + font_size * 0.9

    n = len(labels)
    max_chars = max(3, int(((width - 60) / max(1, n)) / (small * 0.55)))
    wrapped = [_wrap(label, max_chars, 2) for label in labels]
    label_lines = max((len(w) for w in wrapped), default=1)
    left = 14 + max(len(tick_fmt(v)) for v in (axis_min, axis_max)) * small * 0.6 + (
        font_size * 1.4 if value_axis_label else 0)
    right = width - 16
    plot_top = top + font_size + 4
    # The values of the second and later series are written under their points: leave them room
    # above the month labels.
    below = small * 1.3 if show_values and len(series) > 1 else 0
    plot_bottom = (height - 10 - (font_size * 1.3 if category_axis_label else 0) - label_lines * small * 1.15 - 6
                   - below)
    plot_bottom = max(plot_bottom, plot_top + 20)
    band = (right - left) / max(1, n)

    def x_of(i: int) -> float:
        return left + band * (i + 0.5)

    def y_of(v: float) -> float:
        return plot_bottom - (v - axis_min) / span * (plot_bottom - plot_top)

    out.append('<g class="grid">')
    for tick in _tick_values(axis_min, axis_max, step):
        p = y_of(tick)
        out.append(f'<line x1="{_n(left)}" y1="{_n(p)}" x2="{_n(right)}" y2="{_n(p)}" stroke="{GRID_COLOUR}" '
                   f'stroke-width="0.6"/>')
        out.append(f'<text x="{_n(left - 4)}" y="{_n(p + small / 3)}" font-size="{_n(small)}" text-anchor="end" '
                   f'class="tick">{_t(tick_fmt(tick))}</text>')
    out.append("</g>")

    out.append('<g class="lines">')
    for s, (name, values) in enumerate(series):
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[tuple[float, float]]] = [[]]
        for i, raw in enumerate(values):
            if raw is None or not math.isfinite(float(raw)):
                runs.append([])
                continue
            runs[-1].append((x_of(i), y_of(float(raw))))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                out.append(f'<polyline class="line" points="{points}" fill="none" stroke="{colour}" '
                           f'stroke-width="2"{dash_attr}/>')
        for i, raw in enumerate(values):
            if raw is None or not math.isfinite(float(raw)):
                continue
            x, y = x_of(i), y_of(float(raw))
            text = fmt(raw)
            out.append(f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="2.8" fill="{colour}">'
                       f"<title>{_t(f'{labels[i]} – {name}: {text}')}</title></circle>")
            if show_values:
                ty = y - 5 if s == 0 else y + small + 3
                out.append(f'<text class="value" x="{_n(x)}" y="{_n(ty)}" font-size="{_n(small * 0.95)}" '
                           f'text-anchor="middle" fill="{colour}">{_t(text)}</text>')
    out.append("</g>")

    out.append('<g class="axis">')
    out.append(f'<line x1="{_n(left)}" y1="{_n(y_of(max(axis_min, 0.0)))}" x2="{_n(right)}" '
               f'y2="{_n(y_of(max(axis_min, 0.0)))}" stroke="{AXIS_COLOUR}"/>')
    for i, lines in enumerate(wrapped):
        out.append(_multiline(x_of(i), plot_bottom + below + small * 1.25, lines, small, "middle",
                              ' class="category"'))
    out.append(_axis_titles(width, height, left, right, plot_top, plot_bottom, font_size,
                            value_axis_label, category_axis_label, False))
    out.append("</g></svg>")
    return mark_safe("".join(out))  # every text above went through _t / _a


# Data behind a chart -------------------------------------------------------------------------------


def table_fallback(
    *, labels: Sequence[str], series: Series, value_format: Callable[[Number], str] = vn_number
) -> dict:
    """The chart's data as a table for templates: ``{"header": [...], "rows": [[label, value, ...], ...]}``.

    Values are formatted like the chart's; None is "—".
    """
    _validate(labels, series)
    header = [""] + [nfc(str(name)) for name, _values in series]
    rows = [
        [nfc(str(label))] + [value_format(values[i]) if values[i] is not None else "—" for _name, values in series]
        for i, label in enumerate(labels)
    ]
    return {"header": header, "rows": rows}
