"""The architecture's rules that a linter does not check (docs/architecture.md): views and
template tags run no queries of their own, and no function imports the project's apps (the apps
call upwards through registries, never through an import hidden in a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    "accounts",
    "core",
    "plans",
    "reporting",
    "indicators",
    "registers",
    "reports",
    "dashboards",
    "demo",
]
FIRST_PARTY = {*APPS, "a4p"}


def _modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def _is_view_or_tag(path: Path) -> bool:
    rel = path.relative_to(ROOT).parts
    return "templatetags" in rel or rel[-1].startswith("views") or "views" in rel[:-1]


def _objects_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager")
    ]


def _function_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func.name == "ready":
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name.split(".")[0] in FIRST_PARTY for name in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {', '.join(names)}")
    return found


def test_the_checks_see_the_code() -> None:
    views = [path for path in _modules() if _is_view_or_tag(path)]
    assert len(views) >= 10


def test_views_and_template_tags_run_no_queries_of_their_own() -> None:
    """Their reads go through selectors or page builders, which hold the access gates."""
    uses = [use for path in _modules() if _is_view_or_tag(path) for use in _objects_uses(path)]
    assert uses == []


def test_no_function_imports_a_project_app() -> None:
    """Only `AppConfig.ready()` may import inside a function (to register into a lower app)."""
    imports = [found for path in _modules() for found in _function_imports(path)]
    assert imports == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def view(request):\n    return Plan.objects.all()\n", 1),
        ("def view(request):\n    return plans_visible_to(request.user)\n", 0),
    ],
)
def test_the_query_check_flags_a_manager_read(
    tmp_path: Path, source: str, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "views.py"
    module.write_text(source, encoding="utf-8")
    assert len(_objects_uses(module)) == expected


def test_the_import_check_flags_an_import_in_a_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "services.py"
    module.write_text(
        "def f():\n    from plans.models import Plan\n    import openpyxl\n"
        "class C:\n    def ready(self):\n        from plans import hooks\n",
        encoding="utf-8",
    )
    assert _function_imports(module) == ["services.py:2 plans.models"]
