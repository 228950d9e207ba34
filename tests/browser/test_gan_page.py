"""The GAN page in a real browser: a teacher starts a short run; the class watches."""

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


def fill_settings(page, values):
    page.locator("details.run-settings summary").click()
    for name, value in values.items():
        field = page.locator(f'form.settings [name="{name}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


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
