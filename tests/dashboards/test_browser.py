"""The dashboards in headless Chromium, on the demo served by `a4p runserver`: senior leadership
sees all seven priorities with their charts drawn under the site's strict Content Security
Policy, and reaches an entity's update in three clicks. Without JavaScript, every chart's table
is there."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_plan_browser import (  # noqa: F401  (fixtures)
    browser,
    demo_build,
    log_in,
    server,
)

pytestmark = pytest.mark.browser

PLAN = "a4p-plus-2021-2023"

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_leadership_sees_the_plan_and_reaches_an_update_in_three_clicks(
    server: str,  # noqa: F811  (fixture)
    browser: Any,  # noqa: F811  (fixture)
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    log_in(page, server, "leader")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    assert page.url.startswith(f"{server}/plans/{PLAN}/dashboard/")
    page.get_by_role("heading", name=re.compile("State of the plan")).wait_for()
    rows = page.locator("table.dash-summary tbody tr")
    assert rows.count() == 7
    for number in range(1, 8):
        assert rows.nth(number - 1).locator("th").inner_text().startswith(f"{number}.")

    canvases = page.locator(".chart-canvas")
    assert canvases.count() == 3
    page.wait_for_function(
        "document.querySelectorAll('.chart-canvas svg').length === "
        "document.querySelectorAll('.chart-canvas').length",
        timeout=15000,
    )
    assert page.locator(".chart.chart-drawn").count() == 3
    # Drawn charts fold their table away; it is still one click from the chart.
    assert page.locator("details.chart-table[open]").count() == 0
    assert page.evaluate("window.cspViolations") == []
    assert not [m for m in console if "Content Security Policy" in m or "pageerror" in m]

    # Three clicks: the priority, the deliverable, the entity's update.
    page.get_by_role("link", name=re.compile(r"^3\.\s+Capabilities")).click()
    page.get_by_role("heading", name=re.compile("Capabilities and mindsets")).wait_for()
    page.locator("table.dash-summary").get_by_role("link", name="3.1.1", exact=True).click()
    page.get_by_role("heading", name="Deliverable 3.1.1").wait_for()
    page.locator("table.dash-updates").get_by_role(
        "link", name=re.compile("^Update of")
    ).first.click()
    assert re.search(r"/updates/\d+/$", page.url)
    assert "3.1.1" in page.locator("main").inner_text()
    assert page.evaluate("window.cspViolations") == []
    page.close()


def test_without_javascript_every_chart_is_a_table(
    server: str,  # noqa: F811  (fixture)
    browser: Any,  # noqa: F811  (fixture)
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, server, "leader")
    page.goto(f"{server}/plans/{PLAN}/dashboard/entities/?priority=4")
    table = page.locator("#chart-heatmap details.chart-table[open] table")
    assert table.is_visible()
    assert table.locator("tbody tr").count() > 3
    assert page.locator(".chart-canvas svg").count() == 0
    context.close()
