"""Watch a whole GAN training run as a class would: pages and WebSocket viewers.

Starts `annlab serve` on a fresh data folder. A Chromium page acting as the
teacher saves the token and presses Start with the page's default settings
(50 epochs of 117 batches on the real Fashion-MNIST). Then other pages open
the lesson, and WebSocket viewers join: one at once, one after the first
epoch, and one that stops reading for two minutes after the first epoch. At
the end every page must show the finished run with a slider over every
epoch, and every viewer must have received each epoch once and in order.

Reported: wall time, seconds per epoch from the run record, and the
server's memory after the run. For each viewer: how far behind the first
viewer it received the epochs (at most, and for the last one), and the
longest pause between progress events.

Run: .venv/bin/python bench/gan_classroom.py [--epochs N] [--pages P] [--screenshot F]
(--epochs other than 50 changes the setting in the page's form.)
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import describe_machine, running_server  # noqa: E402

CHROMIUM_PATH = "/usr/bin/chromium"
TOKEN = "classroom-benchmark-token"
# A full default run takes tens of minutes on two cores.
RUN_LIMIT_SECONDS = 4 * 3600
STALL_SECONDS = 120.0


class Viewer:
    """Events that one WebSocket viewer received, with their arrival times."""

    def __init__(self, name: str):
        self.name = name
        self.epochs: list[tuple[int, float]] = []
        self.statuses: list[str] = []
        self.progress_times: list[float] = []


async def watch(url: str, viewer: Viewer, stall_after_epoch: int | None = None) -> None:
    """Record events until the run ends; optionally read nothing for a while."""
    import websockets

    # Like a browser, the viewer keeps taking frames off the network while its
    # reader stalls, so it still replies to the server's keepalive pings.
    async with websockets.connect(url, max_size=None, max_queue=None) as websocket:
        async with asyncio.timeout(RUN_LIMIT_SECONDS):
            while True:
                event = json.loads(await websocket.recv())
                now = time.monotonic()
                if event["type"] == "epoch":
                    viewer.epochs.append((event["epoch"], now))
                    if event["epoch"] == stall_after_epoch:
                        await asyncio.sleep(STALL_SECONDS)
                elif event["type"] == "progress":
                    viewer.progress_times.append(now)
                elif event["type"] == "status":
                    viewer.statuses.append(event["status"])
                    if event["status"] in ("finished", "failed", "stopped"):
                        return


async def watch_class(ws_url: str, run_url: str) -> list[Viewer]:
    import httpx

    first = Viewer("joined at start")
    late = Viewer("joined after epoch 1")
    slow = Viewer(f"reads nothing for {STALL_SECONDS:g} s after epoch 1")
    tasks = [
        asyncio.create_task(watch(ws_url, first)),
        asyncio.create_task(watch(ws_url, slow, stall_after_epoch=1)),
    ]
    async with httpx.AsyncClient() as client:
        while (await client.get(run_url)).json()["epochs_done"] < 1:
            await asyncio.sleep(1.0)
    tasks.append(asyncio.create_task(watch(ws_url, late)))
    await asyncio.gather(*tasks)
    return [first, late, slow]


def server_memory_mib(port: str) -> float | None:
    """Resident memory of the `annlab serve` process that listens on `port`."""
    output = subprocess.run(
        ["pgrep", "-f", f"annlab.cli serve.*--port {port}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    for pid in output:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return None


def check_page(page, epochs: int) -> None:
    from playwright.sync_api import expect

    limit_ms = 60_000
    expect(page.locator('[data-stat="status"]')).to_have_text(
        "finished", timeout=limit_ms
    )
    expect(page.locator('[data-stat="epoch"]')).to_have_text(f"{epochs} of {epochs}")
    expect(page.locator('input[name="epoch"]')).to_have_attribute("max", str(epochs))
    assert page.console_errors == [], page.console_errors


def wait_for_first_run(url: str) -> str:
    """Return the id of the run that the teacher's page started on the fresh server."""
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        runs = httpx.get(f"{url}/api/gan/runs").json()
        if runs:
            return runs[0]["id"]
        time.sleep(0.5)
    raise RuntimeError("The teacher's page started no run within a minute")


