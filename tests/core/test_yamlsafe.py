"""The one YAML loader refuses what `yaml.safe_load` trusts: alias bombs, deep nesting, huge
input, and answers with a short message naming the line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import override_settings

from core import yamlsafe
from core.yamlsafe import YamlError

BILLION_LAUGHS = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_plain_yaml_and_a_few_aliases_load() -> None:
    text = "causes: &c [a, b]\nagain: *c\nwhen: 2023-01-01\n"
    assert yamlsafe.load(text) == {
        "causes": ["a", "b"],
        "again": ["a", "b"],
        "when": dt.date(2023, 1, 1),
    }
    assert yamlsafe.load("") is None


def test_the_billion_laughs_is_stopped_by_the_expansion_bound_with_a_clear_message() -> None:
    assert len(BILLION_LAUGHS.encode()) < 450
    with pytest.raises(YamlError) as caught:
        yamlsafe.load(BILLION_LAUGHS)
    assert "aliases expand to more than" in str(caught.value)
    assert caught.value.line is not None


def test_too_many_aliases_are_refused() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (yamlsafe.MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(YamlError, match="more than 100 aliases"):
        yamlsafe.load(text)


def test_an_alias_inside_its_own_value_is_refused() -> None:
    with pytest.raises(YamlError, match="refers to the value that contains it"):
        yamlsafe.load("a: &a [1, *a]\n")


@pytest.mark.parametrize("levels", [yamlsafe.MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_a_clear_error_never_a_recursion_error(levels: int) -> None:
    text = "[" * levels + "]" * levels
    with pytest.raises(YamlError, match="nested more than 50 levels deep") as caught:
        yamlsafe.load(text)
    assert len(str(caught.value)) < 300


def test_deep_nesting_through_aliases_is_refused() -> None:
    lines = ["a0: &a0 [1]"] + [f"a{n}: &a{n} [[[*a{n - 1}]]]" for n in range(1, 30)]
    with pytest.raises(YamlError, match="once the aliases are expanded"):
        yamlsafe.load("\n".join(lines))


def test_input_size_is_bounded_and_configurable(tmp_path: Path) -> None:
    text = "x: " + "y" * 2_000 + "\n"
    with pytest.raises(YamlError, match="at most 1,000 are read"):
        yamlsafe.load(text, max_bytes=1_000)
    assert yamlsafe.load(text, max_bytes=10_000) == {"x": "y" * 2_000}
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    with override_settings(A4P_YAML_MAX_BYTES=1_500), pytest.raises(YamlError, match="2,004 bytes"):
        yamlsafe.load_file(path)


def test_error_messages_do_not_echo_the_input() -> None:
    text = "key: value\n" + "x" * 1_000_000 + ": [unclosed\n"
    with pytest.raises(YamlError) as caught:
        yamlsafe.load(text)
    assert len(str(caught.value)) < 300
    assert caught.value.line is not None


def test_python_tags_and_several_documents_are_refused() -> None:
    with pytest.raises(YamlError, match="not valid YAML"):
        yamlsafe.load("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(YamlError, match="not valid YAML"):
        yamlsafe.load("a: 1\n---\nb: 2\n")
