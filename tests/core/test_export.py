"""The one CSV writer neutralises formulas; typed numbers in addresses are plain digits."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Role, User
from core.export import csv_response, csv_text, spreadsheet_safe
from core.numbers import plain_int
from tests.registers.factories import case_with

PLANTED = ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("x")']


@pytest.mark.parametrize("text", PLANTED)
def test_text_that_a_spreadsheet_would_run_is_made_text(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["-12", "+3.5", "-0.25", "1e3", "plain text", "", "—", 7, -7])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_csv_text_and_response_write_no_cell_starting_a_formula() -> None:
    rows = [[text, 1] for text in PLANTED]
    for body in (
        csv_text(["=header", "n"], rows),
        csv_response("x.csv", ["=header", "n"], rows).content.decode("utf-8-sig"),
    ):
        cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
        assert cells[0] == "'=header"
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_planted_formula_in_a_case_leaves_the_register_csv_as_text(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    case_with(["BGD"], mission="minusca", place='=HYPERLINK("http://x")', description="@cmd")
    client = client_for(user_with_role(Role.REGISTER_OFFICER))
    response = client.get("/registers/crimes/export.csv")
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    rows = list(csv.reader(io.StringIO(body)))
    assert not [c for row in rows for c in row if c[:1] in ("=", "@")]


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), ("12", 12), ("²", None), ("٣", None), ("-1", None), ("", None)]
)
def test_plain_int_takes_ascii_digits_only(text: str, expected: int | None) -> None:
    assert plain_int(text) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/plans/a4p-plus-2021-2023/indicators/?priority=%C2%B2",
        "/plans/a4p-plus-2021-2023/obstacles/?priority=%C2%B2",
        "/plans/a4p-plus-2021-2023/dashboard/?priority=%C2%B2",
    ],
)
def test_a_superscript_digit_in_a_filter_is_no_server_error(
    path: str,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    plan: object,
) -> None:
    client = client_for(user_with_role(Role.PLANNING_UNIT))
    assert client.get(path).status_code == 200


def test_the_delegate_list_csv_never_carries_the_sensitivity(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    case_with(["BGD"], mission="minusca", sensitivity="internal")
    for role, shown in ((Role.MEMBER_STATE_DELEGATE, ""), (Role.REGISTER_OFFICER, "internal")):
        client = client_for(user_with_role(role))
        body = client.get("/registers/crimes/export.csv").content.decode("utf-8-sig")
        header, *rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) == 1
        assert rows[0][header.index("sensitivity")] == shown
