"""The shipped plan file, loaded, matches the seed text of the A4P+ Plan."""

from __future__ import annotations

import re

import pytest

from plans.models import Deliverable, DeliverableEntity, Plan

NOISE = ["un.org", "in.org", "**", "•", "🙆", "کی", "wholeof", "Secretary- General", "  "]


def seed_deliverables(seed: str) -> dict[str, str]:
    """An independent reading of the seed: each deliverable code → the Lead line printed next.

    A Lead line applies to every deliverable listed since the previous Lead line.
    """
    pending: list[str] = []
    leads: dict[str, str] = {}
    for line in seed.splitlines():
        line = line.strip()
        if match := re.match(r"Deliverables? (\d+\.\d+\.\d+)\.", line):
            pending.append(match.group(1))
        elif line.startswith("Lead:"):
            for code in pending:
                leads[code] = line.removeprefix("Lead:").strip()
            pending = []
    assert not pending, f"deliverables without a Lead line: {pending}"
    return leads


def test_counts_match_the_plan(plan: Plan) -> None:
    assert plan.priorities.count() == 7
    assert plan.results.count() == 23
    assert plan.deliverables.count() == 71


def test_every_deliverable_code_of_the_seed_is_loaded(plan: Plan, seed_text: str) -> None:
    expected = seed_deliverables(seed_text)
    assert len(expected) == 71
    loaded = dict(plan.deliverables.values_list("code", "lead_text"))
    assert set(loaded) == set(expected)


def test_every_deliverable_has_the_lead_line_that_applies_to_it(plan: Plan, seed_text: str) -> None:
    expected = seed_deliverables(seed_text)
    loaded = dict(plan.deliverables.values_list("code", "lead_text"))
    wrong = {code: (loaded[code], lead) for code, lead in expected.items() if loaded[code] != lead}
    assert wrong == {}


@pytest.mark.parametrize(
    ("codes", "lead"),
    [
        (["3.4.1", "3.4.2"], "O/DCSS"),
        (["3.5.1", "3.5.2", "3.5.3"], "O/DCSS"),
        (["5.1.1", "5.1.2"], "DMSPC"),
        (["4.1.1", "4.1.2"], "OPSP with OROLSI (Police, Justice and Corrections)"),
        (["4.2.1", "4.2.2"], "DOS"),
        (["4.4.1", "4.4.2"], "OMA, OROLSI/PD"),
        (["5.3.2", "5.3.3"], "OMA, OROLSI"),
        (
            ["4.3.1", "4.3.2", "4.3.3", "4.3.4"],
            "DOS with Heads of Mission (with DPO/FPS for 4.3.1 stress tests, with DPO/SFGS and OMA "
            "for 4.3.2, and DOS for 4.3.2/3/4)",
        ),
    ],
)
def test_shared_lead_lines(plan: Plan, codes: list[str], lead: str) -> None:
    assert set(plan.deliverables.filter(code__in=codes).values_list("lead_text", flat=True)) == {
        lead
    }


def test_text_is_verbatim_and_clean(plan: Plan, seed_text: str) -> None:
    flat_seed = " ".join(seed_text.split())
    for d in plan.deliverables.all():
        for noise in NOISE:
            assert noise not in d.text, (d.code, noise)
            assert noise not in d.lead_text, (d.code, noise)
        assert d.lead_text in flat_seed, d.code
    text = plan.deliverables.get(code="4.1.1").text
    assert text.startswith("Implement Security Council resolution 2589 (2021)")
    assert plan.priorities.get(number=4).title == "Accountability to peacekeepers"
    assert plan.results.get(code="3.2").title.endswith("peacekeeping-intelligence")


def test_footnote_is_kept_apart_from_the_text(plan: Plan) -> None:
    d = plan.deliverables.get(code="1.1.2")
    assert "²" not in d.text
    assert d.footnotes == [
        "The format of a political strategy can be tailored to respond to the mission's "
        "requirements and may be written or unwritten."
    ]


def parts(d: Deliverable, role: str) -> list[tuple[str, str, str]]:
    return [(p.entity.code, p.scope, p.level) for p in d.parts.filter(role=role)]


def test_lead_lines_are_read_into_entities(plan: Plan) -> None:
    d = plan.deliverables
    assert parts(d.get(code="1.1.1"), "lead") == [("regional-asgs", "", "")]
    assert parts(d.get(code="1.1.1"), "support") == [("heads-of-mission", "", "")]
    assert parts(d.get(code="1.3.1"), "oversight") == [("dpo-ousg", "", "")]
    assert [c for c, _, _ in parts(d.get(code="3.4.1"), "lead")] == ["odcss"]
    assert {c for c, _, _ in parts(d.get(code="4.1.2"), "support")} == {
        "dpo-orolsi-pd",
        "dpo-orolsi-jcs",
    }
    levels = {(c, level) for c, _, level in parts(d.get(code="6.1.7"), "lead")}
    assert ("mission-force", "mission") in levels
    assert ("odcss-scs", "hq") in levels
    scoped = {c: s for c, s, _ in parts(d.get(code="4.3.4"), "support")}
    assert "MINUSMA" in scoped["heads-of-mission"]


def test_every_deliverable_has_a_lead(plan: Plan) -> None:
    without = plan.deliverables.exclude(parts__role=DeliverableEntity.Role.LEAD)
    assert list(without.values_list("code", flat=True)) == []


def test_markers_follow_the_text(plan: Plan) -> None:
    wps = set(plan.deliverables.filter(markers__code="wps").values_list("code", flat=True))
    data = set(plan.deliverables.filter(markers__code="data").values_list("code", flat=True))
    assert {"3.1.1", "3.1.2", "6.1.5", "2.3.2"} <= wps
    assert {"1.3.1", "3.5.2", "4.1.1", "4.3.4", "6.1.4"} <= data
    for d in plan.deliverables.filter(code__in=wps):
        assert re.search(r"wom[ae]n|gender|WPS|female", d.text), d.code
    for d in plan.deliverables.exclude(code__in=wps):
        assert not re.search(r"\bwom[ae]n\b|gender|WPS|female", d.text), d.code
