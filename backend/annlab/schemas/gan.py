"""Parameters, run records and stream events of the Fashion-MNIST GAN lesson."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from annlab.schemas.common import EventModel, JsonFloat, ParamsModel, Within

RunStatus = Literal["queued", "running", "finished", "stopped", "failed", "interrupted"]
# Statuses from which POST /resume continues training from the last checkpoint.
RESUMABLE_STATUSES = ("stopped", "interrupted")
ACTIVE_STATUSES = ("queued", "running")


class GanParams(ParamsModel):
    """A GAN training run on Fashion-MNIST."""

    epochs: Annotated[int, Within(1, 500)] = Field(
        50, description="Passes over the 60,000 training images."
    )
    batch_size: Annotated[int, Within(16, 4096)] = Field(
        512,
        title="Batch size",
        description="Real images per step; each step also generates as many fakes.",
    )
    generator_learning_rate: Annotated[float, Within(1e-5, 1.0)] = Field(
        1e-3,
        title="Generator learning rate",
        description="Step size of the generator's Adam optimizer.",
        json_schema_extra={"scale": "log"},
    )
    generator_beta1: Annotated[float, Within(0.0, 0.999)] = Field(
        0.5,
        title="Generator Adam beta1",
        description="Decay rate of Adam's running mean of the generator's gradients.",
    )
    discriminator_learning_rate: Annotated[float, Within(1e-5, 1.0)] = Field(
        5e-3,
        title="Discriminator learning rate",
        description="Step size of the discriminator's RMSprop optimizer.",
        json_schema_extra={"scale": "log"},
    )
    seed: Annotated[int, Within(0, 2**31 - 1)] = Field(
        0,
        description="Seeds the initial weights, the fixed sample latents, the "
        "shuffling and the latents of every step.",
    )
    device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="Where to train; auto takes CUDA when PyTorch finds it."
    )
    batches_per_epoch: Annotated[int, Within(1, 10_000)] | None = Field(
        None,
        title="Batches per epoch",
        description="Cut each epoch short after this many batches, for a quick "
        "demonstration; unset: every full batch (117 at batch size 512).",
    )
    test_batches: Annotated[int, Within(1, 1000)] | None = Field(
        None,
        title="Test batches",
        description="Batches of test images scored after each epoch; unset: all "
        "10,000 test images.",
    )


class LayerInfo(EventModel):
    """One row of a model summary; image shapes are (height, width, channels)."""

    name: str
    type: str
    activation: str | None
    output_shape: list[int]
    parameters: int


class NetworkSummary(EventModel):
    input_shape: list[int]
    layers: list[LayerInfo]
    total_parameters: int


class GanArchitecture(EventModel):
    """Both networks as layer tables, with the parameter counts."""

    latent_dim: int
    generator: NetworkSummary
    discriminator: NetworkSummary
    total_parameters: int


class GanProgressEvent(EventModel):
    """Position inside the current epoch, sent a few times a second while training.

    A viewer that falls behind receives only the latest one.
    """

    type: Literal["progress"] = "progress"
    run_id: str
    epoch: int
    batch: int
    batches_per_epoch: int
    epochs: int
    epoch_seconds: float
    eta_seconds: float | None = Field(
        None, description="Estimated seconds until the run ends; null until known."
    )


class GanEpochEvent(EventModel):
    """Results of one finished epoch. A later event for the same epoch replaces it.

    Test losses are the means over the test images after the epoch, with a
    fixed set of latents. Training losses are the means over the epoch's batches.
    """

    type: Literal["epoch"] = "epoch"
    run_id: str
    epoch: int
    generator_loss: JsonFloat
    discriminator_loss: JsonFloat
    train_generator_loss: JsonFloat
    train_discriminator_loss: JsonFloat
    seconds: float = Field(
        description="Wall time of the whole epoch, evaluation included."
    )
    train_seconds: float = Field(
        description="Wall time of the epoch's training batches."
    )
    sample_url: str = Field(
        description="PNG grid of samples from the fixed latent batch."
    )


class GanStatusEvent(EventModel):
    """Sent when the run's status changes; `epoch` counts the complete epochs."""

    type: Literal["status"] = "status"
    run_id: str
    status: RunStatus
    epoch: int
    device: str | None = None
    reason: str | None = None


GanEvent = GanProgressEvent | GanEpochEvent | GanStatusEvent


class GanRunSummary(EventModel):
    """One run in the list of runs."""

    id: str
    status: RunStatus
    created_at: datetime
    updated_at: datetime
    params: GanParams
    device: str | None = Field(None, description="Device name once training has begun.")
    reason: str | None = Field(
        None, description="Why the run failed or was interrupted."
    )
    epochs_done: int


class GanRun(GanRunSummary):
    """A run with its per-epoch history and, while it trains, its latest progress."""

    epochs: list[GanEpochEvent]
    progress: GanProgressEvent | None = None


def sample_url(run_id: str, epoch: int) -> str:
    """Return the path of the sample grid PNG of one epoch."""
    return f"/api/gan/runs/{run_id}/samples/{epoch}.png"
