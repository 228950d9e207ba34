"""The BigGAN page in a real browser against a live server with a tiny random model."""

import re
from pathlib import Path

import pytest
from annlab.engines.biggan.tiny_model import save_random_model
from annlab.engines.biggan.wordnet_setup import prepare_wordnet
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 90_000
DRAW_BUTTONS = ("Generate", "Generate random", "Interpolate")

# Reads the model state and the Generate button in one step, so that both
# describe the same moment; returns null once the model is ready.
NOT_READY_SNAPSHOT_JS = """() => {
  const state = document.querySelector('[data-model-state]')?.dataset.modelState;
  if (state !== 'down' && state !== 'loading') return null;
  const generate = document.querySelector('[data-action="generate"]');
  const hint = document.querySelector('[data-role="draw-blocked"]');
  const hintText = hint.hidden ? '' : hint.textContent;
  return { state, disabled: generate.disabled, hint: hintText };
}"""


def draw_button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def record_resolve_requests(page) -> list[str]:
    """Collect the URL of every label resolve request the page sends."""
    urls: list[str] = []
    page.on(
        "request",
        lambda request: (
            urls.append(request.url) if "/api/biggan/resolve" in request.url else None
        ),
    )
    return urls


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
    # The page's first status request starts the worker, so the model is not
    # ready yet: drawing is off and the page shows the reason.
    snapshot = page.wait_for_function(NOT_READY_SNAPSHOT_JS).json_value()
    assert snapshot["disabled"] is True
    assert "image model" in snapshot["hint"]
    expect(page.locator('[data-role="status"]')).to_contain_text(
        "Model ready", timeout=LOAD_TIMEOUT_MS
    )
    for name in DRAW_BUTTONS:
        expect(draw_button(page, name)).to_be_enabled()
    expect(page.locator('[data-role="draw-blocked"]')).to_be_hidden()
    expect(page.locator('[data-role="interpolate-blocked"]')).to_be_hidden()
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

    resolve_urls = record_resolve_requests(page)
    label = page.locator('input[name="label"]')
    label.fill("")
    label.press_sequentially("golden retreiver", delay=30)
    expect(page.locator('[data-role="resolved"]')).to_have_text("no matching class")
    suggestion = page.locator(".suggestions button").first
    expect(suggestion).to_have_text("golden retriever")
    # The page waits for a pause in typing: one look-up for the whole word,
    # plus at most one for the empty field after fill("").
    assert 1 <= len(resolve_urls) <= 2
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

    # An end label without a class is reported before anything is drawn.
    page.locator('input[name="from"]').fill("zzzzqqq")
    page.get_by_role("button", name="Interpolate").click()
    message = page.locator('[data-role="interpolation-message"]')
    expect(message).to_contain_text("From: ")
    expect(message).to_contain_text("'zzzzqqq'")
    expect(page.locator('[data-role="strip"] img')).to_have_count(5)

    # Generate with a word without a class draws nothing and points to the
    # suggestions.
    page.locator('input[name="label"]').fill("golden retreiver")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-role="message"]')).to_contain_text("suggestions")
    expect(page.locator('[data-role="gallery"] figure')).to_have_count(4)
    assert page.console_errors == []


def test_missing_model_explained_once(page, tmp_path: Path, start_live_server):
    weights = tmp_path / "no-weights"
    server = start_live_server(env={"ANNLAB_BIGGAN_MODEL": str(weights)})
    resolve_urls = record_resolve_requests(page)
    page.goto(f"{server.url}/biggan")

    status = page.locator('[data-role="status"]')
    expect(status).to_contain_text(
        "The image model is not installed on this server", timeout=LOAD_TIMEOUT_MS
    )
    expect(status).to_contain_text("Ask your teacher")
    # The setting and the path are there for the teacher, folded away, once.
    details = status.locator("details")
    expect(details.locator("summary")).to_have_text("Details for the teacher")
    expect(details.locator("li").first).to_be_hidden()
    main_text = page.locator("main").text_content()
    assert main_text.count("ANNLAB_BIGGAN_MODEL") == 1
    assert main_text.count(str(weights)) == 1
    details.locator("summary").click()
    expect(details.locator("li").first).to_be_visible()
    expect(details).to_contain_text("ANNLAB_BIGGAN_MODEL")
    expect(details).to_contain_text(str(weights))

    for name in DRAW_BUTTONS:
        expect(draw_button(page, name)).to_be_disabled()
    expect(page.locator('[data-role="draw-blocked"]')).to_have_text(
        "Drawing is off: the image model is not available (see the note at the top)."
    )
    expect(page.locator('[data-role="interpolate-blocked"]')).to_be_visible()
    assert "not available" in draw_button(page, "Generate").evaluate(
        "button => document.getElementById("
        "button.getAttribute('aria-describedby')).textContent"
    )

    # Without WordNet the default "soap bubble" matches no class name: the
    # page shows the close names as a result, not as a failed request.
    expect(page.locator('[data-role="resolved"]')).to_have_text("no matching class")
    expect(page.locator(".suggestions button").first).to_have_text("bubble")
    label = page.locator('input[name="label"]')
    label.fill("")
    label.press_sequentially("zzzzqqq", delay=30)
    expect(page.locator('[data-role="resolved-detail"]')).to_contain_text("'zzzzqqq'")
    label.fill("tabby")
    expect(page.locator('[data-role="resolved"]')).to_have_text(
        "tabby, by its class name"
    )
    assert len(resolve_urls) <= 5
    label.press("Enter")
    expect(page.locator('[data-role="message"]')).to_have_text("")

    page.get_by_role("link", name="Feature learning").click()
    expect(page.locator(".playground")).to_be_visible()
    page.wait_for_timeout(500)
    assert page.console_errors == []


