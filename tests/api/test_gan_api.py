"""GAN REST API: architecture, teacher token, validation, short runs, stop, resume."""

import io
import time

import pytest
import torch
from annlab.engines.gan.fashion_mnist import DEBIAN_DIR, FILE_NAMES
from annlab.engines.gan.trainer import CHECKPOINT_NAME, grid_shape
from annlab.schemas.gan import GanArchitecture, GanRun, GanRunSummary
from PIL import Image

needs_data = pytest.mark.skipif(
    not all((DEBIAN_DIR / name).is_file() for name in FILE_NAMES),
    reason="Debian's dataset-fashion-mnist package is not installed",
)

QUICK = {"batch_size": 32, "batches_per_epoch": 2, "test_batches": 1, "device": "cpu"}
WAIT_SECONDS = 120.0


def teacher(client):
    return {"Authorization": f"Bearer {client.app.state.settings.teacher_token}"}


def start_run(client, **params):
    response = client.post(
        "/api/gan/runs", json={**QUICK, **params}, headers=teacher(client)
    )
    assert response.status_code == 201, response.text
    return GanRun.model_validate(response.json())


def wait_for_run(client, run_id, statuses, min_epochs=0):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run = GanRun.model_validate(client.get(f"/api/gan/runs/{run_id}").json())
        if run.status in statuses and run.epochs_done >= min_epochs:
            return run
        time.sleep(0.05)
    raise AssertionError(
        f"Run {run_id} ended as {run.status} after {run.epochs_done} epochs"
    )


def test_read_architecture_totals(client):
    response = client.get("/api/gan/architecture")

    assert response.status_code == 200
    architecture = GanArchitecture.model_validate(response.json())
    assert architecture.generator.total_parameters == 259_521
    assert architecture.discriminator.total_parameters == 21_121
    assert architecture.total_parameters == 280_642
    assert architecture.latent_dim == 64
    assert sum(layer.parameters for layer in architecture.generator.layers) == 259_521
    assert architecture.generator.layers[-1].output_shape == [28, 28, 1]
    assert architecture.discriminator.layers[-1].output_shape == [1]


@pytest.mark.parametrize(
    "path",
    [
        "/api/gan/runs",
        "/api/gan/runs/000000000000/stop",
        "/api/gan/runs/000000000000/resume",
    ],
)
def test_teacher_actions_need_token(client, path):
    missing = client.post(path, json={})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "Teacher token missing" in missing.json()["detail"]

    wrong = client.post(
        path, json={}, headers={"Authorization": "Bearer not-the-token"}
    )
    assert wrong.status_code == 403
    assert wrong.json()["detail"] == "Teacher token invalid."

    not_bearer = client.post(path, json={}, headers={"Authorization": "Basic abc"})
    assert not_bearer.status_code == 401
    assert client.get("/api/gan/runs").json() == []


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"epochs": 0}, "epochs", "must be from 1 to 500, got 0"),
        ({"batch_size": 8}, "batch_size", "must be from 16 to 4096, got 8"),
        (
            {"generator_learning_rate": 5.0},
            "generator_learning_rate",
            "must be from 1e-05 to 1",
        ),
        (
            {"discriminator_learning_rate": 0},
            "discriminator_learning_rate",
            "must be from",
        ),
        ({"batches_per_epoch": 0}, "batches_per_epoch", "must be from 1 to 10000"),
        ({"seed": -1}, "seed", "must be from 0"),
        ({"device": "tpu"}, "device", "'auto', 'cpu' or 'cuda'"),
        ({"epoch": 3}, "epoch", "Extra inputs are not permitted"),
    ],
)
def test_create_run_rejects_bad_parameters(client, body, field, text):
    response = client.post("/api/gan/runs", json=body, headers=teacher(client))

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [["body", field]]
    assert text in errors[0]["msg"]
    assert field in response.json()["message"]
    assert client.get("/api/gan/runs").json() == []


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_create_run_cuda_without_device_422(client):
    response = client.post(
        "/api/gan/runs", json={"device": "cuda"}, headers=teacher(client)
    )

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "device"]
    assert "no CUDA device" in error["msg"]
    assert client.get("/api/gan/runs").json() == []


