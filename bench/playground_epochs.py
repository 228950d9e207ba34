"""Measure the feature-learning sandbox's training speed in Chromium.

The page trains in the browser and, while playing, draws every neuron's
heatmap, the links and the output in each frame. The script plays the
largest network (6 hidden layers of 8 neurons, all 7 features) and the
default one (4 and 2 neurons, x1 and x2), and counts epochs per second:

- with the frame rate unlimited and one epoch per frame, so every epoch is
  drawn and the number is the cost of training plus drawing;
- at Chromium's default 60 Hz frame clock, as on a student's screen;
- with 50 epochs per frame, which is mostly the cost of training.

Run: .venv/bin/python bench/playground_epochs.py
"""

import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import describe_machine, running_server  # noqa: E402

CHROMIUM_PATH = "/usr/bin/chromium"
WARM_UP_S = 2.0
MEASURE_S = 8.0
ALL_FEATURES = "x1,x2,x1Squared,x2Squared,x1TimesX2,sinX1,sinX2"
LARGEST = f"features={ALL_FEATURES}&networkShape=8,8,8,8,8,8"
DEFAULT = "features=x1,x2&networkShape=4,2"
BASE_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-timer-throttling"]
UNLIMITED_ARGS = ["--disable-frame-rate-limit", "--disable-gpu-vsync"]

READ_EPOCH = """() => [
  Number(document.querySelector('[data-stat=epoch]').textContent),
  performance.now(),
]"""
CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def chromium_cpu_seconds() -> float:
    """Return the CPU seconds (user + system) used so far by this script's Chromium.

    Other processes on a shared machine slow the wall clock down, but not
    this count, so epochs per CPU second compare across runs more fairly.
    """
    parents = {}
    times = {}
    for stat_path in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat_path.read_text()
        except OSError:
            continue
        # The command name in brackets may contain spaces, so count fields
        # from the closing bracket.
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        pid = int(stat_path.parent.name)
        parents[pid] = int(fields[1])
        if "chrom" in name:
            times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS_PER_S

    def is_descendant(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 1)
            if pid == os.getpid():
                return True
        return False

    return sum(seconds for pid, seconds in times.items() if is_descendant(pid))


def measure_epochs_per_second(browser, url: str) -> tuple[float, float]:
    """Play the page at `url` and return epochs per wall-clock second and per
    Chromium CPU second, both measured after a warm-up."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.locator(".pg-run .pg-node").first.wait_for()
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(WARM_UP_S * 1000)
    start_epoch, start_ms = page.evaluate(READ_EPOCH)
    start_cpu_s = chromium_cpu_seconds()
    page.wait_for_timeout(MEASURE_S * 1000)
    end_epoch, end_ms = page.evaluate(READ_EPOCH)
    end_cpu_s = chromium_cpu_seconds()
    failure = page.locator('[data-role="failure"]').inner_text()
    page.close()
    if failure:
        raise RuntimeError(f"Training stopped during the benchmark: {failure}")
    num_epochs = end_epoch - start_epoch
    return num_epochs / ((end_ms - start_ms) / 1000), num_epochs / (
        end_cpu_s - start_cpu_s
    )


def chromium_version() -> str:
    completed = subprocess.run(
        [CHROMIUM_PATH, "--version"], capture_output=True, text=True
    )
    return completed.stdout.strip()


def main() -> None:
    print(f"Machine: {describe_machine()}, {chromium_version()}")
    print(f"Load average before the run: {os.getloadavg()[0]:.1f}")
    results = {}
    with running_server() as base_url, sync_playwright() as playwright:
        page_url = f"{base_url}/playground#"
        unlimited = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=BASE_ARGS + UNLIMITED_ARGS,
        )
        results["largest, 1 epoch per frame, unlimited frame rate"] = (
            measure_epochs_per_second(
                unlimited, page_url + LARGEST + "&epochsPerFrame=1"
            )
        )
        results["default, 1 epoch per frame, unlimited frame rate"] = (
            measure_epochs_per_second(
                unlimited, page_url + DEFAULT + "&epochsPerFrame=1"
            )
        )
        results["largest, 50 epochs per frame, unlimited frame rate"] = (
            measure_epochs_per_second(
                unlimited, page_url + LARGEST + "&epochsPerFrame=50"
            )
        )
        unlimited.close()

        clocked = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=BASE_ARGS
        )
        results["largest, 1 epoch per frame, 60 Hz frame clock"] = (
            measure_epochs_per_second(clocked, page_url + LARGEST + "&epochsPerFrame=1")
        )
        clocked.close()

    print("| Measurement | Epochs per second | Epochs per Chromium CPU second |")
    print("|---|---|---|")
    for name, (rate, rate_per_cpu_s) in results.items():
        print(f"| {name} | {rate:.1f} | {rate_per_cpu_s:.1f} |")
    drawn, drawn_per_cpu_s = results["largest, 1 epoch per frame, unlimited frame rate"]
    print(
        f"Largest network, every epoch drawn: {drawn / 60:.2f} x a 60 Hz display's "
        f"frame rate ({drawn_per_cpu_s / 60:.2f} x per CPU second)"
    )


if __name__ == "__main__":
    main()
