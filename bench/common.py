"""Helpers shared by the benchmark scripts: a live server and a machine summary."""

import contextlib
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def describe_machine() -> str:
    """One line naming the CPU, the core count and the Python and torch versions."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"torch {torch_version}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `annlab serve` on a free loopback port; yield its http:// base URL."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "annlab.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                data_dir,
                "--log-level",
                "WARNING",
            ],
            # A model folder that does not exist keeps the BigGAN worker from
            # downloading weights while a benchmark runs.
            env={
                **os.environ,
                "ANNLAB_BIGGAN_MODEL": str(Path(data_dir) / "no-biggan-weights"),
                **(env or {}),
            },
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{url}/api/health", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("The server did not start") from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)
