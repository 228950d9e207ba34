"""The backpropagation page in a real browser against a live server."""

import re

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
    expect(error).to_contain_text("Line 1, column 14")
    expect(page.locator('[data-role="editor-pointer"]')).to_have_text(
        "loss = (x * w\n             ^"
    )

    textarea.fill("h = x*w +\nloss = h^2")
    expect(error).to_contain_text("Line 1, column 10")
    expect(error).to_contain_text("found the end of the line")

    textarea.fill("loss = 1/x")
    expect(page.locator("table.leaves tbody tr")).to_have_count(1)
    page.get_by_label("Value of x").fill("0")
    page.get_by_role("button", name="Build graph").click()
    expect(error).to_contain_text("divides by zero")
    expect(error).to_contain_text("Cannot compute loss = 1/x because")
    expect(error).not_to_contain_text("n2")


def test_failed_build_removes_graph_and_keeps_address(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    expect(page).to_have_url(re.compile("expression=h1"))
    address = page.url
    press_next(page, 2)

    page.locator('textarea[name="expression"]').fill("loss = 1/x")
    expect(page.locator("table.leaves tbody tr")).to_have_count(1)
    page.get_by_label("Value of x").fill("0")
    page.get_by_role("button", name="Build graph").click()

    log = page.locator('[data-role="log"]')
    expect(log).to_contain_text("Could not build the new graph")
    expect(log).to_contain_text("divides by zero")
    expect(page.locator("svg.graph g.card")).to_have_count(0)
    expect(page.get_by_role("button", name="Next ▶")).to_be_disabled()
    expect(page.get_by_role("button", name="◀ Previous")).to_be_disabled()
    expect(page.get_by_role("button", name="Reset")).to_be_disabled()
    expect(page.locator('[data-role="counter"]')).to_have_text("")
    expect(page.locator('[data-role="gradients"]')).to_have_text("")
    assert page.url == address

    page.get_by_label("Value of x").fill("4")
    page.get_by_role("button", name="Build graph").click()
    expect(card(page, "loss")).to_be_visible()
    expect(log).not_to_contain_text("Could not build")
    expect(page).to_have_url(re.compile("expression=loss"))
    assert "x%3A4%3Ainput" in page.url or "x:4:input" in page.url
    assert page.console_errors == []


def test_typed_leaf_value_survives_leaf_refresh(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    textarea = page.locator('textarea[name="expression"]')
    textarea.fill("loss = 2*x")
    expect(page.locator("table.leaves tbody tr")).to_have_count(1)

    # Type the value key by key while the edited expression is being parsed,
    # so the leaf table is refreshed in the middle of the typing.
    textarea.fill("loss = 1/x")
    value = page.get_by_label("Value of x")
    value.fill("")
    value.press_sequentially("1e-200", delay=120)
    page.wait_for_timeout(500)
    expect(value).to_have_value("1e-200")
    expect(value).to_be_focused()

    page.get_by_role("button", name="Build graph").click()
    error = page.locator('[data-role="editor-error"]')
    expect(error).to_contain_text("with respect to x at x = 1e-200")
    expect(error).to_contain_text("too large for a float")
    expect(page.locator(".connection")).to_have_text("")
    assert page.console_errors == []


@pytest.mark.parametrize("value_text", ["1e400", "abc", ""])
def test_link_with_invalid_leaf_value_keeps_leaf(page, live_server, value_text):
    page.goto(
        f"{live_server.url}/backprop"
        f"#expression=loss%20%3D%20x*w&leaves=x:{value_text}:input,w:2:trainable"
    )
    notice = page.locator('[data-role="link-notice"]')
    expect(notice).to_contain_text(f'gives x the value "{value_text}"')
    expect(notice).to_contain_text("x starts at 1 instead")
    expect(page.get_by_label("Value of x")).to_have_value("1")
    expect(page.get_by_label("Value of w")).to_have_value("2")
    expect(card(page, "loss")).to_be_visible()
    expect(card_field(page, "x", "data")).to_have_text("1")
    expect(page.locator('[data-role="editor-error"]')).to_have_text("")
    expect(page.locator('[data-role="log"]')).not_to_contain_text("Loading")
    assert page.console_errors == []


def test_link_that_cannot_build_explains_why(page, live_server):
    page.goto(
        f"{live_server.url}/backprop#expression=loss%20%3D%201%2Fx&leaves=x:0:input"
    )
    log = page.locator('[data-role="log"]')
    expect(log).to_contain_text("Could not build the new graph")
    expect(log).to_contain_text("Cannot compute loss = 1/x")
    expect(page.get_by_label("Value of x")).to_have_value("0")
    expect(page.locator("svg.graph g.card")).to_have_count(0)
    assert "1%2Fx" in page.url


def test_link_with_rejected_rate_names_field(page, live_server):
    page.goto(
        f"{live_server.url}/backprop#expression=loss%20%3D%20x*x&leaves=x:2:input&lr=1e308"
    )
    log = page.locator('[data-role="log"]')
    expect(log).to_contain_text("Could not build the new graph")
    expect(log).to_contain_text("Invalid parameters: Learning rate must be from")
    expect(page.locator('[data-role="editor-error"]')).to_contain_text(
        "Learning rate must be from"
    )
    expect(page.locator("svg.graph g.card")).to_have_count(0)


def test_leaving_page_logs_no_errors(page, live_server):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    page.get_by_role("button", name="Next ▶").click()
    page.get_by_role("link", name="Perceptron").click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Backpropagation"))
    page.wait_for_timeout(300)
    assert page.console_errors == []

    # Leave again while the page is still loading its parameters.
    page.goto(f"{live_server.url}/backprop")
    page.get_by_role("link", name="Gradient descent").click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Backpropagation"))
    page.wait_for_timeout(500)
    assert page.console_errors == []


@pytest.mark.parametrize("expression", ["", "  \n "])
def test_empty_expression_asks_for_one(page, live_server, expression):
    page.goto(f"{live_server.url}/backprop")
    expect(card(page, "w1")).to_be_visible()
    page.locator('textarea[name="expression"]').fill(expression)
    error = page.locator('[data-role="editor-error"]')
    expect(error).to_contain_text("Type an expression first, for example")

    page.get_by_role("button", name="Build graph").click()
    expect(error).to_contain_text("Type an expression first, for example")
    expect(error).not_to_contain_text("Invalid")
    expect(page.locator('[data-role="log"]')).not_to_contain_text("Could not build")
    expect(page.locator('[data-role="editor-pointer"]')).to_have_text("")
    expect(page).to_have_url(re.compile("expression=h1"))
    assert page.console_errors == []
