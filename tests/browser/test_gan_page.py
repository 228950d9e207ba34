"""The GAN page in a real browser: a teacher starts a short run; the class watches."""

import re
import time

import httpx
import pytest
from annlab.engines.gan.fashion_mnist import DEBIAN_DIR, FILE_NAMES
from annlab.engines.gan.trainer import grid_shape
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not all((DEBIAN_DIR / name).is_file() for name in FILE_NAMES),
        reason="Debian's dataset-fashion-mnist package is not installed",
    ),
]

RUN_TIMEOUT_MS = 180_000
# The page reloads the list of runs every 5 s, so a change shows within two reloads.
FOLLOW_TIMEOUT_MS = 15_000
QUICK = {"batch_size": 32, "batches_per_epoch": 2, "test_batches": 1, "device": "cpu"}


def fill_settings(page, values):
    page.locator("details.run-settings summary").click()
    for name, value in values.items():
        field = page.locator(f'form.settings [name="{name}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def teacher_headers(settings):
    return {"Authorization": f"Bearer {settings.teacher_token}"}


def create_run(server, settings, **params):
    response = httpx.post(
        f"{server.url}/api/gan/runs",
        json={**QUICK, **params},
        headers=teacher_headers(settings),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def wait_for_run(server, run_id, statuses):
    deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        run = httpx.get(f"{server.url}/api/gan/runs/{run_id}").json()
        if run["status"] in statuses:
            return run
        time.sleep(0.1)
    raise AssertionError(f"Run {run_id} stayed {run['status']}")


def stop_run(server, settings, run_id):
    response = httpx.post(
        f"{server.url}/api/gan/runs/{run_id}/stop",
        headers=teacher_headers(settings),
        timeout=60,
    )
    assert response.status_code == 200, response.text


def open_viewer(browser, url, width=1400):
    """Open `url` in a new browser context; the page collects its console errors."""
    viewer = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    viewer.console_errors = []
    viewer.on(
        "console",
        lambda message: (
            viewer.console_errors.append(message.text)
            if message.type == "error"
            else None
        ),
    )
    viewer.on("pageerror", lambda error: viewer.console_errors.append(str(error)))
    viewer.goto(url)
    return viewer


def set_latency(cdp, latency_ms):
    """Delay every request of the page, the WebSocket handshake included."""
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )


def leave_for_home(page):
    """Follow the header link to the home page, which opens no connection."""
    page.locator(".site-header a.brand").click()
    expect(page.locator("section.gan")).to_have_count(0)


def test_page_shows_architecture_totals(page, live_server):
    page.goto(f"{live_server.url}/gan")

    expect(page.locator(".architecture-total")).to_contain_text("280,642 parameters")
    generator = page.locator('table[data-network="generator"]')
    expect(generator.locator("tfoot")).to_contain_text("259,521")
    expect(generator).to_contain_text("14 × 14 × 64")
    discriminator = page.locator('table[data-network="discriminator"]')
    expect(discriminator.locator("tfoot")).to_contain_text("21,121")
    assert page.console_errors == []


def test_start_without_token_explains(page, live_server):
    page.goto(f"{live_server.url}/gan")
    page.evaluate("window.localStorage.clear()")
    page.reload()

    page.get_by_role("button", name="Start a run").click()

    expect(page.locator('[data-role="teacher-message"]')).to_contain_text(
        "teacher token"
    )


def test_teacher_runs_short_run_to_the_end(page, live_server, settings):
    # The live server and the `settings` fixture share the test teacher token.
    page.goto(f"{live_server.url}/gan")
    page.locator('input[name="teacher-token"]').fill(settings.teacher_token)
    page.get_by_role("button", name="Save token").click()
    fill_settings(
        page,
        {
            "epochs": "3",
            "batch_size": "32",
            "batches_per_epoch": "2",
            "test_batches": "1",
            "device": "cpu",
        },
    )

    page.get_by_role("button", name="Start a run").click()

    expect(page.locator('[data-role="teacher-message"]')).to_contain_text("started")
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=RUN_TIMEOUT_MS
    )
    expect(page.locator('[data-stat="epoch"]')).to_have_text("3 of 3")
    expect(page.locator('[data-stat="device"]')).to_contain_text("cpu")
    expect(page.locator(".progress-bar")).to_have_attribute("aria-valuenow", "100")
    # One test batch of 32 images.
    expect(page.locator('[data-role="loss-hint"]')).to_contain_text(
        "mean loss on 32 of the 10,000 test images"
    )
    run_id = page.locator('[data-stat="run"]').inner_text()

    slider = page.locator('input[name="epoch"]')
    expect(slider).to_have_attribute("max", "3")
    image = page.locator("img.sample-grid")
    for epoch in (1, 2, 3):
        slider.fill(str(epoch))
        expect(page.locator('[data-role="shown-epoch"]')).to_have_text(f"{epoch} of 3")
        expect(image).to_have_attribute(
            "src", f"/api/gan/runs/{run_id}/samples/{epoch}.png"
        )
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0",
            arg=image.element_handle(),
        )
        width, height = image.evaluate(
            "image => [image.naturalWidth, image.naturalHeight]"
        )
        assert (width, height) == grid_shape()

    legend = page.locator(".loss-chart .u-legend")
    expect(legend).to_contain_text("generator (test)")
    expect(legend).to_contain_text("discriminator (training)")
    expect(page.locator(f'.run-list button[data-run-id="{run_id}"]')).to_contain_text(
        "finished"
    )
    expect(page.locator(".stats")).to_be_visible()
    assert page.console_errors == []


