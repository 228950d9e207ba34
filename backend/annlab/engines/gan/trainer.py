"""Train the Fashion-MNIST GAN and report each step as plain records.

`train_gan` is a generator: it yields one TrainingStart, then ProgressRecord at
a bounded rate during an epoch, one EpochRecord after each epoch and one
TrainingEnd last. It writes
a sample grid PNG per epoch and a checkpoint after each epoch into the run
folder, and resumes from that checkpoint when one is there.

The whole dataset sits on the training device as one uint8 tensor. The loop
reads no value back to the host during an epoch. Loss sums stay on the device
until the epoch ends, when a single read checks them for NaN.
"""

import io
import math
import os
import pickle
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from annlab.engines.gan.fashion_mnist import FashionMnist
from annlab.engines.gan.models import (
    IMAGE_SIZE,
    LATENT_DIM,
    build_discriminator,
    build_generator,
)

CHECKPOINT_NAME = "checkpoint.pt"
SAMPLES_DIR_NAME = "samples"
GRID_COLUMNS = 8
GRID_ROWS = 8
GRID_PADDING = 2
GRID_PADDING_VALUE = 96

# Keras' defaults for these optimizers, so that the learning rates mean what
# they mean in the Keras version of this network.
ADAM_BETA2 = 0.999
RMSPROP_RHO = 0.9
OPTIMIZER_EPSILON = 1e-7
CHANNELS_LAST = torch.channels_last


@dataclass(frozen=True)
class TrainingConfig:
    """Hyperparameters of one run.

    `batches_per_epoch` cuts epochs short (None: every full batch of the
    60,000 images, so 117 at batch size 512). `test_batches` limits the test
    evaluation after each epoch (None: all 10,000 test images).
    """

    epochs: int = 50
    batch_size: int = 512
    generator_learning_rate: float = 1e-3
    generator_beta1: float = 0.5
    discriminator_learning_rate: float = 5e-3
    seed: int = 0
    batches_per_epoch: int | None = None
    test_batches: int | None = None
    progress_interval_seconds: float = 0.25


@dataclass(frozen=True)
class TrainingStart:
    """First record: training begins after `epoch` complete epochs (0 if new)."""

    epoch: int


@dataclass(frozen=True)
class ProgressRecord:
    """Position inside an epoch; `eta_seconds` is None until a rate is known."""

    epoch: int
    batch: int
    batches_per_epoch: int
    epochs: int
    epoch_seconds: float
    eta_seconds: float | None


@dataclass(frozen=True)
class EpochRecord:
    """Mean losses after one epoch, its timings and its sample grid file.

    Test losses are measured on the test set after the epoch. Training
    losses are the means over the epoch's batches, as the networks changed.
    `seconds` covers the whole epoch and `train_seconds` its training batches.
    """

    epoch: int
    generator_loss: float
    discriminator_loss: float
    train_generator_loss: float
    train_discriminator_loss: float
    seconds: float
    train_seconds: float
    sample_path: Path


@dataclass(frozen=True)
class TrainingEnd:
    """Last record: "finished", "stopped" or "failed", after `epoch` complete epochs."""

    status: str
    epoch: int
    reason: str | None = None


TrainingRecord = TrainingStart | ProgressRecord | EpochRecord | TrainingEnd


def resolve_device(name: str) -> torch.device:
    """Turn "auto", "cpu" or "cuda" into a torch device; "auto" prefers CUDA."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("CUDA was requested, but PyTorch finds no CUDA device.")
    if name not in ("cpu", "cuda"):
        raise ValueError(f'Unknown device "{name}"; expected auto, cpu or cuda.')
    return torch.device(name)


def describe_device(device: torch.device) -> str:
    """Name the device for people: "cpu (2 threads)" or "cuda:0 (NVIDIA H200)"."""
    if device.type == "cuda":
        index = (
            device.index if device.index is not None else torch.cuda.current_device()
        )
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    return f"cpu ({torch.get_num_threads()} threads)"


def grid_shape(columns: int = GRID_COLUMNS, rows: int = GRID_ROWS) -> tuple[int, int]:
    """Return the (width, height) in pixels of a sample grid PNG."""
    width = columns * IMAGE_SIZE + (columns + 1) * GRID_PADDING
    height = rows * IMAGE_SIZE + (rows + 1) * GRID_PADDING
    return width, height


def batches_in_epoch(config: TrainingConfig, train_size: int) -> int:
    """Count an epoch's batches; the last incomplete batch of the data is skipped."""
    full_batches = train_size // config.batch_size
    if full_batches == 0:
        raise ValueError(
            f"Batch size {config.batch_size} is larger than the {train_size} "
            "training images."
        )
    if config.batches_per_epoch is None:
        return full_batches
    return min(full_batches, config.batches_per_epoch)


