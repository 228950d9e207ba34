"""The backpropagation page in a real browser against a live server."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The default example: 6 forward steps, 12 backward steps and the update.
NUM_DEFAULT_STEPS = 19


def card(page, label):
    return page.locator(f'svg.graph g.card[data-label="{label}"]')


def card_field(page, label, field):
    return card(page, label).locator(f'[data-field="{field}"]')


def press_next(page, times):
    counter = page.locator('[data-role="counter"]')
    for _ in range(times):
        shown = int(counter.inner_text().split()[1])
        page.get_by_role("button", name="Next ▶").click()
        expect(counter).to_have_text(f"step {shown + 1} of {NUM_DEFAULT_STEPS}")


def test_step_to_end_shows_w1_gradient(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    expect(card_field(page, "w1", "data")).to_have_text("0.5")
    expect(card_field(page, "w1", "grad")).to_have_text("?")
    expect(card_field(page, "w1", "new")).to_have_text("?")
    expect(card_field(page, "h1", "data")).to_have_text("?")

    press_next(page, 2)
    expect(card_field(page, "h1", "data")).to_have_text("2.75")
    log = page.locator('[data-role="log"]')
    expect(log).to_contain_text("h1 = (x1*w1) + b1 = 0.75 + 2 = 2.75")
    expect(card(page, "h1")).to_have_class(
        "card role-intermediate current current-data"
    )

    # Forward pass done after 6 steps, then the backward pass reaches w2.
    press_next(page, 4)
    expect(card_field(page, "loss", "data")).to_have_text("36.300625")
    press_next(page, 7)
    expect(log).to_contain_text("dL/dw2 = dL/d(h1*w2) * h1 = -12.05 * 2.75 = -33.1375")
    expect(card_field(page, "w1", "grad")).to_have_text("?")

    press_next(page, NUM_DEFAULT_STEPS - 13)
    gradient = page.locator('[data-role="gradients"] li[data-leaf="w1"]')
    expect(gradient).to_have_text("dL/dw1 = -9.0375")
    expect(card_field(page, "w1", "grad")).to_have_text("-9.0375")
    expect(card_field(page, "y_hat", "grad")).to_have_text("-12.05")
    expect(page.get_by_role("button", name="Next ▶")).to_be_disabled()

    # The last step is the update: new weights on the cards and a new loss.
    expect(log).to_contain_text("learning rate 0.01")
    expect(card_field(page, "w1", "data")).to_have_text("0.5")
    expect(card_field(page, "w1", "new")).to_have_text("0.590375")
    expect(card(page, "w1")).to_have_class("card role-trainable updated")
    expect(page.locator('[data-role="new-loss"]')).to_contain_text("before: 36.300625")
    expect(page.locator('[data-role="update"]')).to_contain_text(
        "w1 = 0.5 - 0.01 * (-9.0375) = 0.590375"
    )
    assert page.console_errors == []


def test_graph_runs_left_to_right(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "loss")).to_be_visible()
    x1 = card(page, "x1").bounding_box()
    h1 = card(page, "h1").bounding_box()
    loss = card(page, "loss").bounding_box()
    assert x1["x"] < h1["x"] < loss["x"]
    assert page.locator("svg.graph g.op").count() == 6
    # y_hat and y into the subtraction, its result, that result into the
    # square, and the square's result.
    assert page.locator("svg.graph path.edge.loss-part").count() == 5
    expect(card(page, "w1")).to_have_class("card role-trainable")


def test_previous_and_reset_forget_values(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    press_next(page, 2)
    expect(card_field(page, "h1", "data")).to_have_text("2.75")

    page.get_by_role("button", name="◀ Previous").click()
    expect(page.locator('[data-role="counter"]')).to_have_text("step 1 of 19")
    expect(card_field(page, "h1", "data")).to_have_text("?")
    expect(card_field(page, "x1*w1", "data")).to_have_text("0.75")

    page.get_by_role("button", name="Reset").click()
    expect(page.locator('[data-role="counter"]')).to_have_text("step 0 of 19")
    expect(card_field(page, "x1*w1", "data")).to_have_text("?")
    expect(page.get_by_role("button", name="◀ Previous")).to_be_disabled()


def test_auto_plays_to_the_end(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    page.locator('input[name="speed"]').fill("10")
    page.get_by_role("button", name="Auto").click()
    expect(page.locator('[data-role="counter"]')).to_have_text(
        "step 19 of 19", timeout=20_000
    )
    expect(card_field(page, "b1", "grad")).to_have_text("-6.025")
    expect(page.get_by_role("button", name="Auto")).to_be_disabled()


def test_link_rebuilds_graph_from_hash(page, live_server):
    page.goto(
        f"{live_server.url}/backprop#expression=a%20%2B%20a&leaves=a:3:trainable&lr=0.1"
    )
    expect(page.locator('textarea[name="expression"]')).to_have_value("a + a")
    expect(card(page, "a + a")).to_be_visible()
    # One forward step, two backward steps and the update.
    for _ in range(4):
        page.get_by_role("button", name="Next ▶").click()
    expect(page.locator('[data-role="gradients"] li[data-leaf="a"]')).to_have_text(
        "dL/da = 2"
    )
    expect(page.locator('[data-role="log"]')).to_contain_text("learning rate 0.1")


def test_editor_builds_new_graph_and_updates_link(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    page.locator('textarea[name="expression"]').fill("loss = squared_error(x*w, y)")
    expect(page.locator("table.leaves tbody tr")).to_have_count(3)
    page.get_by_label("Value of x").fill("2")
    page.get_by_label("Role of w").select_option("trainable")
    page.get_by_label("Value of y").fill("1")
    page.get_by_role("button", name="Build graph").click()

    expect(card(page, "x*w")).to_be_visible()
    assert "expression=loss" in page.url
    assert "w%3A1%3Atrainable" in page.url or "w:1:trainable" in page.url
    # x*w = 2, loss = (2 - 1)^2 = 1 and dL/dw = 2 * (2 - 1) * x = 4.
    counter = page.locator('[data-role="counter"]')
    expect(counter).to_have_text("step 0 of 8")
    for _ in range(8):
        page.get_by_role("button", name="Next ▶").click()
    expect(counter).to_have_text("step 8 of 8")
    expect(page.locator('[data-role="gradients"] li[data-leaf="w"]')).to_have_text(
        "dL/dw = 4"
    )


def test_editor_shows_errors_with_position(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    textarea = page.locator('textarea[name="expression"]')
    textarea.fill("loss = (x * w")
    error = page.locator('[data-role="editor-error"]')
    expect(error).to_contain_text("Column 14")
    expect(page.locator('[data-role="editor-pointer"]')).to_have_text(
        "loss = (x * w\n             ^"
    )

    textarea.fill("loss = 1/x")
    expect(page.locator("table.leaves tbody tr")).to_have_count(1)
    page.get_by_label("Value of x").fill("0")
    page.get_by_role("button", name="Build graph").click()
    expect(error).to_contain_text("divides by zero")
    expect(error).to_contain_text("Cannot compute node n2 (loss)")
    # The previous graph stays on screen.
    expect(card(page, "w1")).to_be_visible()