def test_second_browser_opens_finished_run(page, live_server, browser):
    page.goto(f"{live_server.url}/gan")
    expect(page.locator(".run-list button").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    run_id = page.locator(".run-list button").first.get_attribute("data-run-id")

    other = browser.new_context().new_page()
    try:
        other.goto(f"{live_server.url}/gan#run={run_id}")
        expect(other.locator('[data-stat="run"]')).to_have_text(run_id)
        expect(
            other.locator('.run-list button[aria-current="true"]')
        ).to_have_attribute("data-run-id", run_id)
    finally:
        other.context.close()


def test_empty_page_shows_placeholders(page, start_live_server):
    server = start_live_server()
    page.goto(f"{server.url}/gan")

    expect(page.locator(".run-list")).to_contain_text("No runs yet")
    expect(page.locator(".sample-empty")).to_be_visible()
    expect(page.locator(".sample-empty")).to_contain_text("No run yet")
    expect(page.locator("img.sample-grid")).to_be_hidden()
    expect(page.locator(".loss-empty")).to_be_visible()
    expect(page.locator(".loss-empty")).to_contain_text("No run yet")
    expect(page.locator(".loss-chart")).to_be_hidden()
    expect(page.locator('[data-role="loss-hint"]')).to_contain_text(
        "mean loss on the test images"
    )
    assert page.console_errors == []


@pytest.mark.parametrize("width", [390, 800, 1400])
def test_layout_fits_width(page, live_server, settings, width):
    # More runs than the list shows at first, so the list needs its toggle.
    # Once they have finished, the page shows the newest, which is listed.
    existing = len(httpx.get(f"{live_server.url}/api/gan/runs").json())
    created = [create_run(live_server, settings, epochs=1) for _ in range(7 - existing)]
    for run_id in created:
        wait_for_run(live_server, run_id, {"finished"})
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/gan")
    page.locator("details.run-settings summary").click()
    expect(page.locator(".run-list button").first).to_be_visible()
    expect(page.locator(".architecture-total")).to_contain_text("280,642")
    expect(page.locator("img.sample-grid")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") == width
    token_height = page.locator('input[name="teacher-token"]').bounding_box()["height"]
    seed_height = page.locator('form.settings [name="seed"]').bounding_box()["height"]
    assert token_height == pytest.approx(seed_height, abs=1)
    run_list = page.locator(".run-list")
    assert run_list.evaluate("list => list.scrollHeight <= list.clientHeight")
    assert page.locator(".run-list button").count() == 6
    page.get_by_role("button", name="Show all").click()
    assert page.locator(".run-list button").count() >= 7
    assert page.console_errors == []


@pytest.mark.parametrize("summary_delay_s", [0.0, 1.0], ids=["summary", "stream"])
def test_opening_finished_run_loads_one_grid(
    page, live_server, settings, summary_delay_s
):
    run_id = create_run(live_server, settings, epochs=5)
    wait_for_run(live_server, run_id, {"finished"})

    def delay_summary(route):
        # With a delay, the stream's history arrives before the REST summary.
        time.sleep(summary_delay_s)
        route.continue_()

    page.route(f"**/api/gan/runs/{run_id}", delay_summary)
    sample_requests, failed_requests = [], []
    page.on(
        "request",
        lambda request: (
            sample_requests.append(request.url) if "/samples/" in request.url else None
        ),
    )
    page.on("requestfailed", lambda request: failed_requests.append(request.url))

    page.goto(f"{live_server.url}/gan#run={run_id}")

    image = page.locator("img.sample-grid")
    expect(image).to_have_attribute("src", f"/api/gan/runs/{run_id}/samples/5.png")
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0",
        arg=image.element_handle(),
    )
    expect(page.locator('[data-role="shown-epoch"]')).to_have_text("5 of 5")
    assert sample_requests == [f"{live_server.url}/api/gan/runs/{run_id}/samples/5.png"]
    assert failed_requests == []
    assert page.console_errors == []


def test_class_follows_training_run(page, start_live_server, settings, browser):
    server = start_live_server()
    page.goto(f"{server.url}/gan")
    page.locator('input[name="teacher-token"]').fill(settings.teacher_token)
    page.get_by_role("button", name="Save token").click()
    fill_settings(page, {**{name: str(value) for name, value in QUICK.items()}})
    page.locator('form.settings [name="epochs"]').fill("500")
    page.get_by_role("button", name="Start a run").click()
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "running", timeout=RUN_TIMEOUT_MS
    )
    training_id = page.locator('[data-stat="run"]').inner_text()
    student = open_viewer(browser, f"{server.url}/gan")
    try:
        expect(student.locator('[data-stat="run"]')).to_have_text(training_id)

        # A second click opens a confirmation first. Cancel queues nothing.
        page.get_by_role("button", name="Start a run").click()
        confirmation = page.locator(".confirm-start")
        expect(confirmation).to_be_visible()
        expect(confirmation).to_contain_text(f"Run {training_id} is training now")
        page.get_by_role("button", name="Cancel").click()
        expect(confirmation).to_be_hidden()
        assert len(httpx.get(f"{server.url}/api/gan/runs").json()) == 1

        page.get_by_role("button", name="Start a run").click()
        page.get_by_role("button", name="Queue another run").click()
        teacher_message = page.locator('[data-role="teacher-message"]')
        expect(teacher_message).to_contain_text("is queued")
        queued_id = httpx.get(f"{server.url}/api/gan/runs").json()[0]["id"]
        assert queued_id != training_id
        # The teacher's page, like the class, stays on the run that trains.
        expect(page.locator('[data-stat="run"]')).to_have_text(training_id)

        # Opening the queued run moves only the teacher's page.
        page.locator(f'.run-list button[data-run-id="{queued_id}"]').click()
        expect(page.locator('[data-stat="run"]')).to_have_text(queued_id)
        expect(page.locator('[data-role="run-message"]')).to_contain_text(
            f"run {training_id} is training now"
        )
        student.reload()
        expect(student.locator('[data-stat="run"]')).to_have_text(training_id)
        expect(student.locator('[data-stat="status"]')).to_have_text("running")

        # Once the queued run trains, the class moves to it.
        stop_run(server, settings, training_id)
        expect(student.locator('[data-stat="run"]')).to_have_text(
            queued_id, timeout=FOLLOW_TIMEOUT_MS
        )
        expect(student.locator('[data-stat="status"]')).to_have_text("running")
        # The teacher's page goes back to following the training run on request.
        follow = page.get_by_role("button", name="Follow the training run")
        follow.click()
        expect(follow).to_be_hidden()
        expect(page.locator('[data-stat="run"]')).to_have_text(queued_id)
        expect(page.locator('[data-stat="status"]')).to_have_text("running")
        stop_run(server, settings, queued_id)
        assert student.console_errors == []
    finally:
        student.context.close()
    assert page.console_errors == []


