"""The BigGAN API with a dying, model-less or remote worker, and without WordNet."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nltk
import pytest
from annlab.core.settings import Settings
from annlab.engines.biggan.tiny_model import save_random_model
from annlab.main import create_app
from fastapi.testclient import TestClient

READY_TIMEOUT_S = 90.0
WORKER_TOKEN = "remote-worker-token"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_random_model(tmp_path_factory.mktemp("tiny-biggan"))


@pytest.fixture(autouse=True)
def quick_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep these apps light: one PyTorch thread per worker, and no WordNet to load."""
    # Worker processes inherit the variable; tiny forward passes run fastest
    # on one thread on a shared machine.
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    # Other tests may have put a WordNet folder on nltk.data.path; none here uses it.
    monkeypatch.setattr(nltk.data, "path", [])


def wait_for_model(client: TestClient, states: set[str]) -> dict:
    deadline = time.monotonic() + READY_TIMEOUT_S
    status = None
    while time.monotonic() < deadline:
        status = client.get("/api/biggan/status").json()
        if status["model"] is not None and status["model"]["state"] in states:
            return status
        time.sleep(0.2)
    raise AssertionError(f"Model state never reached {states}: {status}")


def test_killed_worker_gives_503_then_recovers(tmp_path: Path, tiny_model: Path):
    # The long batch wait keeps the request inside the worker while it is killed.
    settings = Settings(
        data_dir=tmp_path / "data",
        biggan_model=str(tiny_model),
        biggan_device="cpu",
        biggan_max_wait_ms=2000,
        teacher_token="test-teacher-token",
    )
    with TestClient(create_app(settings)) as client:
        wait_for_model(client, {"ready"})
        process = client.app.state.biggan.worker_process
        first_pid = process.pid

        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(
                client.post, "/api/biggan/samples", json={"class_index": 1, "seed": 1}
            )
            deadline = time.monotonic() + 20
            while client.get("/api/biggan/status").json()["model"]["queue_length"] < 1:
                assert time.monotonic() < deadline, (
                    "the request never reached the worker"
                )
                time.sleep(0.05)
            os.kill(first_pid, signal.SIGKILL)
            response = pending.result(timeout=60)

        assert response.status_code == 503
        assert "not reachable" in response.json()["detail"]["message"]
        assert response.json()["detail"]["state"] == "down"

        status = wait_for_model(client, {"ready"})
        assert process.pid != first_pid
        assert process.starts == 2
        assert status["worker"]["reachable"] is True
        recovered = client.post(
            "/api/biggan/samples", json={"class_index": 1, "seed": 1}
        )
        assert recovered.status_code == 200


def test_server_without_weights_or_wordnet(tmp_path: Path):
    settings = Settings(
        data_dir=tmp_path / "data",
        biggan_model=str(tmp_path / "no-weights"),
        teacher_token="test-teacher-token",
    )
    with TestClient(create_app(settings)) as client:
        status = wait_for_model(client, {"unavailable", "ready"})

        assert client.get("/api/health").status_code == 200
        assert status["model"]["state"] == "unavailable"
        assert "ANNLAB_BIGGAN_MODEL" in status["model"]["message"]
        assert status["wordnet"]["state"] == "off"
        assert "WordNet search is off" in status["wordnet"]["message"]

        by_name = client.post("/api/biggan/resolve", json={"label": "Tabby Cat"})
        assert by_name.status_code == 200
        assert by_name.json()["index"] == 281

        by_wordnet = client.post("/api/biggan/resolve", json={"label": "dog"})
        assert by_wordnet.status_code == 404
        assert "WordNet search is off" in by_wordnet.json()["detail"]["message"]

        batch = client.post(
            "/api/biggan/resolve/batch", json={"labels": ["dog", "tabby"]}
        ).json()
        assert batch["wordnet"] is False
        assert [result["found"] for result in batch["results"]] == [False, True]

        drawn = client.post("/api/biggan/samples", json={"label": "tabby"})
        assert drawn.status_code == 503
        assert drawn.json()["detail"]["state"] == "unavailable"
        assert drawn.json()["detail"]["setting"] == "ANNLAB_BIGGAN_MODEL"
        assert "does not exist" in drawn.json()["detail"]["message"]


