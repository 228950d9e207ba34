"""The BigGAN worker process: token, loading state, images, batching, errors."""

import base64
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
from annlab.engines.biggan.tiny_model import save_random_model
from annlab.engines.biggan.worker import (
    BigGANWorker,
    InvalidRequest,
    parse_generate_request,
)
from PIL import Image

TOKEN = "worker-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START_TIMEOUT_S = 60.0


@dataclass
class WorkerProcess:
    url: str
    process: subprocess.Popen


def start_worker(
    tmp_path: Path, model: str, max_wait_ms: float = 20.0, max_batch: int = 16
) -> WorkerProcess:
    port_file = tmp_path / f"port-{max_batch}"
    environment = {
        **os.environ,
        "ANNLAB_BIGGAN_WORKER_TOKEN": TOKEN,
        "OMP_NUM_THREADS": "1",
    }
    command = [
        sys.executable,
        "-m",
        "annlab.engines.biggan.worker",
        "--port",
        "0",
        "--port-file",
        str(port_file),
        "--model",
        model,
        "--device",
        "cpu",
        "--max-wait-ms",
        str(max_wait_ms),
        "--max-batch",
        str(max_batch),
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    process = subprocess.Popen(command, env=environment)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not port_file.is_file():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"The worker did not start (exit code {process.poll()})")
        time.sleep(0.05)
    return WorkerProcess(f"http://127.0.0.1:{port_file.read_text()}", process)


def stop_worker(worker: WorkerProcess) -> None:
    worker.process.terminate()
    worker.process.wait(timeout=10)


def wait_for_state(worker: WorkerProcess, states: set[str]) -> dict:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        status = httpx.get(f"{worker.url}/status", headers=AUTH).json()
        if status["state"] in states:
            return status
        time.sleep(0.1)
    raise AssertionError(f"Worker state stayed {status['state']}: {status}")


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    folder = tmp_path_factory.mktemp("worker")
    process = start_worker(folder, str(save_random_model(folder / "tiny")))
    wait_for_state(process, {"ready", "unavailable"})
    yield process
    stop_worker(process)


@pytest.fixture(scope="module")
def batching_worker(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WorkerProcess]:
    """A worker whose batches close only when full (4 images) or after 10 s."""
    folder = tmp_path_factory.mktemp("batching-worker")
    model_dir = save_random_model(folder / "tiny")
    process = start_worker(folder, str(model_dir), max_wait_ms=10_000, max_batch=4)
    wait_for_state(process, {"ready", "unavailable"})
    yield process
    stop_worker(process)


def item(index: int = 207, seed: int = 1, truncation: float = 0.4) -> dict:
    return {"classes": [[index, 1.0]], "noise": [[seed, 1.0]], "truncation": truncation}


def generate(worker: WorkerProcess, items: list[dict]) -> httpx.Response:
    return httpx.post(
        f"{worker.url}/generate", json={"items": items}, headers=AUTH, timeout=60
    )


def decode(image: dict) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(image["png_base64"]))))


# Over HTTP


def test_worker_health_needs_no_token(worker: WorkerProcess):
    response = httpx.get(f"{worker.url}/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]
)
def test_worker_rejects_missing_or_wrong_token(worker: WorkerProcess, headers: dict):
    status = httpx.get(f"{worker.url}/status", headers=headers)
    drawn = httpx.post(
        f"{worker.url}/generate", json={"items": [item()]}, headers=headers
    )

    assert status.status_code == 401
    assert drawn.status_code == 401
    assert "token" in status.json()["message"]


def test_worker_status_reports_ready_model(worker: WorkerProcess):
    status = httpx.get(f"{worker.url}/status", headers=AUTH).json()

    assert status["state"] == "ready"
    assert status["progress"] == 1.0
    assert status["device"] == "cpu"
    assert status["image_size"] == 32
    assert status["max_wait_ms"] == 20.0
    assert status["max_batch"] == 16


def test_worker_generates_png_images(worker: WorkerProcess):
    response = generate(worker, [item(seed=1), item(index=1, seed=2)])
    body = response.json()

    assert response.status_code == 200
    assert (body["width"], body["height"]) == (32, 32)
    assert len(body["images"]) == 2
    for image in body["images"]:
        assert decode(image).shape == (32, 32, 3)
    assert body["forward_ms"] > 0
    assert body["queue_ms"] >= 0


def test_worker_same_seed_same_image(worker: WorkerProcess):
    first = generate(worker, [item(seed=42)]).json()["images"][0]["png_base64"]
    second = generate(worker, [item(seed=42)]).json()["images"][0]["png_base64"]
    other = generate(worker, [item(seed=43)]).json()["images"][0]["png_base64"]

    assert first == second
    assert first != other