class _GanState:
    """Networks, optimizers, random streams and fixed latents of one run."""

    def __init__(self, config: TrainingConfig, device: torch.device, test_size: int):
        # One CPU stream seeded by the run's seed draws the initial weights,
        # the fixed latent batches and the seed of the training stream, so a
        # seed gives the same starting point on every device.
        setup = torch.Generator().manual_seed(config.seed)
        # Channels-last layout lets oneDNN (CPU) and cuDNN pick faster kernels.
        self.generator = build_generator(setup).to(device, memory_format=CHANNELS_LAST)
        self.discriminator = build_discriminator(setup).to(
            device, memory_format=CHANNELS_LAST
        )
        self.sample_latents = torch.randn(
            GRID_COLUMNS * GRID_ROWS, LATENT_DIM, generator=setup
        ).to(device)
        self.test_latents = torch.randn(test_size, LATENT_DIM, generator=setup).to(
            device
        )
        training_seed = int(torch.randint(2**62, (1,), generator=setup))
        self.random = torch.Generator(device=device).manual_seed(training_seed)

        self.generator_optimizer = torch.optim.Adam(
            self.generator.parameters(),
            lr=config.generator_learning_rate,
            betas=(config.generator_beta1, ADAM_BETA2),
            eps=OPTIMIZER_EPSILON,
        )
        self.discriminator_optimizer = torch.optim.RMSprop(
            self.discriminator.parameters(),
            lr=config.discriminator_learning_rate,
            alpha=RMSPROP_RHO,
            eps=OPTIMIZER_EPSILON,
        )
        self.epoch = 0

    def state_dict(self) -> dict:
        return {
            "epoch": self.epoch,
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "generator_optimizer": self.generator_optimizer.state_dict(),
            "discriminator_optimizer": self.discriminator_optimizer.state_dict(),
            "random": self.random.get_state(),
        }

    def load_state_dict(self, state: dict) -> None:
        self.epoch = int(state["epoch"])
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        self.generator_optimizer.load_state_dict(state["generator_optimizer"])
        self.discriminator_optimizer.load_state_dict(state["discriminator_optimizer"])
        self.random.set_state(state["random"])


def save_checkpoint(state: _GanState, path: Path) -> None:
    """Write the state to `path` via a temporary file, so a crash keeps the old one."""
    temporary = path.with_name(path.name + ".tmp")
    torch.save(state.state_dict(), temporary)
    os.replace(temporary, path)


def load_checkpoint(state: _GanState, path: Path) -> None:
    try:
        # torch.Generator.set_state takes a CPU tensor even for a CUDA
        # stream. The load_state_dict calls move weights and optimizer
        # moments onto the training device.
        saved = torch.load(path, map_location="cpu", weights_only=True)
        state.load_state_dict(saved)
    except (OSError, RuntimeError, KeyError, EOFError, pickle.UnpicklingError) as error:
        raise ValueError(f"Checkpoint {path} cannot be read: {error}") from error


