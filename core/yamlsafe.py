"""The one YAML loader of the application: plan files (`a4p plan load`), the reference data and
the demo's tables of prose are all read through it.

`yaml.safe_load` builds no Python objects but still trusts the text's shape: a 430-byte file of
nested aliases ("billion laughs") expands to a billion values for whoever walks the result, a
deeply nested list ends in `RecursionError`, and PyYAML's messages quote the input. This loader
bounds each of those before any value is built:

- the size of the input (`A4P_YAML_MAX_BYTES`, 5 MB by default, or `max_bytes=`);
- the nesting depth (`MAX_DEPTH` levels), while composing, so a deep file stops at that level;
- the aliases (`*name`): at most `MAX_ALIASES`, and the values they expand to at most
  `MAX_NODES` in all, nested at most `MAX_DEPTH` levels once expanded; an alias inside the value
  it names is refused;
- the error messages: a line number and a reason of at most `REASON_LIMIT` characters.

`YamlError` says what is wrong and on which line; nothing of the input beyond a short excerpt.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

MAX_DEPTH = 50
MAX_ALIASES = 100
MAX_NODES = 200_000
REASON_LIMIT = 200
DEFAULT_MAX_BYTES = 5_000_000


class YamlError(Exception):
    """The text cannot be read as YAML here. `line` is 1-based, or None for the whole text;
    `reason` is short (no more than `REASON_LIMIT` characters of the input's own words)."""

    def __init__(self, reason: str, line: int | None = None, *, syntax: bool = False) -> None:
        self.reason = reason
        self.line = line
        self.syntax = syntax  # not YAML at all, rather than over a limit
        said = _("not valid YAML: %(reason)s") % {"reason": reason} if syntax else reason
        super().__init__(
            _("line %(line)d: %(reason)s") % {"line": line, "reason": said}
            if line is not None
            else said
        )


def max_bytes_default() -> int:
    return int(getattr(settings, "A4P_YAML_MAX_BYTES", DEFAULT_MAX_BYTES))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def _line(node_or_event: Any) -> int | None:
    mark = getattr(node_or_event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting nesting and aliases while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise YamlError(
                    _("more than %(limit)d aliases (*name); a file here needs few or none.")
                    % {"limit": MAX_ALIASES},
                    _line(self.peek_event()),
                )
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise YamlError(
                    _("nested more than %(limit)d levels deep.") % {"limit": MAX_DEPTH},
                    _line(self.peek_event()),
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than `MAX_NODES` values, deeper than
    `MAX_DEPTH`, or into themselves. Walked without recursion; each node once."""
    done: dict[int, tuple[int, int]] = {}  # node id -> (values once expanded, depth)
    on_path = {id(root)}
    stack: list[tuple[yaml.Node, Iterator[yaml.Node]]] = [(root, _children(root))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            sizes = [done[id(c)] for c in _children(node)]
            size = 1 + sum(s for s, _d in sizes)
            depth = 1 + max((d for _s, d in sizes), default=0)
            if size > MAX_NODES:
                raise YamlError(
                    _("the aliases expand to more than %(limit)s values.")
                    % {"limit": f"{MAX_NODES:,}"},
                    _line(node),
                )
            if depth > MAX_DEPTH:
                raise YamlError(
                    _("nested more than %(limit)d levels deep once the aliases are expanded.")
                    % {"limit": MAX_DEPTH},
                    _line(node),
                )
            done[id(node)] = (size, depth)
        elif id(child) in on_path:
            raise YamlError(_("an alias refers to the value that contains it."), _line(child))
        elif id(child) not in done:
            on_path.add(id(child))
            stack.append((child, _children(child)))


def check_size(size: int, max_bytes: int | None = None) -> None:
    """Refuse a text of `size` bytes over the limit (for a caller that reads the file itself)."""
    limit = max_bytes_default() if max_bytes is None else max_bytes
    if size > limit:
        raise YamlError(
            _("the text is %(size)s bytes; at most %(limit)s are read.")
            % {"size": f"{size:,}", "limit": f"{limit:,}"}
        )


def load_with_node(text: str, *, max_bytes: int | None = None) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its value; `YamlError` if the text is
    too large, too deep, expands too far, holds more than one document or is not YAML."""
    check_size(len(text.encode("utf-8", "surrogatepass")), max_bytes)
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_expansion(node)
        return node, loader.construct_document(node)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise YamlError(
            _short(str(problem)), mark.line + 1 if mark is not None else None, syntax=True
        ) from None
    except RecursionError:  # a guard: the depth bound above stops well before
        raise YamlError(_("nested too deep.")) from None
    finally:
        loader.dispose()


def load(text: str, *, max_bytes: int | None = None) -> Any:
    """The document's value (see `load_with_node`)."""
    return load_with_node(text, max_bytes=max_bytes)[1]


def load_file(path: Path, *, max_bytes: int | None = None) -> Any:
    """The value of a UTF-8 YAML file; its size is checked before it is read."""
    try:
        check_size(path.stat().st_size, max_bytes)
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlError(_short(exc.strerror or str(exc))) from None
    except UnicodeDecodeError as exc:
        raise YamlError(_("not UTF-8 text (byte %(at)d).") % {"at": exc.start}) from None
    return load(text, max_bytes=max_bytes)