def test_unknown_run_404(client):
    assert client.get("/api/gan/runs/000000000000").status_code == 404
    response = client.post("/api/gan/runs/000000000000/stop", headers=teacher(client))
    assert response.status_code == 404
    assert "not found" in response.json()["detail"]
    assert client.get("/api/gan/runs/000000000000/samples/1.png").status_code == 404


@needs_data
def test_short_run_losses_and_samples(client):
    run = start_run(client, epochs=2)
    assert run.status in ("queued", "running")
    assert run.params.epochs == 2

    finished = wait_for_run(client, run.id, {"finished"})

    assert [epoch.epoch for epoch in finished.epochs] == [1, 2]
    for epoch in finished.epochs:
        assert 0.0 < epoch.generator_loss < 20.0
        assert 0.0 < epoch.discriminator_loss < 20.0
        assert epoch.seconds > 0.0
        response = client.get(epoch.sample_url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.size == grid_shape()
    assert client.get(f"/api/gan/runs/{run.id}/samples/3.png").status_code == 404

    summaries = [
        GanRunSummary.model_validate(item)
        for item in client.get("/api/gan/runs").json()
    ]
    assert [
        (summary.id, summary.status, summary.epochs_done) for summary in summaries
    ] == [(run.id, "finished", 2)]


@needs_data
def test_stop_and_resume_run(client):
    run = start_run(client, epochs=8)
    wait_for_run(client, run.id, {"running"}, min_epochs=1)

    response = client.post(f"/api/gan/runs/{run.id}/stop", headers=teacher(client))
    assert response.status_code == 200
    stopped = GanRun.model_validate(response.json())
    assert stopped.status == "stopped"
    assert stopped.epochs_done < 8

    response = client.post(f"/api/gan/runs/{run.id}/resume", headers=teacher(client))
    assert response.status_code == 200
    assert response.json()["status"] in ("queued", "running")

    finished = wait_for_run(client, run.id, {"finished"})
    assert [epoch.epoch for epoch in finished.epochs] == list(range(1, 9))

    again = client.post(f"/api/gan/runs/{run.id}/resume", headers=teacher(client))
    assert again.status_code == 409
    assert "only a stopped or interrupted run" in again.json()["detail"]
    stop_again = client.post(f"/api/gan/runs/{run.id}/stop", headers=teacher(client))
    assert stop_again.status_code == 409


@needs_data
def test_nan_weights_end_run_failed(client):
    run = start_run(client, epochs=50)
    wait_for_run(client, run.id, {"running"}, min_epochs=1)
    stopped = GanRun.model_validate(
        client.post(f"/api/gan/runs/{run.id}/stop", headers=teacher(client)).json()
    )

    # Poison the generator's weights in the checkpoint that resume starts from.
    settings = client.app.state.settings
    checkpoint_path = settings.runs_dir / run.id / CHECKPOINT_NAME
    checkpoint = torch.load(checkpoint_path, weights_only=True)
    checkpoint["generator"]["dense.weight"].fill_(float("nan"))
    torch.save(checkpoint, checkpoint_path)
    client.post(f"/api/gan/runs/{run.id}/resume", headers=teacher(client))

    failed = wait_for_run(client, run.id, {"failed"})
    assert failed.epochs_done == stopped.epochs_done
    assert f"epoch {stopped.epochs_done + 1}" in failed.reason
    assert "nan" in failed.reason
    assert "Lower the learning rates" in failed.reason


def test_read_parameters_schema(client):
    schema = client.get("/api/gan/parameters").json()

    properties = schema["properties"]
    assert properties["epochs"]["default"] == 50
    assert properties["batch_size"]["default"] == 512
    assert properties["generator_learning_rate"]["minimum"] == 1e-5
    assert properties["discriminator_learning_rate"]["default"] == 5e-3
    assert properties["device"]["enum"] == ["auto", "cpu", "cuda"]
