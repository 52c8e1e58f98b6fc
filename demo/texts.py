"""The tables of prose the demo draws from, kept as data in `demo/data/<name>.yaml`: each
generator reads its file once, when it is imported, through the one YAML loader
(`core.yamlsafe`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import yamlsafe

DATA = Path(__file__).resolve().parent / "data"


def load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yamlsafe.load_file(DATA / f"{name}.yaml")
    return loaded
