"""End to end in headless Chromium: the demo served by `a4p runserver`, used as a person would.

The server runs in its own process on a SQLite file loaded by `a4p demo`, exactly as the README's
serve command does. The demo is built once per run (`demo_build`, shared by every test worker
through a lock) and each module serves its own copy, so one module's writes never reach another.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.users import DEMO_USERS, demo_totp_secret
from tests.signin import totp_code

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def a4p_command() -> str:
    a4p = shutil.which("a4p", path=str(Path(sys.executable).parent))
    if a4p is None:
        pytest.skip("the a4p console script is not installed in this environment")
    return a4p


def installation(data: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "A4P_DATA_DIR": str(data),
        "A4P_DATABASE_URL": f"sqlite:///{data / 'a4p.sqlite3'}",
        "A4P_DEMO": "true",
    }


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The demo's data folder, built by whichever test worker needs it first; the others wait
    for it on a lock in the run's shared temporary folder."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base
    built = shared / "demo-build"
    with open(shared / "demo-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (built / "complete").exists():
            shutil.rmtree(built, ignore_errors=True)
            built.mkdir()
            subprocess.run(
                [a4p_command(), "demo"],
                env=installation(built),
                check=True,
                capture_output=True,
                timeout=300,
            )
            (built / "complete").touch()
    return built


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_build: Path) -> Iterator[str]:
    a4p = a4p_command()
    data = tmp_path_factory.mktemp("served")
    shutil.copytree(demo_build, data, dirs_exist_ok=True)
    env = installation(data)
    port = free_port()
    process = subprocess.Popen(
        [a4p, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the development server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def test_a_planner_logs_in_browses_searches_and_filters(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page()
    page.goto(server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action for Peacekeeping+ Plan")
    expect(page.locator(".priority")).to_have_count(7)

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill("demo-peacekeeping")
    page.get_by_role("button", name="Log in").click()
    give_second_factor(page, server, "planner")
    expect(page.get_by_role("link", name="Amina Diallo")).to_be_visible()

    page.locator("#quick-q").fill("telemedicine")
    page.locator(".quick-search button").click()
    expect(page.locator(".deliverable-card")).to_have_count(1)
    page.get_by_role("link", name="4.3.4").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deliverable 4.3.4")
    expect(page.locator(".lead-line q")).to_contain_text("DOS with Heads of Mission")

    page.goto(server + "/plans/a4p-plus-2021-2023/deliverables/")
    page.get_by_label("Entity").select_option("minusca")
    page.get_by_label("Marker").select_option("wps")
    page.get_by_role("button", name="Apply").click()
    assert "entity=minusca" in page.url
    count = page.locator(".deliverable-card").count()
    assert 0 < count < 71

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.locator("form[action$='/accounts/logout/'] button").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    page.close()


def test_the_overview_works_on_a_phone_and_without_javascript(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/plans/a4p-plus-2021-2023/deliverables/?q=hate+speech")
    expect(page.locator(".deliverable-card")).to_have_count(2)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    context.close()


NEEDS_MFA = {user.username for user in DEMO_USERS if user.needs_mfa}
_used_codes: dict[tuple[str, str], set[str]] = {}


def demo_code(server: str, username: str) -> str:
    """The demo user's authenticator code, computed from the printed demo secret. A code is
    accepted once; the step after the current one is accepted too, so a second log-in in the
    same 30 seconds takes it, and a third waits for the next step."""
    used = _used_codes.setdefault((server, username), set())
    for attempt in range(2):
        for step in (0, 1):
            code = totp_code(demo_totp_secret(username), step)
            if code not in used:
                used.add(code)
                return code
        if attempt == 0:
            time.sleep(30 - time.time() % 30 + 0.5)
    raise AssertionError("no unused code")


def give_second_factor(page: object, server: str, username: str) -> None:
    """The second log-in step, for the demo users whose role needs a second factor."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    if username in NEEDS_MFA:
        page.get_by_label("Code").fill(demo_code(server, username))
        page.get_by_role("button", name="Sign In").click()