def train_gan(
    config: TrainingConfig,
    dataset: FashionMnist,
    device: torch.device,
    run_dir: Path,
    should_stop: Callable[[], bool] = lambda: False,
) -> Iterator[TrainingRecord]:
    """Train for `config.epochs` epochs, continuing from a checkpoint in `run_dir`.

    `should_stop` is polled before every batch. After a stop, the run can be
    resumed from the last complete epoch, because a partial epoch is dropped.
    A NaN or infinite loss ends the run with a "failed" TrainingEnd.
    """
    samples_dir = run_dir / SAMPLES_DIR_NAME
    samples_dir.mkdir(parents=True, exist_ok=True)
    checkpoint_path = run_dir / CHECKPOINT_NAME

    train_images = dataset.train_images.to(device).unsqueeze(1)
    test_images = dataset.test_images.to(device).unsqueeze(1)
    test_count = _test_count(config, len(test_images))
    state = _GanState(config, device, test_count)
    if checkpoint_path.exists():
        load_checkpoint(state, checkpoint_path)

    batches = batches_in_epoch(config, len(train_images))
    clock = _EtaClock(config, batches, state.epoch)
    yield TrainingStart(state.epoch)
    while state.epoch < config.epochs:
        epoch = state.epoch + 1
        epoch_start = time.perf_counter()

        losses = yield from _train_epoch(
            state, train_images, config, epoch, batches, clock, should_stop
        )
        if losses is None:
            yield TrainingEnd("stopped", state.epoch)
            return
        train_seconds = time.perf_counter() - epoch_start

        test_losses = _evaluate(state, test_images[:test_count], config.batch_size)
        failure = _find_divergence(epoch, losses + test_losses)
        if failure is not None:
            yield TrainingEnd("failed", state.epoch, failure)
            return

        sample_path = samples_dir / f"epoch-{epoch:04d}.png"
        sample_path.write_bytes(render_samples(state.generator, state.sample_latents))
        seconds = time.perf_counter() - epoch_start
        yield EpochRecord(
            epoch=epoch,
            generator_loss=test_losses[0],
            discriminator_loss=test_losses[1],
            train_generator_loss=losses[0],
            train_discriminator_loss=losses[1],
            seconds=seconds,
            train_seconds=train_seconds,
            sample_path=sample_path,
        )
        # The checkpoint is written after the caller has stored the epoch, so
        # a crash in between repeats that epoch instead of losing its record.
        state.epoch = epoch
        save_checkpoint(state, checkpoint_path)

    yield TrainingEnd("finished", state.epoch)


def _train_epoch(
    state: _GanState,
    train_images: torch.Tensor,
    config: TrainingConfig,
    epoch: int,
    batches: int,
    clock: "_EtaClock",
    should_stop: Callable[[], bool],
) -> Iterator[ProgressRecord]:
    """Run one epoch; return the mean (generator, discriminator) training losses.

    Returns None when `should_stop` turned true before the epoch ended.
    """
    device = train_images.device
    batch_size = config.batch_size
    order = torch.randperm(len(train_images), generator=state.random, device=device)
    real_targets = torch.ones(batch_size, 1, device=device)
    fake_targets = torch.zeros(batch_size, 1, device=device)
    generator_sum = torch.zeros((), device=device)
    discriminator_sum = torch.zeros((), device=device)
    generator_parameters = list(state.generator.parameters())
    discriminator_parameters = list(state.discriminator.parameters())
    state.generator.train()
    state.discriminator.train()

    epoch_start = time.perf_counter()
    last_report = -math.inf
    for batch in range(1, batches + 1):
        if should_stop():
            return None
        indices = order[(batch - 1) * batch_size : batch * batch_size]
        real = train_images.index_select(0, indices).float().div_(255.0)
        latents = torch.randn(
            batch_size, LATENT_DIM, device=device, generator=state.random
        )

        # One forward pass feeds both losses. The discriminator scores real
        # and generated images in separate calls, so that the generator's
        # backward pass does not run through the real half.
        fake = state.generator(latents)
        real_logits = state.discriminator(real)
        fake_logits = state.discriminator(fake)
        discriminator_loss = F.binary_cross_entropy_with_logits(
            real_logits, real_targets
        ) + F.binary_cross_entropy_with_logits(fake_logits, fake_targets)
        generator_loss = F.binary_cross_entropy_with_logits(fake_logits, real_targets)

        # Each loss is differentiated only with respect to its own network.
        state.generator_optimizer.zero_grad(set_to_none=True)
        state.discriminator_optimizer.zero_grad(set_to_none=True)
        torch.autograd.backward(
            generator_loss, inputs=generator_parameters, retain_graph=True
        )
        torch.autograd.backward(discriminator_loss, inputs=discriminator_parameters)
        state.generator_optimizer.step()
        state.discriminator_optimizer.step()

        generator_sum += generator_loss.detach()
        discriminator_sum += discriminator_loss.detach()
        clock.finish_batch()

        now = time.perf_counter()
        if now - last_report >= config.progress_interval_seconds or batch == batches:
            last_report = now
            yield ProgressRecord(
                epoch=epoch,
                batch=batch,
                batches_per_epoch=batches,
                epochs=config.epochs,
                epoch_seconds=now - epoch_start,
                eta_seconds=clock.eta_seconds(),
            )

    means = torch.stack((generator_sum, discriminator_sum)) / batches
    return tuple(means.tolist())


