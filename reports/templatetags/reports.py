from __future__ import annotations

import base64
from typing import Any

from django import template

from core import charts
from reports import selectors
from reports.content import Chart, DeliverableLine
from reports.models import Format, PublishedFile

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if mapping else ""


@register.filter
def chart_data_uri(chart: Chart) -> str:
    """The chart drawn as SVG, inlined as an image: vector in the PDF, and no inline markup or
    style for the page's content security policy to refuse."""
    svg = charts.to_svg(chart.spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.filter
def ratings_by_rating(line: DeliverableLine, labels: dict[str, str]) -> str:
    return str(line.ratings_by_rating(labels))


@register.simple_tag
def latest_public_report() -> dict[str, Any] | None:
    """The newest published public edition and its PDF, for the plan's front page."""
    publication = selectors.latest_public_report()
    if publication is None:
        return None
    pdf: PublishedFile | None = next(
        (f for f in publication.files_in_order() if f.format == Format.PDF), None
    )
    return {"publication": publication, "pdf": pdf}