def log_in(page: object, server: str, username: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(server + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-peacekeeping")
    page.get_by_role("button", name="Log in").click()
    give_second_factor(page, server, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def log_out(page: object) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.locator("form[action$='/accounts/logout/'] button").click()


def test_submit_return_resubmit_validate_end_to_end(server: str, browser: object) -> None:
    """A mission focal point and a regional reviewer do their jobs in the demo."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page()
    log_in(page, server, "focal.minusca")
    page.get_by_role("link", name="Write").first.click()
    update_url = page.url.removesuffix("edit/")
    page.get_by_label("On track").check()
    page.get_by_label("Narrative of progress").fill("Three local peace committees met in Bria.")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.locator(".messages")).to_contain_text("Saved and submitted for review.")
    expect(page.locator(".update-head")).to_contain_text("Submitted")
    log_out(page)

    log_in(page, server, "reviewer.africa")
    page.goto(update_url)
    page.get_by_role("button", name="Return to the author").click()
    expect(page.locator(".field-error").first).to_contain_text("This field is required.")
    page.get_by_label("What needs to change").fill("Give the dates and the number of women.")
    page.get_by_role("button", name="Return to the author").click()
    expect(page.locator(".messages")).to_contain_text("Returned to the author.")
    log_out(page)

    log_in(page, server, "focal.minusca")
    expect(page.locator(".callout-warning").first).to_contain_text("returned to you")
    page.goto(update_url)
    expect(page.locator(".callout-warning")).to_contain_text("number of women")
    page.get_by_role("link", name="Revise this update").click()
    page.get_by_label("Narrative of progress").fill(
        "Three local peace committees met in Bria on 4, 11 and 18 May; 14 of 40 members were women."
    )
    page.get_by_role("button", name="Save and resubmit").click()
    expect(page.locator(".update-head")).to_contain_text("Resubmitted")
    log_out(page)

    log_in(page, server, "reviewer.africa")
    page.goto(update_url)
    page.get_by_role("button", name="Validate").click()
    expect(page.locator(".update-head")).to_contain_text("Validated")
    expect(page.locator(".history")).to_contain_text("Give the dates")
    log_out(page)

    log_in(page, server, "planner")
    page.get_by_role("link", name="Board of cycle").click()
    expect(page.locator("table.board")).to_contain_text("MINUSCA")
    page.get_by_role("link", name="Obstacles", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Obstacles across the plan")
    page.close()


def test_planner_publishes_the_report_and_anyone_downloads_it(server: str, browser: object) -> None:
    """The planning unit summarises and publishes 2023-H2; a reader without an account finds
    the public edition and gets the very file whose fingerprint the page shows."""
    import hashlib

    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page()
    log_in(page, server, "planner")
    page.goto(server + "/plans/a4p-plus-2021-2023/cycles/")
    page.get_by_role("row", name="2023-H2").get_by_role("link", name="Publish the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consolidated report 2023-H2")
    page.get_by_role("textbox", name="Executive summary").fill(
        "Most deliverables are **on track**; host-country cooperation needs attention."
    )
    page.get_by_role("button", name="Save the summary").click()
    expect(page.locator(".messages")).to_contain_text("The executive summary is saved.")
    page.get_by_role("link", name="Preview the public edition").click()
    expect(page.locator(".executive-summary")).to_contain_text("host-country cooperation")
    expect(page.locator(".report .priority")).to_have_count(7)
    page.go_back()
    page.get_by_label("French").uncheck()
    page.get_by_label("I have read the public edition").check()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("[role=status]")).to_contain_text(
        "The report is published", timeout=120_000
    )
    log_out(page)
    page.close()

    reader = browser.new_page()
    reader.goto(server + "/reports/")
    card = reader.locator("section.publication", has_text="Report 2023-H2")
    expect(card).to_contain_text("Public edition")
    expect(reader.locator("section.publication", has_text="Internal edition")).to_have_count(0)
    row = card.get_by_role("row", name="PDF")
    shown = row.locator("code.hash").inner_text()
    with reader.expect_download() as download:
        row.get_by_role("link", name="PDF").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == shown
    with reader.expect_download() as word:
        card.get_by_role("link", name="Word (DOCX)").click()
    assert Path(word.value.path()).read_bytes().startswith(b"PK")
    reader.close()
