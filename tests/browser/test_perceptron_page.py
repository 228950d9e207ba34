"""The perceptron page in a real browser against a live server."""

import re

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def read_weights(page) -> list[float]:
    return [
        float(text)
        for text in page.locator(".weights-table td.weight").all_inner_texts()
    ]


def test_run_linear_dataset_matches_api(page, live_server):
    page.goto(
        f"{live_server.url}/perceptron#dataset=linear&seed=3&epochs=50&learning_rate=0.01"
    )
    expect(page.locator("select[name=dataset]")).to_have_value("linear")
    page.locator('input[name="speed"]').fill("1000")
    page.get_by_role("button", name="Run", exact=True).click()

    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=30_000
    )
    assert int(page.locator('[data-stat="step"]').inner_text()) > 0
    assert int(page.locator('[data-stat="epoch"]').inner_text()) >= 1
    expect(page.locator('[data-role="message"]')).to_contain_text("Converged")

    expected = httpx.post(
        f"{live_server.url}/api/perceptron/trace",
        json={"dataset": "linear", "seed": 3, "epochs": 50, "learning_rate": 0.01},
    ).json()["final"]
    shown = read_weights(page)
    assert shown == pytest.approx(expected["weights"], rel=1e-3)
    assert page.locator('[data-stat="accuracy"]').inner_text() == "100%"
    assert page.console_errors == []


def test_canvas_draws_both_classes(page, live_server):
    page.goto(f"{live_server.url}/perceptron")
    page.get_by_role("button", name="Example 1: two clouds").click()
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=60_000
    )
    colours = page.evaluate(
        """() => {
          const canvas = document.querySelector('canvas.regions');
          const context = canvas.getContext('2d');
          const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
          const seen = new Set();
          for (let i = 0; i < data.length; i += 4 * 97) {
            seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
          }
          return seen.size;
        }"""
    )
    assert colours > 5


def test_xor_fails_then_feature_fixes_it(page, live_server):
    page.goto(f"{live_server.url}/perceptron")
    page.locator('input[name="speed"]').fill("1000")
    page.get_by_role("button", name="Example 2: XOR").click()
    page.locator('input[name="speed"]').fill("1000")
    page.locator('input[name="speed"]').dispatch_event("input")
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=60_000
    )
    expect(page.locator('[data-role="message"]')).to_contain_text("without converging")

    page.get_by_role("button", name="Example 3: XOR with x1·x2").click()
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=60_000
    )
    expect(page.locator('[data-role="message"]')).to_contain_text("Converged")
    assert re.search(r"x1\*x2", page.locator(".weights-table thead").inner_text())


def test_step_button_advances_one_step(page, live_server):
    page.goto(f"{live_server.url}/perceptron")
    expect(page.locator('[data-stat="status"]')).to_have_text("ready")
    expect(page.locator(".weights-table td.weight").first).not_to_have_text("-")
    step_button = page.get_by_role("button", name="Step")
    step_button.click()
    expect(page.locator('[data-stat="step"]')).to_have_text("1")
    expect(page.locator('[data-stat="status"]')).to_have_text("paused")
    step_button.click()
    expect(page.locator('[data-stat="step"]')).to_have_text("2")


def test_reset_returns_to_ready(page, live_server):
    page.goto(f"{live_server.url}/perceptron#epochs=1")
    page.locator('input[name="speed"]').fill("1000")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=30_000
    )
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    page.get_by_role("button", name="Reset").click()
    expect(page.locator('[data-stat="status"]')).to_have_text("ready")
    expect(page.locator('[data-stat="step"]')).to_have_text("0")


def test_changing_dataset_shows_new_points(page, live_server):
    page.goto(f"{live_server.url}/perceptron")
    expect(page.locator('[data-stat="status"]')).to_have_text("ready")
    expect(page.locator(".weights-table thead")).to_contain_text("w(bias)")
    page.locator("select[name=dataset]").select_option("xor")
    expect(page.locator(".weights-table thead")).not_to_contain_text("w(bias)")
    expect(page).to_have_url(re.compile(r"dataset=xor"))


