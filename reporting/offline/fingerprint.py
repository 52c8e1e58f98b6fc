"""The row check: a digest of an update's author values and obstacles, written into a hidden
column at download and worked out again from the file at upload, so that a row nobody touched is
recognised whatever was saved on the web since."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from reporting import services
from reporting.models import Obstacle
from reporting.offline.layout import UPDATE_TEXTS, cell_text


def fingerprint(values: dict[str, str], obstacles: list[tuple[Any, ...]]) -> str:
    """The same whether read from the database at download or from the file at upload."""
    texts = {
        name: cell_text(values[name]) if name in UPDATE_TEXTS else values[name]
        for name in services.UPDATE_FIELDS
    }
    items = sorted([(pk or 0, *rest) for pk, *rest in obstacles], key=repr)
    payload = json.dumps([texts, items], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def stored_obstacle(obstacle: Obstacle) -> tuple[Any, ...]:
    """A saved obstacle's values as a cell holds them."""
    return (
        obstacle.category,
        cell_text(obstacle.description),
        obstacle.severity,
        cell_text(obstacle.mitigation),
        cell_text(obstacle.support_requested),
        cell_text(obstacle.support_from),
        obstacle.escalate,
    )


def file_obstacle(item: services.ObstacleData) -> tuple[Any, ...]:
    """An obstacle read from the file, in the order of `stored_obstacle`."""
    return (
        item.category,
        item.description,
        item.severity,
        item.mitigation,
        item.support_requested,
        item.support_from,
        item.escalate,
    )
