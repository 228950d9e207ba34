"""Shared fixtures: an in-process client, a live server process and a browser page."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from annlab.core.settings import Settings
from annlab.main import create_app
from fastapi.testclient import TestClient

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
TEST_OUTPUT_DIR = REPOSITORY_ROOT / "test-output"
CHROMIUM_PATH = os.environ.get("ANNLAB_TEST_CHROMIUM", "/usr/bin/chromium")
TEACHER_TOKEN = "test-teacher-token"
SERVER_START_TIMEOUT_S = 60.0

# No test may download BigGAN weights or call a remote worker: every app and
# server of the session gets a local worker and a model folder that does not
# exist, unless a test passes its own settings.
os.environ["ANNLAB_BIGGAN_MODEL"] = str(REPOSITORY_ROOT / "tests" / "no-biggan-weights")
os.environ.pop("ANNLAB_BIGGAN_WORKER_URL", None)
# Tests of other lessons need no BigGAN worker process; BigGAN's own tests
# start it with their first request.
os.environ["ANNLAB_BIGGAN_AUTOSTART"] = "false"


def run_in_fresh_loop(coroutine: Coroutine):
    """Run `coroutine` on a new event loop in a worker thread; return its result.

    Once a browser test has started Playwright's sync API, an event loop keeps
    running in the main thread, where asyncio.run() would fail.
    """
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


@pytest.fixture
def run_async() -> Callable[[Coroutine], object]:
    """The function that runs a coroutine to completion from a sync test."""
    return run_in_fresh_loop


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh data folder, with a known teacher token."""
    return Settings(data_dir=tmp_path / "data", teacher_token=TEACHER_TOKEN)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The application in-process, with its start-up and shutdown run."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def find_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """A real `annlab serve` process on a loopback port."""

    url: str
    ws_url: str
    data_dir: Path
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(data_dir: Path, env: dict[str, str] | None = None) -> LiveServer:
    """Start `annlab serve` and wait until /api/health answers."""
    port = find_free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    process_env = {**os.environ, "ANNLAB_TEACHER_TOKEN": TEACHER_TOKEN, **(env or {})}
    command = [
        sys.executable,
        "-m",
        "annlab.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=process_env, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = LiveServer(
        url=f"http://127.0.0.1:{port}",
        ws_url=f"ws://127.0.0.1:{port}",
        data_dir=data_dir,
        process=process,
        log_path=log_path,
    )
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Server exited during start-up:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/api/health", timeout=1.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(
        f"Server did not answer within {SERVER_START_TIMEOUT_S} s:\n{server.log()}"
    )


def stop_server(server: LiveServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture
def start_live_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Return a factory that starts servers with extra `env`, stopped after the test."""
    servers: list[LiveServer] = []

    def start(
        env: dict[str, str] | None = None, data_dir: Path | None = None
    ) -> LiveServer:
        server = start_server(data_dir or tmp_path / f"server-{len(servers)}", env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_server(server)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server shared by the tests of a session that need no special settings."""
    server = start_server(tmp_path_factory.mktemp("live-server"))
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, headless."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}; run `make setup` to install it."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """Open a fresh page; save a screenshot to test-output/<test>.png afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    browser_page = context.new_page()
    console_errors: list[str] = []
    browser_page.on(
        "console",
        lambda message: (
            console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    browser_page.on("pageerror", lambda error: console_errors.append(str(error)))
    browser_page.console_errors = console_errors
    yield browser_page
    TEST_OUTPUT_DIR.mkdir(exist_ok=True)
    try:
        browser_page.screenshot(
            path=str(TEST_OUTPUT_DIR / f"{request.node.name}.png"), full_page=True
        )
    finally:
        context.close()