def test_bad_link_value_is_reported(page, live_server):
    page.goto(f"{live_server.url}/perceptron#epochs=5000&learning_rate=abc")
    message = page.locator('[data-role="message"]')
    expect(message).to_contain_text("invalid values for Learning rate, Epochs")
    expect(page.locator("input[name=epochs]")).to_have_value("3")


def test_leaving_page_logs_no_errors(page, live_server):
    page.goto(f"{live_server.url}/perceptron")
    expect(page.locator('[data-stat="status"]')).to_have_text("ready")
    page.get_by_role("link", name="Backpropagation").first.click()
    expect(page.locator("h1")).to_contain_text("Backpropagation")
    page.wait_for_timeout(500)
    assert page.console_errors == []


def test_reload_keeps_lesson_path(page, live_server):
    page.goto(f"{live_server.url}/perceptron#dataset=xor&seed=5")
    page.reload()
    expect(page.locator("h1")).to_have_text("The perceptron")
    expect(page.locator("select[name=dataset]")).to_have_value("xor")
    expect(page.locator("input[name=seed]")).to_have_value("5")


def test_api_docs_load_without_internet(page, live_server):
    outside_requests = []
    page.on(
        "request",
        lambda request: (
            outside_requests.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    page.goto(f"{live_server.url}/docs")
    expect(page.get_by_text("/api/perceptron/trace").first).to_be_visible()
    assert outside_requests == []


# Returns the stroke colour of each weight series in the chart's legend, by label.
LEGEND_COLOURS_JS = """() => Object.fromEntries(
  [...document.querySelectorAll('.weights-chart .u-legend .u-series')]
    .slice(1)
    .map((row) => [
      row.querySelector('.u-label').textContent,
      row.querySelector('.u-marker').style.borderColor,
    ]))"""


def test_weight_colours_follow_names(page, live_server):
    page.goto(f"{live_server.url}/perceptron")
    expect(page.locator(".weights-chart .u-legend")).to_contain_text("w(bias)")
    with_bias = page.evaluate(LEGEND_COLOURS_JS)
    assert set(with_bias) == {"w(bias)", "w(x1)", "w(x2)"}

    page.get_by_role("button", name="Example 2: XOR").click()
    expect(page.locator(".weights-chart .u-legend")).not_to_contain_text("w(bias)")
    without_bias = page.evaluate(LEGEND_COLOURS_JS)
    assert without_bias["w(x1)"] == with_bias["w(x1)"]
    assert without_bias["w(x2)"] == with_bias["w(x2)"]

    page.get_by_role("button", name="Example 3: XOR with x1·x2").click()
    expect(page.locator(".weights-chart .u-legend")).to_contain_text("w(x1*x2)")
    product = page.evaluate(LEGEND_COLOURS_JS)
    assert product["w(x1)"] == with_bias["w(x1)"]
    assert len(set(product.values())) == len(product)


def test_run_label_while_playing(page, live_server):
    page.goto(f"{live_server.url}/perceptron#epochs=3")
    run_button = page.locator('button[data-action="run"]')
    expect(page.locator('[data-stat="status"]')).to_have_text("ready")
    expect(run_button).to_have_text("Run")
    # The slowest speed, half a step per second, keeps the run playing.
    page.locator('input[name="speed"]').fill("0")
    run_button.click()
    expect(page.locator('[data-stat="status"]')).to_have_text("running")
    expect(run_button).to_have_text("Restart")
    # A run paused before its first step counts as not started, so wait for one.
    expect(page.locator('[data-stat="step"]')).not_to_have_text("0")
    page.get_by_role("button", name="Pause").click()
    expect(page.locator('[data-stat="status"]')).to_have_text("paused")
    expect(run_button).to_have_text("Restart")

    page.locator('input[name="speed"]').fill("1000")
    page.locator('input[name="speed"]').dispatch_event("input")
    page.get_by_role("button", name="Resume").click()
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=30_000
    )
    expect(run_button).to_have_text("Run again")
    assert page.console_errors == []
