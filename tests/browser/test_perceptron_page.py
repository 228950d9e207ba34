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
    step_button = page.get_by_role("button", name="Step")
    step_button.click()
    expect(page.locator('[data-stat="status"]')).to_have_text("paused")
    step_button.click()
    expect(page.locator('[data-stat="step"]')).to_have_text("1")
    step_button.click()
    expect(page.locator('[data-stat="step"]')).to_have_text("2")


def test_reload_keeps_lesson_path(page, live_server):
    page.goto(f"{live_server.url}/perceptron#dataset=xor&seed=5")
    page.reload()
    expect(page.locator("h1")).to_have_text("The perceptron")
    expect(page.locator("select[name=dataset]")).to_have_value("xor")
    expect(page.locator("input[name=seed]")).to_have_value("5")
