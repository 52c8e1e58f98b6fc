from __future__ import annotations

import base64
from typing import Any

from django import template

from core import charts

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if mapping else ""


@register.filter
def chart_data_uri(chart: Any) -> str:
    """The chart drawn as SVG, inlined as an image: vector in the PDF, and no inline markup or
    style for the page's content security policy to refuse."""
    svg = charts.to_svg(chart.spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.filter
def ratings_by_rating(line: Any, labels: dict[str, str]) -> str:
    return str(line.ratings_by_rating(labels))


@register.simple_tag
def latest_public_report() -> Any:
    """The newest published public edition and its PDF, for the plan's front page."""
    from reports.models import Edition, Publication

    publication = (
        Publication.objects.filter(edition=Edition.PUBLIC)
        .select_related("cycle")
        .prefetch_related("files")
        .order_by("-cycle__period_start", "-revision")
        .first()
    )
    if publication is None:
        return None
    pdf = next((f for f in publication.files_in_order() if f.format == "pdf"), None)
    return {"publication": publication, "pdf": pdf}