@pytest.fixture(scope="module")
def remote_worker(
    tmp_path_factory: pytest.TempPathFactory, tiny_model: Path
) -> Iterator[str]:
    """A worker started as on a GPU machine (`annlab biggan-worker`), on loopback."""
    folder = tmp_path_factory.mktemp("remote-worker")
    port_file = folder / "port"
    environment = {
        **os.environ,
        "ANNLAB_BIGGAN_WORKER_TOKEN": WORKER_TOKEN,
        "OMP_NUM_THREADS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "annlab.cli",
            "biggan-worker",
            "--port",
            "0",
            "--port-file",
            str(port_file),
            "--model",
            str(tiny_model),
            "--device",
            "cpu",
        ],
        env=environment,
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not port_file.is_file():
        assert process.poll() is None, "the worker exited during start-up"
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port_file.read_text()}"
    process.terminate()
    process.wait(timeout=10)


def test_remote_worker_serves_samples(tmp_path: Path, remote_worker: str):
    settings = Settings(
        data_dir=tmp_path / "data",
        biggan_worker_url=remote_worker,
        biggan_worker_token=WORKER_TOKEN,
        teacher_token="test-teacher-token",
    )
    with TestClient(create_app(settings)) as client:
        status = wait_for_model(client, {"ready"})
        response = client.post(
            "/api/biggan/samples", json={"class_index": 207, "seed": 4}
        )

    assert status["worker"]["mode"] == "remote"
    assert status["worker"]["url"] == remote_worker
    assert status["worker"]["pid"] is None
    assert response.status_code == 200
    assert response.json()["width"] == 32


def test_remote_worker_with_wrong_token_is_502(tmp_path: Path, remote_worker: str):
    settings = Settings(
        data_dir=tmp_path / "data",
        biggan_worker_url=remote_worker,
        biggan_worker_token="wrong-token",
        teacher_token="test-teacher-token",
    )
    with TestClient(create_app(settings)) as client:
        status = client.get("/api/biggan/status").json()
        response = client.post(
            "/api/biggan/samples", json={"class_index": 207, "seed": 4}
        )

    assert status["worker"]["reachable"] is False
    assert "token" in status["worker"]["message"]
    assert response.status_code == 502
    assert "token" in response.json()["detail"]["message"]


def test_unreachable_remote_worker_is_503(tmp_path: Path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = Settings(
        data_dir=tmp_path / "data",
        biggan_worker_url=f"http://127.0.0.1:{closed_port}",
        biggan_worker_token=WORKER_TOKEN,
        teacher_token="test-teacher-token",
    )
    with TestClient(create_app(settings)) as client:
        status = client.get("/api/biggan/status").json()
        response = client.post("/api/biggan/samples", json={"class_index": 207})
        resolved = client.post("/api/biggan/resolve", json={"label": "tabby"})

    assert status["worker"]["reachable"] is False
    assert status["model"] is None
    assert response.status_code == 503
    assert "not reachable" in response.json()["detail"]["message"]
    assert resolved.status_code == 200


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers signal 0 until its new parent reaps it.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_local_worker_exits_with_killed_server(start_live_server):
    import httpx

    server = start_live_server(env={"ANNLAB_BIGGAN_AUTOSTART": "true"})
    worker_pid = None
    deadline = time.monotonic() + 60
    while worker_pid is None and time.monotonic() < deadline:
        worker = httpx.get(f"{server.url}/api/biggan/status").json()["worker"]
        worker_pid = worker["pid"] if worker["reachable"] else None
        time.sleep(0.2)
    assert worker_pid is not None

    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    deadline = time.monotonic() + 15
    while process_exists(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not process_exists(worker_pid)