def run_pages(url: str, run_id_box: list, args: argparse.Namespace, finished) -> None:
    """Drive the teacher's page and the other pages in this thread."""
    epochs = args.epochs
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        pages = []
        for _ in range(args.pages):
            page = browser.new_page()
            page.console_errors = []
            page.on(
                "console",
                lambda message, page=page: (
                    message.type == "error" and page.console_errors.append(message.text)
                ),
            )
            pages.append(page)
        teacher = pages[0]
        teacher.goto(f"{url}/gan")
        teacher.locator('input[name="teacher-token"]').fill(TOKEN)
        teacher.get_by_role("button", name="Save token").click()
        if epochs != 50:
            teacher.locator("details.run-settings summary").click()
            teacher.locator('form.settings [name="epochs"]').fill(str(epochs))
        teacher.get_by_role("button", name="Start a run").click()
        run_id_box.append(wait_for_first_run(url))
        for page in pages[1:]:
            page.goto(f"{url}/gan")
        finished.wait(RUN_LIMIT_SECONDS)
        for page in pages:
            check_page(page, epochs)
        if args.screenshot:
            teacher.screenshot(path=args.screenshot, full_page=True)
        browser.close()


def summarize(viewers: list[Viewer], epochs: int) -> list[str]:
    lines = []
    first_arrival = dict(viewers[0].epochs)
    for viewer in viewers:
        numbers = [epoch for epoch, _ in viewer.epochs]
        complete = numbers == list(range(1, epochs + 1))
        delays = [arrival - first_arrival[epoch] for epoch, arrival in viewer.epochs]
        times = viewer.progress_times
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        lines.append(
            f"| {viewer.name} | {len(numbers)} | {'yes' if complete else 'NO'} "
            f"| {' > '.join(viewer.statuses)} | {len(viewer.progress_times)} "
            f"| {max(gaps, default=0):.1f} | {max(delays, default=0):.1f} "
            f"| {max(0.0, delays[-1]) if delays else 0:.1f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument(
        "--pages", type=int, default=2, help="browser pages, teacher included"
    )
    parser.add_argument(
        "--screenshot", help="save the teacher's page at the end to this PNG file"
    )
    args = parser.parse_args()

    import httpx

    env = {"ANNLAB_TEACHER_TOKEN": TOKEN}
    with running_server(env) as url:
        port = url.rsplit(":", 1)[1]
        run_id_box: list[str] = []
        finished = threading.Event()
        errors: list[BaseException] = []

        def pages_thread():
            try:
                run_pages(url, run_id_box, args, finished)
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        thread = threading.Thread(target=pages_thread)
        started = time.monotonic()
        thread.start()
        while not run_id_box and thread.is_alive():
            time.sleep(0.5)
        if not run_id_box:
            thread.join()
            raise RuntimeError(f"The teacher's page did not start a run: {errors}")
        run_id = run_id_box[0]
        run_url = f"{url}/api/gan/runs/{run_id}"
        ws_url = url.replace("http://", "ws://") + f"/ws/gan/runs/{run_id}"
        try:
            viewers = asyncio.run(watch_class(ws_url, run_url))
        finally:
            finished.set()
        wall = time.monotonic() - started
        thread.join()
        if errors:
            raise errors[0]
        run = httpx.get(run_url).json()
        memory = server_memory_mib(port)

    seconds = [epoch["seconds"] for epoch in run["epochs"]]
    print(f"Machine: {describe_machine()}")
    print(f"Command: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    print(
        f"Run {run_id}: {run['status']} on {run['device']}, "
        f"{run['epochs_done']} epochs, wall time {wall / 60:.1f} min, "
        f"seconds per epoch: median {statistics.median(seconds):.1f}, "
        f"min {min(seconds):.1f}, max {max(seconds):.1f}"
    )
    print(f"Browser pages: {args.pages}, each showed the finished run and all epochs")
    if memory is not None:
        print(f"Server resident memory after the run: {memory:.0f} MiB")
    print()
    print(
        "| Viewer | Epochs | All, in order | Statuses | Progress events "
        "| Longest progress pause (s) | Most behind first viewer (s) "
        "| Last epoch behind first viewer (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for line in summarize(viewers, args.epochs):
        print(line)


if __name__ == "__main__":
    main()
