"""The gradient-descent page in a real browser against a live server."""

import json
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGE_PATH = "/gradient-descent"
FINISHED_TIMEOUT_MS = 60_000
# The page fixture saves its own screenshot at the end of each test; these
# extra ones show moments in the middle of a test.
TEST_OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output"

CANVAS_DIGEST = """(selector) => {
  const canvas = document.querySelector(selector);
  const context = canvas.getContext('2d');
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 0;
  for (let i = 0; i < data.length; i += 4) {
    hash = (hash * 31 + data[i] * 7 + data[i + 1] * 3 + data[i + 2]) % 1000000007;
  }
  return hash;
}"""


def canvas_digest(page, selector):
    return page.evaluate(CANVAS_DIGEST, selector)


def set_max_speed(page):
    speed = page.locator('input[name="speed"]')
    speed.fill("1000")
    speed.dispatch_event("input")


def scrub_to(page, index):
    scrubber = page.locator('input[name="frame"]')
    scrubber.fill(str(index))
    scrubber.dispatch_event("input")


def wait_finished(page):
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=FINISHED_TIMEOUT_MS
    )


def test_play_scrub_back_redraws_curve(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#learning_rate=0.003&epochs=20&seed=0")
    expect(page.locator('input[name="epochs"]')).to_have_value("20")
    set_max_speed(page)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_finished(page)

    expect(page.locator('[data-stat="frame"]')).to_have_text("frame 21 of 21")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("20")
    expected = httpx.post(
        f"{live_server.url}/api/gradient-descent/trace",
        json={"learning_rate": 0.003, "epochs": 20, "seed": 0, "num_points": 0},
    ).json()
    shown_loss = float(page.locator('[data-stat="loss"]').inner_text())
    assert shown_loss == pytest.approx(expected["final"]["loss"], rel=1e-3)
    end_curves = canvas_digest(page, "canvas.curves")
    end_network = canvas_digest(page, "canvas.network")

    scrub_to(page, 0)
    expect(page.locator('[data-stat="frame"]')).to_have_text("frame 1 of 21")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("0")
    expect(page.locator('[data-stat="status"]')).to_have_text("paused")
    start_curves = canvas_digest(page, "canvas.curves")
    assert start_curves != end_curves
    assert canvas_digest(page, "canvas.network") != end_network
    TEST_OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(
        path=str(TEST_OUTPUT_DIR / "gradient_descent_scrubbed_back.png"), full_page=True
    )

    scrub_to(page, 10)
    expect(page.locator('[data-stat="epoch"]')).to_have_text("10")
    middle_curves = canvas_digest(page, "canvas.curves")
    assert middle_curves not in (start_curves, end_curves)

    scrub_to(page, 20)
    expect(page.locator('[data-stat="epoch"]')).to_have_text("20")
    assert canvas_digest(page, "canvas.curves") == end_curves
    assert page.console_errors == []


def test_previous_and_next_frame_buttons(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#epochs=10")
    set_max_speed(page)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_finished(page)
    previous = page.get_by_role("button", name="Previous frame")
    following = page.get_by_role("button", name="Next frame")
    expect(following).to_be_disabled()

    previous.click()
    expect(page.locator('[data-stat="epoch"]')).to_have_text("9")
    previous.click()
    expect(page.locator('[data-stat="epoch"]')).to_have_text("8")
    following.click()
    expect(page.locator('[data-stat="epoch"]')).to_have_text("9")

    # Play continues from the chosen frame to the end.
    page.get_by_role("button", name="Play").click()
    wait_finished(page)
    expect(page.locator('[data-stat="epoch"]')).to_have_text("10")


def test_large_rate_diverges_with_advice(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#learning_rate=10")
    set_max_speed(page)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_finished(page)

    message = page.locator('[data-role="message"]')
    expect(message).to_contain_text("diverged in epoch 1")
    expect(message).to_contain_text("try 0.003")
    expect(page.locator('[data-stat="loss"]')).to_have_text("overflow")
    expect(page.locator('input[name="log-scale"]')).to_be_checked()
    TEST_OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(
        path=str(TEST_OUTPUT_DIR / "gradient_descent_diverged.png"), full_page=True
    )

    # The status still reads "finished" from the run before, so wait for the message.
    page.get_by_role("button", name="Run with rate 0.003").click()
    expect(message).to_contain_text("The loss fell", timeout=FINISHED_TIMEOUT_MS)
    assert "learning_rate=0.003&" in page.url
    assert page.console_errors == []


def test_small_rate_says_loss_barely_moved(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#learning_rate=1e-7&epochs=10")
    set_max_speed(page)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_finished(page)
    expect(page.locator('[data-role="message"]')).to_contain_text("barely moved")


def test_page_load_shows_untrained_run(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#epochs=10")
    expect(page.locator('[data-stat="frame"]')).to_have_text("frame 1 of 1")
    expect(page.locator('[data-stat="status"]')).to_have_text("paused")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("0")
    assert float(page.locator('[data-stat="loss"]').inner_text()) > 1.0

    # Play after a settings change trains the new settings, not the loaded run.
    rate = page.locator('[data-field="learning_rate"] input')
    rate.fill("0")
    rate.dispatch_event("input")
    expect(page.locator('[data-field="learning_rate"] output')).to_have_text("1.0e-7")
    set_max_speed(page)
    page.get_by_role("button", name="Play").click()
    wait_finished(page)
    expect(page.locator('[data-role="message"]')).to_contain_text("barely moved")
    assert "learning_rate=1e-7" in page.url


def test_hidden_size_change_redraws_network(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}")
    expect(page.locator('[data-stat="frame"]')).to_have_text("frame 1 of 1")
    before = canvas_digest(page, "canvas.network")

    page.locator('input[name="hidden_units_1"]').fill("3")
    page.wait_for_function(
        "(before) => (" + CANVAS_DIGEST + ")('canvas.network') !== before", arg=before
    )
    # The drawing changed without a new run.
    expect(page.locator('[data-stat="frame"]')).to_have_text("frame 1 of 1")
    assert "hidden_units_1=3" in page.url
    TEST_OUTPUT_DIR.mkdir(exist_ok=True)
    page.locator("canvas.network").screenshot(
        path=str(TEST_OUTPUT_DIR / "gradient_descent_network_preview.png")
    )


def test_reload_keeps_parameters(page, live_server):
    page.goto(
        f"{live_server.url}{PAGE_PATH}#learning_rate=0.05&hidden_units_2=4&seed=9"
    )
    page.reload()
    expect(page.locator("h1")).to_have_text("Gradient descent")
    expect(page.locator('input[name="hidden_units_2"]')).to_have_value("4")
    expect(page.locator('input[name="seed"]')).to_have_value("9")
    expect(page.locator('[data-field="learning_rate"] output')).to_have_text("0.05")


def record_sent_messages(page):
    """Collect the JSON messages the page sends over its WebSockets."""
    sent: list[dict] = []

    def on_websocket(websocket):
        websocket.on("framesent", lambda payload: sent.append(json.loads(payload)))

    page.on("websocket", on_websocket)
    return sent


def test_keys_work_with_timeline_button_focused(page, live_server):
    sent = record_sent_messages(page)
    page.goto(f"{live_server.url}{PAGE_PATH}#epochs=100")
    page.get_by_role("button", name="Run", exact=True).click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-stat=\"epoch\"]').textContent) >= 3"
    )
    page.get_by_role("button", name="Pause").click()
    status = page.locator('[data-stat="status"]')
    expect(status).to_have_text("paused")
    assert page.evaluate("() => document.activeElement.dataset.action") == "play"
    epoch = int(page.locator('[data-stat="epoch"]').inner_text())

    page.keyboard.press("ArrowLeft")
    expect(page.locator('[data-stat="epoch"]')).to_have_text(str(epoch - 1))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator('[data-stat="epoch"]')).to_have_text(str(epoch + 1))

    # Space on the focused "Previous frame" button plays; it does not also step back.
    page.get_by_role("button", name="Previous frame").focus()
    del sent[:]
    page.keyboard.press(" ")
    expect(status).to_have_text("playing")
    page.keyboard.press(" ")
    expect(status).to_have_text("paused")
    sent_types = [message["type"] for message in sent]
    assert sent_types == ["resume", "pause"]

    # Keys typed into a settings field stay there.
    paused_frame = page.locator('[data-stat="frame"]').inner_text()
    page.locator('input[name="seed"]').focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press(" ")
    page.wait_for_timeout(300)
    expect(page.locator('[data-stat="frame"]')).to_have_text(paused_frame)
    expect(status).to_have_text("paused")
    assert page.console_errors == []


def test_diverged_loss_chart_counts_updates(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#learning_rate=10")
    set_max_speed(page)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_finished(page)
    expect(page.locator('[data-stat="step"]')).to_have_text("5")

    x_label = page.locator(".loss-chart .u-legend .u-series").first.locator(".u-label")
    expect(x_label).to_have_text("update (40 per epoch)")
    # The cursor snaps to the nearest point; at the right edge that is the last update.
    plot_area = page.locator(".loss-chart .u-over")
    box = plot_area.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    x_value = page.locator(".loss-chart .u-legend .u-series").first.locator(".u-value")
    expect(x_value).to_have_text("5")
    TEST_OUTPUT_DIR.mkdir(exist_ok=True)
    page.locator(".loss-chart").screenshot(
        path=str(TEST_OUTPUT_DIR / "gradient_descent_loss_per_update.png")
    )

    # A run without a divergence counts epochs again.
    page.get_by_role("button", name="Run with rate 0.003").click()
    expect(page.locator('[data-role="message"]')).to_contain_text(
        "The loss fell", timeout=FINISHED_TIMEOUT_MS
    )
    expect(x_label).to_have_text("epoch")
    assert page.console_errors == []


def test_leaving_page_logs_no_errors(page, live_server):
    page.goto(f"{live_server.url}{PAGE_PATH}#epochs=100")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator('[data-stat="status"]')).to_have_text("playing")
    page.get_by_role("link", name="Perceptron").click()
    expect(page.locator("h1")).not_to_have_text("Gradient descent")
    # Leave again at once, before the settings have loaded.
    page.goto(f"{live_server.url}{PAGE_PATH}")
    page.get_by_role("link", name="Perceptron").click()
    # The closed sockets report back after the page is gone.
    page.wait_for_timeout(1000)
    assert page.console_errors == []
