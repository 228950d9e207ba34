"""The feature-learning sandbox in a real browser; all training runs in the page."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
TEST_OUTPUT_DIR = REPOSITORY_ROOT / "test-output"
PLAYGROUND_DIR = REPOSITORY_ROOT / "frontend" / "src" / "lessons" / "playground"
CHALLENGE_TIMEOUT_MS = 90_000

# Trains the challenge configuration with x1^2 and x2^2 in Node and prints the
# first epoch whose test loss is under the target, from the page's own modules.
NODE_CHALLENGE_SCRIPT = """
const dir = process.argv[1];
const { parseHash, CHALLENGE } = await import(`${dir}/settings.js`);
const { generateData } = await import(`${dir}/datasets.js`);
const { createTrainer } = await import(`${dir}/trainer.js`);
const { state } = parseHash("#challenge=true&features=x1,x2,x1Squared,x2Squared");
const shared = state.shared;
const data = generateData({ name: shared.dataset, noise: shared.noise,
  trainPercent: shared.trainPercent, seed: shared.seed });
const trainer = createTrainer({ config: state.configs[0], data, problem: shared.problem,
  seed: shared.seed, batchSize: shared.batchSize });
let epoch = null;
for (let k = 0; k < 5000 && epoch === null; k++) {
  const record = trainer.trainEpoch();
  if (record.testLoss < CHALLENGE.targetTestLoss) epoch = record.epoch;
}
console.log(JSON.stringify({ epoch, target: CHALLENGE.targetTestLoss }));
"""


def node_challenge_result() -> dict:
    completed = subprocess.run(
        [
            "node",
            "--input-type=module",
            "-e",
            NODE_CHALLENGE_SCRIPT,
            str(PLAYGROUND_DIR),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(completed.stdout)


def open_playground(page, live_server, hash_text: str = "") -> None:
    page.goto(f"{live_server.url}/playground{hash_text}")
    expect(page.locator('.pg-run[data-run="0"] .pg-node').first).to_be_visible()


def stat(page, name: str, run_index: int = 0) -> str:
    return page.locator(
        f'.pg-run[data-run="{run_index}"] [data-stat="{name}"]'
    ).inner_text()


def test_challenge_reached_with_squared_features(page, live_server):
    open_playground(page, live_server, "#challenge=true")
    challenge = page.locator('[data-role="challenge"]')
    expect(challenge).to_have_attribute("data-state", "pending")
    expect(challenge).to_contain_text("Not reached yet")
    assert "Reached" not in challenge.inner_text()
    target = float(re.search(r"below ([0-9.]+)", challenge.inner_text()).group(1))
    assert float(stat(page, "testLoss")) > target

    page.get_by_role("button", name="Feature x₁²").click()
    page.get_by_role("button", name="Feature x₂²").click()
    expect(page.locator('[data-feature="x1Squared"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert "features=x1,x2,x1Squared,x2Squared" in page.url
    page.get_by_role("button", name="Play").click()

    expect(challenge).to_have_attribute(
        "data-state", "reached", timeout=CHALLENGE_TIMEOUT_MS
    )
    TEST_OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(TEST_OUTPUT_DIR / "playground_challenge_reached.png"))
    page.get_by_role("button", name="Pause").click()
    assert float(stat(page, "testLoss")) < target

    # The same seed gives the same run in Node's V8 as in the browser.
    reached_epoch = int(
        re.search(r"Reached at epoch (\d+)", challenge.inner_text()).group(1)
    )
    expected = node_challenge_result()
    assert expected["target"] == target
    assert reached_epoch == expected["epoch"]
    assert page.console_errors == []


def test_linear_model_makes_no_progress_on_challenge(page, live_server):
    open_playground(page, live_server, "#challenge=true&epochsPerFrame=50")
    page.keyboard.press(" ")
    expect(page.locator('[data-stat="epoch"]')).not_to_have_text("000000")
    page.wait_for_function(
        "Number(document.querySelector('[data-stat=epoch]').textContent) >= 500",
        timeout=60_000,
    )
    page.keyboard.press(" ")
    expect(page.locator('[data-role="challenge"]')).to_have_attribute(
        "data-state", "pending"
    )
    assert float(stat(page, "testLoss")) > 0.4


def test_keyboard_steps_and_plays(page, live_server):
    open_playground(page, live_server)
    page.keyboard.press("ArrowRight")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("000001")
    page.keyboard.press("ArrowRight")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("000002")
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.wait_for_function(
        "Number(document.querySelector('[data-stat=epoch]').textContent) > 10"
    )
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Play")).to_be_visible()

    # Hovering the loss chart shows the epoch and both losses there.
    plot = page.locator(".pg-chart .u-over")
    box = plot.bounding_box()
    plot.hover(position={"x": box["width"] * 0.5, "y": box["height"] * 0.5})
    legend_values = page.locator(".pg-chart .u-legend .u-value")
    expect(legend_values.first).not_to_have_text("-")
    assert int(legend_values.nth(0).inner_text()) > 0
    assert float(legend_values.nth(1).inner_text()) > 0
    assert float(legend_values.nth(2).inner_text()) > 0


def test_nan_loss_pauses_with_explanation(page, live_server):
    open_playground(
        page,
        live_server,
        "#problem=regression&dataset=plane&activation=linear&learningRate=3&networkShape=8,8",
    )
    page.get_by_role("button", name="Play").click()
    failure = page.locator('[data-role="failure"]')
    expect(failure).to_contain_text("Training stopped at epoch", timeout=30_000)
    expect(failure).to_contain_text("learning rate 3 is too large")
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    stopped_at = int(
        re.search(r"stopped at epoch (\d+)", failure.inner_text()).group(1)
    )
    assert int(page.locator('[data-stat="epoch"]').inner_text()) == stopped_at - 1
    assert stat(page, "testLoss") != "-"

    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    page.get_by_role("button", name="Reset").click()
    expect(failure).to_have_text("")
    expect(page.locator('[data-stat="epoch"]')).to_have_text("000000")


def test_link_state_and_hidden_controls(page, live_server):
    open_playground(
        page,
        live_server,
        "#dataset=xor&seed=42&learningRate=0.1&networkShape=3&hide=noise,learningRate,features",
    )
    expect(page.locator('[data-dataset="xor"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator('input[name="seed"]')).to_have_value("42")
    expect(page.locator('[data-control="noise"]')).to_be_hidden()
    expect(page.locator("#pg-A-learningRate")).to_be_hidden()
    expect(page.locator('[data-feature="x1"]')).to_be_disabled()
    expect(page.locator("#pg-A-activation")).to_be_visible()
    assert page.locator('.pg-node[data-layer="1"]').count() == 3

    page.locator("#pg-A-activation").select_option(label="ReLU")
    assert "activation=relu" in page.url
    assert "learningRate=0.1" in page.url
    assert "hide=noise,features,learningRate" in page.url

    page.reload()
    expect(page.locator("#pg-A-activation")).to_have_value("0")
    expect(page.locator('[data-control="noise"]')).to_be_hidden()


def test_warns_about_invalid_link_values(page, live_server):
    open_playground(page, live_server, "#learningRate=7&batchSize=0")
    warnings = page.locator('[data-role="warnings"]')
    expect(warnings).to_contain_text('learningRate to "7"')
    expect(warnings).to_contain_text('batchSize to "0"')
    assert "learningRate=0.03" in page.url


def test_bias_edit_by_click(page, live_server):
    open_playground(page, live_server)
    bias = page.locator('.pg-node[data-layer="1"][data-neuron="0"] .pg-bias')
    bias.hover()
    card = page.locator(".pg-card")
    expect(card).to_contain_text("Bias of neuron 1 of hidden layer 1: 0.100")
    bias.click()
    editor = card.locator('input[name="parameter"]')
    editor.fill("-2.5")
    editor.press("Enter")
    page.mouse.move(5, 5)
    bias.hover()
    expect(card).to_contain_text("Bias of neuron 1 of hidden layer 1: -2.500")


def test_weight_hover_and_edit(page, live_server):
    open_playground(page, live_server, "#networkShape=1&features=x1")
    diagram = page.locator(".pg-network-diagram")
    # The only link into the hidden neuron, sampled on its straight path.
    position = page.evaluate(
        """() => {
          const box = (query) => document.querySelector(query).getBoundingClientRect();
          const input = box('[data-feature="x1"]');
          const hidden = box('.pg-node[data-layer="1"]');
          const y = input.top + input.height / 2;
          return { x: (input.right + hidden.left) / 2, y };
        }"""
    )
    page.mouse.move(position["x"], position["y"])
    card = diagram.locator(".pg-card")
    expect(card).to_contain_text("Weight from x₁ to neuron 1 of hidden layer 1")
    page.mouse.click(position["x"], position["y"])
    card.locator('input[name="parameter"]').fill("3")
    card.locator('input[name="parameter"]').press("Enter")
    page.mouse.move(position["x"], position["y"] + 1)
    expect(card).to_contain_text("hidden layer 1: 3.000")


def read_added_point(notice_text: str) -> tuple[float, float]:
    match = re.search(r"point at \((-?[0-9.]+), (-?[0-9.]+)\)", notice_text)
    return float(match.group(1)), float(match.group(2))


def test_click_adds_points_and_csv_round_trip(page, live_server, tmp_path: Path):
    open_playground(page, live_server)
    output = page.locator('.pg-run[data-run="0"] .pg-output-points')
    box = output.bounding_box()
    output.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    notice = page.locator('[data-role="notice"]')
    expect(notice).to_contain_text("Added a +1 point at")
    assert read_added_point(notice.inner_text()) == pytest.approx((3, 3), abs=0.1)
    output.click(
        position={"x": box["width"] * 0.25, "y": box["height"] * 0.75},
        modifiers=["Shift"],
    )
    expect(notice).to_contain_text("Added a -1 point at")
    assert read_added_point(notice.inner_text()) == pytest.approx((-3, -3), abs=0.1)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    exported = Path(download_info.value.path()).read_text()
    lines = exported.strip().split("\n")
    assert lines[0] == "x1,x2,label,set"
    assert len(lines) == 1 + 500 + 2
    train_rows = [line.split(",") for line in lines[1:] if line.endswith(",train")]
    assert len(train_rows) == 250 + 2
    added = train_rows[-2:]
    assert [row[2:] for row in added] == [["1", "train"], ["-1", "train"]]
    assert float(added[0][0]) == pytest.approx(3, abs=0.1)
    assert float(added[1][1]) == pytest.approx(-3, abs=0.1)

    upload = tmp_path / "four.csv"
    upload.write_text(
        "x1,x2,label,set\n1,1,1,train\n-1,-1,-1,train\n2,2,1,test\n-2,-2,-1,test\n"
    )
    page.locator('[data-role="points-file"]').set_input_files(str(upload))
    expect(notice).to_contain_text(
        "Imported 2 training and 2 test points from four.csv"
    )

    upload.write_text("x1,x2,label\n1,1,3\n")
    page.locator('[data-role="points-file"]').set_input_files(str(upload))
    expect(page.locator('[data-role="failure"]')).to_contain_text(
        "Could not import four.csv: Line 2: label 3 is invalid for classification"
    )


def test_compare_two_networks_and_exports(page, live_server):
    open_playground(
        page, live_server, "#compare=true&b.learningRate=0.3&epochsPerFrame=5"
    )
    expect(page.locator(".pg-run")).to_have_count(2)
    expect(page.locator("#pg-B-learningRate")).to_have_value("7")
    page.get_by_role("button", name="Step").click()
    expect(page.locator('[data-stat="epoch"]')).to_have_text("000001")
    assert stat(page, "testLoss", 0) != stat(page, "testLoss", 1)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Loss history CSV").click()
    history = Path(download_info.value.path()).read_text().strip().split("\n")
    assert history[0].startswith("epoch,A_trainLoss,A_testLoss,A_trainAccuracy")
    assert "B_testLoss" in history[0]
    assert [line.split(",")[0] for line in history[1:]] == ["0", "1"]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Picture PNG").click()
    image = Path(download_info.value.path()).read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert download_info.value.suggested_filename == "feature-learning.png"
    assert page.console_errors == []


# Regression on the plane with ReLU at rate 10: the loss is 4.94e+227 after
# epoch 2 and overflows in epoch 3.
DIVERGING_LINK = (
    "#problem=regression&dataset=plane&activation=relu&learningRate=10"
    "&networkShape=4,2,2,2,2"
)


def y_tick_labels(page) -> list[str]:
    chart = page.locator(".pg-chart")
    expect(chart).to_have_attribute("data-y-ticks", re.compile(r"\S"))
    return chart.get_attribute("data-y-ticks").split(" ")


def test_loss_readable_from_start_to_divergence(page, live_server):
    open_playground(page, live_server, DIVERGING_LINK)
    # Epoch 0 has a single loss value: the ticks still differ from each other.
    ticks = y_tick_labels(page)
    assert ticks[0] == "0"
    assert len(ticks) >= 3
    assert len(set(ticks)) == len(ticks)

    page.get_by_role("button", name="Play").click()
    failure = page.locator('[data-role="failure"]')
    expect(failure).to_contain_text("Training stopped at epoch 3", timeout=30_000)
    assert stat(page, "testLoss") == "4.94e+227"
    assert stat(page, "trainLoss").endswith("e+227")
    chart = page.locator(".pg-chart")
    expect(chart).to_have_attribute("data-y-ticks", re.compile(r"e\+227$"))
    ticks = y_tick_labels(page)
    assert ticks[0] == "0"
    assert len(set(ticks)) == len(ticks)

    plot = page.locator(".pg-chart .u-over")
    box = plot.bounding_box()
    plot.hover(position={"x": box["width"] - 2, "y": box["height"] * 0.5})
    test_value = page.locator(".pg-chart .u-legend .u-value").nth(2)
    expect(test_value).to_have_text("4.944e+227")
    assert page.console_errors == []


def test_regression_legend_explains_points(page, live_server):
    open_playground(page, live_server)
    legend = page.locator('.pg-run[data-run="0"] .pg-legend')
    expect(legend.locator(".pg-class-legend").first).to_be_visible()
    expect(legend.locator(".pg-target-legend").first).to_be_hidden()

    page.locator('select[name="problem"]').select_option(label="Regression")
    expect(legend.locator(".pg-class-legend").first).to_be_hidden()
    for part in legend.locator(".pg-target-legend").all():
        expect(part).to_be_visible()
    expect(legend).to_contain_text("colour is the target value")
    expect(legend).to_contain_text("target ≤ 0")
    expect(legend).to_contain_text("target > 0")


def test_seed_out_of_range_is_rejected(page, live_server):
    open_playground(page, live_server, "#seed=42")
    seed = page.locator('input[name="seed"]')
    error = page.locator('[data-role="input-error"]')
    for text in ["-1", "99999999999999999999", "1000000"]:
        seed.fill(text)
        seed.press("Enter")
        expect(error).to_have_text(
            f'Seed must be a whole number from 0 to 999999, got "{text}"; keeping 42.'
        )
        expect(seed).to_have_value("42")
        assert "seed=42" in page.url

    seed.fill("7")
    seed.press("Enter")
    expect(error).to_be_hidden()
    assert "seed=7&" in page.url

    seed.fill("-5")
    seed.press("Enter")
    expect(error).to_contain_text("keeping 7.")
    page.get_by_role("button", name="Regenerate").click()
    expect(error).to_be_hidden()

    open_playground(page, live_server, "#seed=-1")
    expect(page.locator('[data-role="warnings"]')).to_contain_text(
        'The link sets seed to "-1", but it must be a whole number from 0 to 999999'
    )
    expect(seed).to_have_value("1")
    assert page.console_errors == []


def test_leaving_page_logs_no_errors(page, live_server):
    open_playground(page, live_server, "#epochsPerFrame=5")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "Number(document.querySelector('[data-stat=epoch]').textContent) > 5"
    )
    page.get_by_role("link", name="Gradient descent").click()
    expect(page.locator(".playground")).to_have_count(0)
    page.go_back()
    expect(page.locator('.pg-run[data-run="0"] .pg-node').first).to_be_visible()
    page.get_by_role("button", name="Step").click()
    page.get_by_role("link", name="Gradient descent").click()
    expect(page.locator(".playground")).to_have_count(0)
    page.wait_for_timeout(500)
    assert page.console_errors == []