def test_worker_batches_concurrent_requests(
    worker: WorkerProcess, batching_worker: WorkerProcess
):
    before = httpx.get(f"{batching_worker.url}/status", headers=AUTH).json()
    requests = [[item(index=index, seed=index)] for index in (10, 20, 30, 40)]
    with ThreadPoolExecutor(len(requests)) as pool:
        responses = list(
            pool.map(lambda items: generate(batching_worker, items), requests)
        )
    after = httpx.get(f"{batching_worker.url}/status", headers=AUTH).json()

    images = [response.json()["images"][0] for response in responses]
    assert all(response.status_code == 200 for response in responses)
    assert len({image["batch_id"] for image in images}) == 1
    assert [image["batch_size"] for image in images] == [4, 4, 4, 4]
    assert after["batches"] - before["batches"] == 1
    assert after["forward_passes"] - before["forward_passes"] == 1
    # Each request keeps its own class and seed inside the shared batch.
    alone = decode(generate(worker, [item(index=30, seed=30)]).json()["images"][0])
    assert np.abs(decode(images[2]).astype(int) - alone.astype(int)).max() <= 1


def test_worker_rejects_invalid_items(worker: WorkerProcess):
    response = generate(worker, [item(index=1000)])

    assert response.status_code == 422
    assert (
        response.json()["message"]
        == "items[0].classes[0][0] must be from 0 to 999, got 1000"
    )


def test_worker_rejects_invalid_json(worker: WorkerProcess):
    response = httpx.post(
        f"{worker.url}/generate",
        content=b"{nope",
        headers={**AUTH, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_worker_unknown_path_is_404(worker: WorkerProcess):
    assert httpx.get(f"{worker.url}/nothing", headers=AUTH).status_code == 404


def test_worker_without_model_answers_503(tmp_path: Path):
    process = start_worker(tmp_path, str(tmp_path / "no-such-folder"))
    try:
        status = wait_for_state(process, {"unavailable", "ready"})
        response = generate(process, [item()])
    finally:
        stop_worker(process)

    assert status["state"] == "unavailable"
    assert "does not exist" in status["message"]
    assert "ANNLAB_BIGGAN_MODEL" in status["message"]
    assert response.status_code == 503
    assert response.json()["error"] == "model_not_ready"
    assert "ANNLAB_BIGGAN_MODEL" in response.json()["message"]


def test_worker_without_token_exits(tmp_path: Path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "ANNLAB_BIGGAN_WORKER_TOKEN"
    }
    result = subprocess.run(
        [sys.executable, "-m", "annlab.engines.biggan.worker", "--port", "0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "No worker token" in result.stderr


# In process


def test_worker_reports_loading_then_ready(tmp_path: Path):
    worker = BigGANWorker(
        str(save_random_model(tmp_path / "tiny")), tmp_path, device="cpu", threads=1
    )
    before = worker.status()

    worker.load()
    after = worker.status()
    worker.close()

    assert before["state"] == "loading"
    assert before["progress"] == 0.0
    assert after["state"] == "ready"
    assert after["progress"] == 1.0
    assert after["image_size"] == 32


def test_worker_reports_corrupt_weights(tmp_path: Path):
    folder = save_random_model(tmp_path / "tiny")
    (folder / "pytorch_model.bin").write_bytes(b"\x00" * 100)
    worker = BigGANWorker(str(folder), tmp_path, device="cpu", threads=1)

    worker.load()
    status = worker.status()

    assert status["state"] == "unavailable"
    assert "could not be loaded" in status["message"]
    assert "ANNLAB_BIGGAN_MODEL" in status["message"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], '"items" list'),
        ({"items": []}, "1 to 64"),
        (
            {"items": [{"classes": [[1, 1]], "noise": [[1, 1]], "truncation": 0}]},
            "truncation",
        ),
        (
            {"items": [{"classes": [[1, 1]], "noise": [[-1, 1]], "truncation": 0.4}]},
            r"noise\[0\]\[0\]",
        ),
        (
            {"items": [{"classes": [], "noise": [[1, 1]], "truncation": 0.4}]},
            "classes must be",
        ),
        (
            {"items": [{"classes": [[1, "a"]], "noise": [[1, 1]], "truncation": 0.4}]},
            "number",
        ),
        (
            {"items": [{"classes": [[1.5, 1]], "noise": [[1, 1]], "truncation": 0.4}]},
            "integer",
        ),
    ],
)
def test_parse_generate_request_rejects(payload, message: str):
    with pytest.raises(InvalidRequest, match=message):
        parse_generate_request(payload)