def test_link_with_bad_numbers_is_reported(page, tmp_path: Path, start_live_server):
    server = start_live_server(
        env={"ANNLAB_BIGGAN_MODEL": str(tmp_path / "no-weights")}
    )
    page.goto(f"{server.url}/biggan#label=dog&count=40&seed=abc&truncation=0.5")

    message = page.locator('[data-role="message"]')
    expect(message).to_contain_text(
        "The link's count 40 is outside 1 to 16, so 16 is used."
    )
    expect(message).to_contain_text('seed "abc" is not a whole number')
    expect(message).not_to_contain_text("truncation")
    expect(page.locator('input[name="count"]')).to_have_value("16")
    expect(page.locator('input[name="seed"]')).to_have_value("")
    assert page.console_errors == []


def test_lookup_in_flight_is_shown(page, tmp_path: Path, start_live_server):
    server = start_live_server(
        env={"ANNLAB_BIGGAN_MODEL": str(tmp_path / "no-weights")}
    )
    # Hold the label look-ups, as a server that is still loading WordNet does.
    held_routes = []
    page.route("**/api/biggan/resolve/batch", lambda route: held_routes.append(route))
    page.goto(f"{server.url}/biggan#label=tabby")

    resolved = page.locator('[data-role="resolved"]')
    expect(resolved).to_have_text('looking up "tabby"...')
    assert len(held_routes) == 1
    for route in held_routes:
        route.continue_()
    expect(resolved).to_have_text("tabby, by its class name")
    assert page.console_errors == []


def test_link_follows_form_edits(page, tmp_path: Path, start_live_server):
    server = start_live_server(
        env={"ANNLAB_BIGGAN_MODEL": str(tmp_path / "no-weights")}
    )
    page.goto(f"{server.url}/biggan#count=99&seed=-4")
    message = page.locator('[data-role="message"]')
    expect(message).to_contain_text("The link's count 99 is outside 1 to 16")
    expect(message).to_contain_text("The link's seed -4 is outside")

    page.locator('input[name="count"]').fill("3")
    expect(message).not_to_contain_text("count")
    expect(message).to_contain_text("seed -4")
    expect(page).to_have_url(re.compile(r"count=3(&|$)"))
    assert "count=99" not in page.url

    page.locator('input[name="seed"]').fill("5")
    expect(message).to_have_text("")
    expect(page).to_have_url(re.compile(r"seed=5(&|$)"))
    assert "seed=-4" not in page.url

    label = page.locator('input[name="label"]')
    label.fill("")
    label.press_sequentially("tabby", delay=30)
    expect(page).to_have_url(re.compile(r"label=tabby(&|$)"))
    page.locator('input[name="truncation"]').fill("0.7")
    page.locator('input[name="from"]').fill("goldfish")
    page.locator('input[name="to"]').fill("lynx")
    page.locator('input[name="steps"]').fill("4")
    expect(page).to_have_url(re.compile(r"steps=4(&|$)"))

    page.reload()
    expect(label).to_have_value("tabby")
    expect(page.locator('[data-role="resolved"]')).to_have_text(
        "tabby, by its class name"
    )
    expect(page.locator('input[name="truncation"]')).to_have_value("0.7")
    expect(page.locator('input[name="seed"]')).to_have_value("5")
    expect(page.locator('input[name="count"]')).to_have_value("3")
    expect(page.locator('input[name="from"]')).to_have_value("goldfish")
    expect(page.locator('input[name="to"]')).to_have_value("lynx")
    expect(page.locator('input[name="steps"]')).to_have_value("4")
    expect(message).to_have_text("")
    assert page.console_errors == []
