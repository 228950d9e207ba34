"""Run the BigGAN worker as a child process of the web server; restart it on exit."""

import asyncio
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

logger = logging.getLogger(__name__)

PORT_FILE_TIMEOUT_S = 60.0
POLL_INTERVAL_S = 0.1
FIRST_RESTART_DELAY_S = 0.5
MAX_RESTART_DELAY_S = 30.0
# A worker that ran at least this long before exiting is restarted without back-off.
STABLE_UPTIME_S = 30.0
STOP_TIMEOUT_S = 5.0


class LocalWorkerProcess:
    """Supervises one `python -m annlab.engines.biggan.worker` on a loopback port.

    The worker picks a free port and writes it to a file, which sets `url`.
    While the process is down or starting, `url` is None. A worker that exits
    is started again after a delay that doubles, up to 30 s, while it keeps
    exiting within 30 s of its start.
    """

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        token: str,
        device: str = "auto",
        max_batch: int = 16,
        max_wait_ms: float = 20.0,
    ) -> None:
        self.model = model
        self.cache_dir = cache_dir
        self.token = token
        self.device = device
        self.max_batch = max_batch
        self.max_wait_ms = max_wait_ms
        self.url: str | None = None
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.last_exit_code: int | None = None
        self._task: asyncio.Task | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="annlab-biggan-"))

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def _command(self, port_file: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "annlab.engines.biggan.worker",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--port-file",
            str(port_file),
            "--model",
            self.model,
            "--cache-dir",
            str(self.cache_dir),
            "--device",
            self.device,
            "--max-batch",
            str(self.max_batch),
            "--max-wait-ms",
            str(self.max_wait_ms),
            "--parent-pid",
            str(os.getpid()),
        ]

    def _spawn(self) -> Path:
        self.starts += 1
        port_file = self._folder / f"port-{self.starts}"
        # The token goes through the environment: command lines are visible to
        # every user of the machine.
        environment = {**os.environ, "ANNLAB_BIGGAN_WORKER_TOKEN": self.token}
        self.process = subprocess.Popen(self._command(port_file), env=environment)
        logger.info("Started the local BigGAN worker, process %d", self.process.pid)
        return port_file

    async def _wait_for_port(self, port_file: Path) -> bool:
        deadline = time.monotonic() + PORT_FILE_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if port_file.is_file():
                port = int(port_file.read_text(encoding="utf-8"))
                self.url = f"http://127.0.0.1:{port}"
                return True
            await asyncio.sleep(POLL_INTERVAL_S)
        logger.error(
            "The local BigGAN worker (process %d) did not report its port "
            "within %.0f s",
            self.process.pid,
            PORT_FILE_TIMEOUT_S,
        )
        return False

    async def _supervise(self) -> None:
        delay = FIRST_RESTART_DELAY_S
        while True:
            started_at = time.monotonic()
            port_file = self._spawn()
            if await self._wait_for_port(port_file):
                while self.process.poll() is None:
                    await asyncio.sleep(POLL_INTERVAL_S)
            else:
                self._kill()
            self.url = None
            self.last_exit_code = self.process.poll()
            uptime = time.monotonic() - started_at
            delay = FIRST_RESTART_DELAY_S if uptime >= STABLE_UPTIME_S else delay
            logger.warning(
                "The local BigGAN worker (process %d) exited with code %s "
                "after %.1f s; "
                "restarting in %.1f s",
                self.process.pid,
                self.last_exit_code,
                uptime,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RESTART_DELAY_S)

    def start(self) -> None:
        """Start the worker and its supervisor task on the running event loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._supervise(), name="biggan-worker-supervisor"
            )

    def _kill(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    async def stop(self) -> None:
        """Stop the supervisor and the worker process, and remove the port files."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await asyncio.to_thread(self._kill)
        self.url = None
        shutil.rmtree(self._folder, ignore_errors=True)
        logger.info("Stopped the local BigGAN worker")