def test_leaving_page_logs_no_errors(page, live_server, settings):
    # Chromium logs a socket closed while connecting as a warning, not an error.
    warnings = []
    page.on(
        "console",
        lambda message: (
            warnings.append(message.text) if message.type == "warning" else None
        ),
    )
    run_id = create_run(live_server, settings, epochs=500)
    try:
        wait_for_run(live_server, run_id, {"running"})
        # With 400 ms of network latency, the click lands while the run's
        # WebSocket is still connecting.
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        set_latency(cdp, 400)
        with page.expect_websocket():
            page.goto(f"{live_server.url}/gan")
        leave_for_home(page)
        page.wait_for_timeout(1500)
        set_latency(cdp, 0)
        # Leave at other moments of loading and watching.
        for delay_ms in (0, 20, 100, 500, 1500):
            page.goto(f"{live_server.url}/gan")
            page.wait_for_timeout(delay_ms)
            leave_for_home(page)
            page.wait_for_timeout(300)
    finally:
        stop_run(live_server, settings, run_id)
    assert page.console_errors == []
    assert warnings == []


def test_unknown_run_id_says_not_found(page, start_live_server, settings):
    server = start_live_server()
    page.goto(f"{server.url}/gan#run=doesnotexist")

    message = page.locator('[data-role="run-message"]')
    expect(message).to_contain_text('No run with id "doesnotexist" exists')
    expect(message).to_contain_text("no run has been started yet")
    expect(page.locator('[data-stat="status"]')).to_have_text("not found")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("-")
    expect(page.locator(".sample-empty")).not_to_contain_text("after the first epoch")
    # Following the training run with no runs at all leaves an empty page.
    page.get_by_role("button", name="Follow the training run").click()
    expect(message).to_have_text("")
    expect(page.locator('[data-stat="run"]')).to_have_text("-")
    expect(page.locator('[data-stat="status"]')).to_have_text("-")

    run_id = create_run(server, settings, epochs=1)
    page.goto(f"{server.url}/gan#run=doesnotexist")
    expect(message).to_contain_text("Choose a run from the list")
    page.get_by_role("button", name="Follow the training run").click()
    expect(page.locator('[data-stat="run"]')).to_have_text(run_id)
    expect(message).not_to_contain_text("doesnotexist")
    wait_for_run(server, run_id, {"finished"})
    assert page.console_errors
    assert all("404" in text for text in page.console_errors), page.console_errors