@torch.no_grad()
def _evaluate(
    state: _GanState, test_images: torch.Tensor, batch_size: int
) -> tuple[float, float]:
    """Return the mean (generator, discriminator) losses over `test_images`.

    The latents come from a fixed batch, so the curve moves only because the
    networks change.
    """
    state.generator.eval()
    state.discriminator.eval()
    generator_sum = torch.zeros((), device=test_images.device)
    discriminator_sum = torch.zeros((), device=test_images.device)
    for start in range(0, len(test_images), batch_size):
        real = test_images[start : start + batch_size].float().div_(255.0)
        fake = state.generator(state.test_latents[start : start + len(real)])
        real_logits = state.discriminator(real)
        fake_logits = state.discriminator(fake)
        real_loss = F.binary_cross_entropy_with_logits(
            real_logits, torch.ones_like(real_logits), reduction="sum"
        )
        fake_loss = F.binary_cross_entropy_with_logits(
            fake_logits, torch.zeros_like(fake_logits), reduction="sum"
        )
        fooled_loss = F.binary_cross_entropy_with_logits(
            fake_logits, torch.ones_like(fake_logits), reduction="sum"
        )
        generator_sum += fooled_loss
        discriminator_sum += real_loss + fake_loss
    means = torch.stack((generator_sum, discriminator_sum)) / len(test_images)
    return tuple(means.tolist())


def _test_count(config: TrainingConfig, test_size: int) -> int:
    if config.test_batches is None:
        return test_size
    return min(test_size, config.test_batches * config.batch_size)


def _find_divergence(epoch: int, losses: tuple[float, ...]) -> str | None:
    """Describe the first NaN or infinite loss, or return None if all are finite."""
    names = (
        "generator training loss",
        "discriminator training loss",
        "generator test loss",
        "discriminator test loss",
    )
    for name, value in zip(names, losses, strict=True):
        if not math.isfinite(value):
            return (
                f"Training diverged in epoch {epoch}: the {name} became {value}. "
                "Lower the learning rates and start a new run."
            )
    return None


@torch.no_grad()
def render_samples(generator: nn.Module, latents: torch.Tensor) -> bytes:
    """Draw the images for `latents` as one PNG grid of GRID_ROWS x GRID_COLUMNS."""
    generator.eval()
    images = generator(latents).clamp(0.0, 1.0).mul(255.0).round()
    images = images.to(torch.uint8).cpu().numpy()[:, 0]
    width, height = grid_shape()
    grid = np.full((height, width), GRID_PADDING_VALUE, dtype=np.uint8)
    step = IMAGE_SIZE + GRID_PADDING
    for index, image in enumerate(images[: GRID_ROWS * GRID_COLUMNS]):
        row, column = divmod(index, GRID_COLUMNS)
        top = GRID_PADDING + row * step
        left = GRID_PADDING + column * step
        grid[top : top + IMAGE_SIZE, left : left + IMAGE_SIZE] = image
    buffer = io.BytesIO()
    Image.fromarray(grid).save(buffer, format="PNG")
    return buffer.getvalue()


class _EtaClock:
    """Estimates the time left from the mean time per batch since training began.

    Once an epoch has ended, the mean also covers the epoch-end work (test
    evaluation, samples, checkpoint).
    """

    def __init__(self, config: TrainingConfig, batches: int, done_epochs: int):
        self._start = time.perf_counter()
        self._remaining = (config.epochs - done_epochs) * batches
        self._done = 0

    def finish_batch(self) -> None:
        self._done += 1
        self._remaining -= 1

    def eta_seconds(self) -> float | None:
        if self._done == 0:
            return None
        seconds_per_batch = (time.perf_counter() - self._start) / self._done
        return seconds_per_batch * self._remaining
