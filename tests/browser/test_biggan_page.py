"""The BigGAN page in a real browser against a live server with a tiny random model."""

from pathlib import Path

import pytest
from annlab.engines.biggan.tiny_model import save_random_model
from annlab.engines.biggan.wordnet_setup import prepare_wordnet
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000


def unexpected_errors(
    console_errors: list[str], expected_statuses: set[int]
) -> list[str]:
    """Console errors other than the browser's notes on these API statuses."""
    expected = {
        f"Failed to load resource: the server responded with a status of {status}"
        for status in expected_statuses
    }
    return [
        error
        for error in console_errors
        if not any(error.startswith(e) for e in expected)
    ]


@pytest.fixture
def biggan_server(tmp_path: Path, start_live_server):
    data_dir = tmp_path / "data"
    try:
        prepare_wordnet(data_dir / "nltk_data", allow_download=False)
    except FileNotFoundError as error:
        pytest.skip(f"Debian's WordNet files are not installed: {error}")
    model_dir = save_random_model(tmp_path / "tiny")
    return start_live_server(
        env={
            "ANNLAB_BIGGAN_MODEL": str(model_dir),
            "ANNLAB_BIGGAN_DEVICE": "cpu",
            "OMP_NUM_THREADS": "1",
        },
        data_dir=data_dir,
    )


def test_generate_default_label_and_dog(page, biggan_server):
    page.goto(f"{biggan_server.url}/biggan")
    expect(page.locator('input[name="label"]')).to_have_value("soap bubble")
    expect(page.locator('[data-role="status"]')).to_contain_text(
        "Model ready", timeout=LOAD_TIMEOUT_MS
    )
    expect(page.locator('[data-role="resolved"]')).to_have_text("bubble, via WordNet")

    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-role="latest"] img')).to_have_count(4, timeout=30_000)
    expect(page.locator('[data-role="gallery"] figure')).to_have_count(4)
    expect(page.locator('[data-role="gallery"] figure').first).to_contain_text("bubble")
    expect(page.locator('[data-role="gallery"] figure').first).to_contain_text(
        '"soap bubble"'
    )
    width = page.locator('[data-role="latest"] img').first.evaluate(
        "image => image.naturalWidth"
    )
    assert width == 32

    detail = page.locator('[data-role="resolved-detail"]')
    page.locator('input[name="label"]').fill("dog")
    expect(page.locator('[data-role="resolved"]')).to_have_text(
        "Chihuahua, via WordNet"
    )
    expect(detail).to_contain_text("dog → toy dog → Chihuahua")
    candidates = page.locator('select[name="candidate"] option')
    expect(candidates).to_have_count(118)

    select = page.locator('select[name="candidate"]')
    select.select_option(label="Labrador retriever (class 208)")
    expect(page.locator('[data-role="resolved"]')).to_have_text(
        "Labrador retriever, chosen from the candidates"
    )
    # The path and gloss follow the picked class, not the label's first candidate.
    expect(detail).to_contain_text("→ retriever → Labrador retriever")
    expect(detail).to_contain_text("you picked this one")
    expect(detail).to_contain_text("Class 208:")
    expect(detail).not_to_contain_text("Chihuahua")
    select_box = select.bounding_box()
    panel_box = page.locator("aside.panel").bounding_box()
    assert select_box["x"] + select_box["width"] <= panel_box["x"] + panel_box["width"]
    page.locator('input[name="count"]').fill("1")
    page.locator('input[name="seed"]').fill("7")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-role="gallery"] figure')).to_have_count(
        5, timeout=30_000
    )
    newest = page.locator('[data-role="gallery"] figure').first
    expect(newest).to_contain_text("Labrador retriever")
    expect(newest).to_contain_text("seed 7")
    assert "seed=7" in page.url
    assert "label=dog" in page.url

    # Seed 7 picks lynx, not the first cat candidate (tabby): the path leads to lynx.
    page.locator('input[name="label"]').fill("cat")
    expect(page.locator('[data-role="resolved"]')).to_have_text("lynx, via WordNet")
    expect(detail).to_contain_text("cat → wildcat → lynx")
    expect(detail).to_contain_text("Class 287:")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-role="gallery"] figure')).to_have_count(
        6, timeout=30_000
    )
    expect(page.locator('[data-role="gallery"] figure').first).to_contain_text("lynx")
    expect(detail).to_contain_text("cat → wildcat → lynx")
    assert page.console_errors == []


def test_unknown_word_random_and_interpolation(page, biggan_server):
    page.goto(f"{biggan_server.url}/biggan")
    expect(page.locator('[data-role="status"]')).to_contain_text(
        "Model ready", timeout=LOAD_TIMEOUT_MS
    )

    page.locator('input[name="label"]').fill("golden retreiver")
    expect(page.locator('[data-role="resolved"]')).to_have_text("no matching class")
    suggestion = page.locator(".suggestions button").first
    expect(suggestion).to_have_text("golden retriever")
    suggestion.click()
    expect(page.locator('[data-role="resolved"]')).to_have_text(
        "golden retriever, by its class name"
    )

    page.get_by_role("button", name="Generate random").click()
    expect(page.locator('[data-role="gallery"] figure')).to_have_count(
        4, timeout=30_000
    )
    picked = page.locator('input[name="label"]').input_value()
    expect(page.locator('[data-role="gallery"] figure').first).to_contain_text(picked)

    page.locator('input[name="steps"]').fill("5")
    page.get_by_role("button", name="Interpolate").click()
    expect(page.locator('[data-role="strip"] img')).to_have_count(5, timeout=30_000)
    expect(page.locator('[data-role="interpolation-message"]')).to_contain_text(
        "From golden retriever (seed 0) to tabby (seed 1)"
    )
    # The misspelt label got HTTP 404, which the browser logs.
    assert unexpected_errors(page.console_errors, {404}) == []


def test_missing_model_shows_setting(page, tmp_path: Path, start_live_server):
    server = start_live_server(
        env={"ANNLAB_BIGGAN_MODEL": str(tmp_path / "no-weights")}
    )
    page.goto(f"{server.url}/biggan")

    status = page.locator('[data-role="status"]')
    expect(status).to_contain_text("model not available", timeout=LOAD_TIMEOUT_MS)
    expect(status).to_contain_text("ANNLAB_BIGGAN_MODEL")
    page.locator('input[name="label"]').fill("tabby")
    expect(page.locator('[data-role="resolved"]')).to_have_text(
        "tabby, by its class name"
    )
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-role="message"]')).to_contain_text("ANNLAB_BIGGAN_MODEL")
    expect(page.locator('[data-role="message"]')).to_have_class("message error")
    # Without WordNet the default "soap bubble" got HTTP 404, and Generate got 503.
    assert unexpected_errors(page.console_errors, {404, 503}) == []