def test_token_messages_guide_teacher(page, start_live_server):
    server = start_live_server()
    page.goto(f"{server.url}/gan")
    teacher_message = page.locator('[data-role="teacher-message"]')
    start = page.get_by_role("button", name="Start a run")

    start.click()
    expect(teacher_message).to_contain_text("Enter the teacher token first")
    page.locator('input[name="teacher-token"]').fill("wrong-token")
    page.get_by_role("button", name="Save token").click()
    expect(teacher_message).to_have_text("")
    expect(page.locator(".token-state")).to_contain_text("Token saved")

    start.click()
    expect(teacher_message).to_contain_text("rejected this teacher token")
    expect(teacher_message).to_contain_text("start-up")
    expect(teacher_message).to_contain_text("teacher_token")
    expect(teacher_message).to_contain_text("data folder")
    assert httpx.get(f"{server.url}/api/gan/runs").json() == []


def test_settings_form_explains_fields(page, live_server):
    page.goto(f"{live_server.url}/gan")
    page.locator("details.run-settings summary").click()

    # Each control's accessible name is its on-screen label.
    for role, name in (
        ("spinbutton", "Epochs"),
        ("spinbutton", "Batch size"),
        ("slider", "Generator learning rate"),
        ("spinbutton", "Seed"),
        ("combobox", "Device"),
        ("spinbutton", "Batches per epoch"),
        ("spinbutton", "Test batches"),
        ("slider", "Epoch"),
    ):
        expect(page.get_by_role(role, name=name, exact=True)).to_have_count(1)
    batches = page.get_by_label("Batches per epoch", exact=True)
    test_batches = page.get_by_label("Test batches", exact=True)
    expect(batches).to_have_value("")
    expect(batches).to_have_attribute("placeholder", "all 117")
    expect(batches).to_have_accessible_description(re.compile("1 to 10,000"))
    expect(test_batches).to_have_attribute("placeholder", "all 10,000 test images")
    expect(test_batches).to_have_accessible_description(re.compile("1 to 1,000"))
    expect(page.get_by_label("Epochs", exact=True)).to_have_accessible_description(
        re.compile("1 to 500")
    )
    # 60,000 training images make 58 full batches of 1024.
    page.get_by_label("Batch size", exact=True).fill("1024")
    expect(batches).to_have_attribute("placeholder", "all 58")
    assert page.console_errors == []


def test_invalid_setting_names_its_label(page, start_live_server, settings):
    server = start_live_server()
    page.goto(f"{server.url}/gan")
    page.locator('input[name="teacher-token"]').fill(settings.teacher_token)
    page.get_by_role("button", name="Save token").click()
    fill_settings(page, {"batches_per_epoch": "999999"})

    page.get_by_role("button", name="Start a run").click()

    expect(page.locator('[data-role="teacher-message"]')).to_have_text(
        "Could not start the run: Batches per epoch must be from 1 to 10000, "
        "got 999999."
    )
    assert httpx.get(f"{server.url}/api/gan/runs").json() == []


def test_explanation_uses_run_batch_size(page, live_server, settings):
    run_id = create_run(live_server, settings, epochs=1)
    try:
        page.goto(f"{live_server.url}/gan#run={run_id}")

        explanation = page.locator(".explanation")
        expect(explanation).to_contain_text("32 in this run")
        expect(explanation).not_to_contain_text("512")
    finally:
        wait_for_run(live_server, run_id, {"finished"})
