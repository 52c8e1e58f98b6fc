"""Chart definitions shared by the dashboards and the consolidated report.

Each function takes plain rows (already aggregated and translated) and returns a Vega-Lite v5
specification as a dict. The browser draws it with the vendored vega-embed; documents draw the same
specification as SVG (PDF, HTML report) or PNG (DOCX) through vl-convert, which runs in-process and
needs no browser. Every chart is also given as a table next to it, so no number lives only in a
picture, and the series are told apart by label and order as well as by colour.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

Spec = dict[str, Any]
Row = Mapping[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "DejaVu Sans, Arial, sans-serif"

# Ratings in the order a reader scans them, good to bad, each with a colour that keeps its
# meaning in grey print (lightness falls as the rating worsens).
RATING_ORDER = ["completed", "on_track", "not_started", "delayed", "off_track", "discontinued"]
RATING_COLOURS = {
    "completed": "#1e5b2c",
    "on_track": "#4c9a5e",
    "not_started": "#b9c2cc",
    "delayed": "#e09a3e",
    "off_track": "#b3282d",
    "discontinued": "#6b6b6b",
}
# A qualitative palette that stays distinct for the common kinds of colour blindness.
CATEGORY_COLOURS = [
    "#0b5394",
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#cc79a7",
    "#d55e00",
    "#f0e442",
    "#999999",
    "#332288",
    "#882255",
]
UN_BLUE = "#0b5394"
TARGET_GREY = "#6b6b6b"


def _base(*, title: str, width: int | str, height: int) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 13},
        "width": width,
        "height": height,
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridOpacity": 0.4},
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        },
    }


def _values(rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def _ordered(values: list[dict[str, Any]], field: str, key: str) -> list[Any]:
    """The distinct values of `field`, in the order of `key`: an explicit axis order, which
    every renderer honours the same way."""
    seen: dict[Any, Any] = {}
    for row in values:
        seen.setdefault(row[field], row.get(key, row[field]))
    return sorted(seen, key=lambda v: (str(type(seen[v])), seen[v]))


def _ordinal_x(values: list[dict[str, Any]], field: str, key: str, title: str) -> Spec:
    """A horizontal axis of periods or years in their own order, labels upright."""
    return {
        "field": field,
        "type": "ordinal",
        "title": title,
        "sort": _ordered(values, field, key),
        "axis": {"labelAngle": 0},
    }


# Counts are whole numbers: no 0.5 ticks.
COUNT_AXIS = {"tickMinStep": 1, "format": "d"}


def ratings_stacked(
    rows: Iterable[Row],
    *,
    group_title: str,
    count_title: str,
    rating_labels: Mapping[str, str],
    title: str = "",
    normalize: bool = False,
    width: int | str = 480,
) -> Spec:
    """Horizontal bars, one per group (priority, entity, cycle…), stacked by rating.

    Rows: {"group": label, "order": sort key, "rating": code, "count": n}."""
    values = _values(rows)
    for row in values:
        row["rating_label"] = rating_labels.get(row["rating"], row["rating"])
        row["rating_rank"] = (
            RATING_ORDER.index(row["rating"]) if row["rating"] in RATING_ORDER else 99
        )
    codes = [code for code in RATING_ORDER if code in rating_labels]
    groups = _ordered(values, "group", "order")
    spec = _base(title=title, width=width, height=max(60, 24 * len(groups)))
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "group", "type": "nominal", "title": group_title, "sort": groups},
        "x": {
            "aggregate": "sum",
            "field": "count",
            "type": "quantitative",
            "title": count_title,
            "stack": "normalize" if normalize else "zero",
            "axis": {"format": "%"} if normalize else COUNT_AXIS,
        },
        "color": {
            "field": "rating_label",
            "type": "nominal",
            "title": None,
            "scale": {
                "domain": [rating_labels[code] for code in codes],
                "range": [RATING_COLOURS[code] for code in codes],
            },
        },
        "order": {"field": "rating_rank", "type": "quantitative"},
        "tooltip": [
            {"field": "group", "title": group_title},
            {"field": "rating_label", "title": " "},
            {"field": "count", "title": count_title},
        ],
    }
    return spec


def share_trend(
    rows: Iterable[Row],
    *,
    period_title: str,
    share_title: str,
    series_title: str,
    title: str = "",
    width: int | str = 480,
) -> Spec:
    """Lines of a share (0 to 100) across periods, one per series (priority, entity…).

    Rows: {"period": label, "period_order": sort key, "series": label, "share": number}."""
    values = _values(rows)
    spec = _base(title=title, width=width, height=220)
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 40}, "tooltip": True}
    spec["encoding"] = {
        "x": _ordinal_x(values, "period", "period_order", period_title),
        "y": {
            "field": "share",
            "type": "quantitative",
            "title": share_title,
            "scale": {"domain": [0, 100]},
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "title": series_title,
            "scale": {"range": CATEGORY_COLOURS},
            # One line needs no legend: the title says what it is.
            **({"legend": None} if len({row["series"] for row in values}) < 2 else {}),
        },
        "shape": {"field": "series", "type": "nominal", "title": series_title, "legend": None},
        "tooltip": [
            {"field": "series", "title": series_title},
            {"field": "period", "title": period_title},
            {"field": "share", "title": share_title, "format": ".0f"},
        ],
    }
    return spec


def target_actual(
    rows: Iterable[Row],
    *,
    period_title: str,
    value_title: str,
    title: str = "",
    width: int | str = 480,
) -> Spec:
    """An indicator over time: the target as a dashed grey line, actual values as solid lines
    (one per series: the total, or each sex where the indicator is disaggregated).

    Rows: {"period": label, "period_order": key, "series": label, "kind": "target"|"actual",
    "value": number}. Missing values are simply absent rows: a gap, never a zero."""
    values = _values(rows)
    spec = _base(title=title, width=width, height=200)
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 40}, "tooltip": True}
    series = sorted({row["series"] for row in values if row.get("kind") != "target"})
    targets = sorted({row["series"] for row in values if row.get("kind") == "target"})
    spec["encoding"] = {
        "x": _ordinal_x(values, "period", "period_order", period_title),
        "y": {"field": "value", "type": "quantitative", "title": value_title},
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {
                "domain": targets + series,
                "range": [TARGET_GREY] * len(targets) + CATEGORY_COLOURS[: len(series) or 1],
            },
        },
        "strokeDash": {
            "field": "kind",
            "type": "nominal",
            "legend": None,
            "scale": {"domain": ["target", "actual"], "range": [[6, 4], [1, 0]]},
        },
        "tooltip": [
            {"field": "series", "title": " "},
            {"field": "period", "title": period_title},
            {"field": "value", "title": value_title},
        ],
    }
    return spec


def stacked_counts(
    rows: Iterable[Row],
    *,
    x_title: str,
    count_title: str,
    series_title: str,
    title: str = "",
    width: int | str = 480,
) -> Spec:
    """Vertical bars of counts over an ordered axis (cycles, years), stacked by a category
    (obstacle category, mission, incident type…).

    Rows: {"x": label, "x_order": key, "series": label, "count": n}."""
    values = _values(rows)
    spec = _base(title=title, width=width, height=220)
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "x": _ordinal_x(values, "x", "x_order", x_title),
        "y": {
            "aggregate": "sum",
            "field": "count",
            "type": "quantitative",
            "title": count_title,
            "axis": COUNT_AXIS,
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "title": series_title,
            "scale": {"range": CATEGORY_COLOURS},
        },
        "tooltip": [
            {"field": "x", "title": x_title},
            {"field": "series", "title": series_title},
            {"field": "count", "title": count_title},
        ],
    }
    return spec


def counts_bar(
    rows: Iterable[Row],
    *,
    label_title: str,
    count_title: str,
    title: str = "",
    width: int | str = 480,
) -> Spec:
    """Horizontal bars of one count per label, longest first (missions, nationalities…).

    Rows: {"label": text, "count": n}."""
    values = _values(rows)
    spec = _base(title=title, width=width, height=max(60, 20 * len(values)))
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "bar", "color": UN_BLUE, "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "label", "type": "nominal", "title": label_title, "sort": "-x"},
        "x": {"field": "count", "type": "quantitative", "title": count_title, "axis": COUNT_AXIS},
        "tooltip": [
            {"field": "label", "title": label_title},
            {"field": "count", "title": count_title},
        ],
    }
    return spec


def heatmap(
    rows: Iterable[Row],
    *,
    x_title: str,
    y_title: str,
    rating_labels: Mapping[str, str],
    title: str = "",
    width: int | str = 480,
) -> Spec:
    """Cells coloured by rating, with the rating's initial letters written in each cell so the
    reading does not rest on colour.

    Rows: {"x": label, "x_order": key, "y": label, "y_order": key, "rating": code,
    "abbr": short text}."""
    values = _values(rows)
    for row in values:
        row["rating_label"] = rating_labels.get(row["rating"], row["rating"])
    codes = [code for code in RATING_ORDER if code in rating_labels]
    ys = len({row["y"] for row in values}) or 1
    spec = _base(title=title, width=width, height=max(60, 22 * ys))
    spec["data"] = {"values": values}
    spec["encoding"] = {
        "x": {
            "field": "x",
            "type": "ordinal",
            "title": x_title,
            "sort": _ordered(values, "x", "x_order"),
            "axis": {"orient": "top", "labelAngle": -40},
        },
        "y": {
            "field": "y",
            "type": "ordinal",
            "title": y_title,
            "sort": _ordered(values, "y", "y_order"),
        },
    }
    spec["layer"] = [
        {
            "mark": {"type": "rect", "tooltip": True},
            "encoding": {
                "color": {
                    "field": "rating_label",
                    "type": "nominal",
                    "title": None,
                    "scale": {
                        "domain": [rating_labels[code] for code in codes],
                        "range": [RATING_COLOURS[code] for code in codes],
                    },
                },
                "tooltip": [
                    {"field": "y", "title": y_title},
                    {"field": "x", "title": x_title},
                    {"field": "rating_label", "title": " "},
                ],
            },
        },
        {
            "mark": {"type": "text", "fontSize": 9, "color": "#111"},
            "encoding": {"text": {"field": "abbr"}},
        },
    ]
    return spec


def spec_json(spec: Spec) -> str:
    """The specification as compact JSON for a page's <script type="application/json">."""
    return json.dumps(spec, separators=(",", ":"), sort_keys=True, default=str)


def spec_key(spec: Spec) -> str:
    return hashlib.sha256(spec_json(spec).encode()).hexdigest()


@lru_cache(maxsize=256)
def _svg(payload: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(payload)))


@lru_cache(maxsize=128)
def _png(payload: str, scale: float) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(json.loads(payload), scale=scale))


def to_svg(spec: Spec) -> str:
    """Vector drawing of the chart, for PDF and HTML documents."""
    return _svg(spec_json(spec))


def to_png(spec: Spec, *, scale: float = 2.0) -> bytes:
    """Raster drawing of the chart, for DOCX (Word draws no SVG everywhere)."""
    return _png(spec_json(spec), scale)
