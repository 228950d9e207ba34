"""Mini-batch gradient descent on the lesson's network, recorded as frames.

A run yields an `initial` frame with the untrained network, then one `epoch`
frame after each pass over the data. When the loss or the weights stop being
finite, the run ends: the steps of that last epoch are computed again from the
weights at its start, and each one is yielded as a `step` frame. So the blow-up
can be watched step by step, and the last frame has `diverged` set.

One seed covers the data, the initial weights and the mini-batch order. Each
of the three gets its own generator spawned from the seed, so changing the
network's size keeps the same data and batch order.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from annlab.engines.gradient_descent.data import X_MAX, X_MIN, Dataset, make_dataset
from annlab.engines.gradient_descent.network import (
    Layer,
    backward,
    forward,
    init_layers,
    layer_sizes,
    mse_loss,
    predict,
)

BATCH_SIZE = 32
# Points of the x grid on which the model's curve is recorded.
GRID_SIZE = 101

FrameKind = Literal["initial", "epoch", "step"]


@dataclass(frozen=True)
class Run:
    """Everything fixed by the seed and the network's size, before training."""

    dataset: Dataset
    sizes: list[int]
    initial_layers: list[Layer]
    grid: np.ndarray
    order_seed: np.random.SeedSequence


@dataclass(frozen=True)
class Frame:
    """The model at one point of the run.

    `epoch` counts finished epochs for `initial` and `epoch` frames, and is the
    epoch in progress for `step` frames. `step` counts updates since the start.
    `loss` is the mean squared error on the whole data set for the weights in
    `layers`. `running_loss` is the mean batch loss over the steps of the
    epoch so far, and `step_losses` the batch losses of the steps since the
    previous frame. `gradient_norms` holds, per layer, the L2 norm of the
    gradient of its weights and biases together: the mean over the epoch for
    an epoch frame, the step's own for a step frame, and None for the initial
    frame. Values may be NaN or infinite once the run diverges.
    """

    index: int
    kind: FrameKind
    epoch: int
    step: int
    loss: float
    running_loss: float | None
    step_losses: list[float]
    gradient_norms: list[float] | None
    curve: list[float]
    layers: list[Layer]
    diverged: bool


@dataclass(frozen=True)
class Divergence:
    """Epoch and step (from 1) at which the loss or the weights became non-finite."""

    epoch: int
    step: int


@dataclass(frozen=True)
class Summary:
    loss: float
    diverged: bool
    diverged_at: Divergence | None
    num_epochs: int
    num_steps: int


def curve_grid() -> np.ndarray:
    return np.linspace(X_MIN, X_MAX, GRID_SIZE)


def prepare_run(seed: int, hidden_units: list[int]) -> Run:
    """Draw the data and the initial weights for `seed`."""
    data_seed, init_seed, order_seed = np.random.SeedSequence(seed).spawn(3)
    sizes = layer_sizes(hidden_units)
    return Run(
        dataset=make_dataset(np.random.default_rng(data_seed)),
        sizes=sizes,
        initial_layers=init_layers(sizes, np.random.default_rng(init_seed)),
        grid=curve_grid(),
        order_seed=order_seed,
    )


def train(run: Run, learning_rate: float, epochs: int) -> Iterator[Frame]:
    """Yield the frames of a run lazily, each as soon as it is computed.

    `run.initial_layers` is not modified, so the same Run trains again to the
    same frames.
    """
    inputs = run.dataset.x.reshape(-1, 1)
    targets = run.dataset.y.reshape(-1, 1)
    order_rng = np.random.default_rng(run.order_seed)
    layers = [layer.copy() for layer in run.initial_layers]
    recorder = _FrameRecorder(run, inputs, targets)

    yield recorder.frame("initial", layers, epoch=0, step=0, step_losses=[])
    for epoch in range(1, epochs + 1):
        batches = _batches(order_rng.permutation(len(inputs)))
        start_layers = [layer.copy() for layer in layers]
        step_losses: list[float] = []
        norms_per_step: list[list[float]] = []
        diverged = False
        for batch in batches:
            loss, norms, is_finite = _take_step(
                layers, inputs[batch], targets[batch], learning_rate
            )
            step_losses.append(loss)
            norms_per_step.append(norms)
            if not is_finite:
                diverged = True
                break

        if not diverged:
            yield recorder.frame(
                "epoch",
                layers,
                epoch=epoch,
                step=epoch * len(batches),
                step_losses=step_losses,
                gradient_norms=np.mean(norms_per_step, axis=0).tolist(),
            )
            continue

        # Replay the failed epoch from its start, one frame per step. The same
        # arithmetic on the same batches gives the same numbers again.
        layers = start_layers
        for step_in_epoch, batch in enumerate(batches[: len(step_losses)], start=1):
            loss, norms, _ = _take_step(
                layers, inputs[batch], targets[batch], learning_rate
            )
            yield recorder.frame(
                "step",
                layers,
                epoch=epoch,
                step=(epoch - 1) * len(batches) + step_in_epoch,
                step_losses=[loss],
                running_loss=float(np.mean(step_losses[:step_in_epoch])),
                gradient_norms=norms,
                diverged=step_in_epoch == len(step_losses),
            )
        return


def summarize(last_frame: Frame) -> Summary:
    """Final loss, and where the run diverged if it did."""
    diverged_at = (
        Divergence(epoch=last_frame.epoch, step=last_frame.step)
        if last_frame.diverged
        else None
    )
    finished_epochs = last_frame.epoch - 1 if last_frame.diverged else last_frame.epoch
    return Summary(
        loss=last_frame.loss,
        diverged=last_frame.diverged,
        diverged_at=diverged_at,
        num_epochs=finished_epochs,
        num_steps=last_frame.step,
    )


class _FrameRecorder:
    """Numbers the frames and evaluates the model on the data and the grid."""

    def __init__(self, run: Run, inputs: np.ndarray, targets: np.ndarray) -> None:
        self._grid = run.grid
        self._inputs = inputs
        self._targets = targets
        self._next_index = 0

    def frame(
        self,
        kind: FrameKind,
        layers: list[Layer],
        *,
        epoch: int,
        step: int,
        step_losses: list[float],
        running_loss: float | None = None,
        gradient_norms: list[float] | None = None,
        diverged: bool = False,
    ) -> Frame:
        with np.errstate(over="ignore", invalid="ignore"):
            output, _ = forward(layers, self._inputs)
            loss = mse_loss(output, self._targets)
            curve = predict(layers, self._grid)
        if running_loss is None and step_losses:
            running_loss = float(np.mean(step_losses))
        frame = Frame(
            index=self._next_index,
            kind=kind,
            epoch=epoch,
            step=step,
            loss=loss,
            running_loss=running_loss,
            step_losses=list(step_losses),
            gradient_norms=gradient_norms,
            curve=curve.tolist(),
            layers=[layer.copy() for layer in layers],
            diverged=diverged,
        )
        self._next_index += 1
        return frame


def _batches(order: np.ndarray) -> list[np.ndarray]:
    """Split a permutation into batches of BATCH_SIZE, dropping a short last one."""
    num_batches = len(order) // BATCH_SIZE
    return [order[i * BATCH_SIZE : (i + 1) * BATCH_SIZE] for i in range(num_batches)]


def _take_step(
    layers: list[Layer], inputs: np.ndarray, targets: np.ndarray, learning_rate: float
) -> tuple[float, list[float], bool]:
    """Update `layers` in place by one step on a batch.

    Returns the batch loss before the update, each layer's gradient norm, and
    whether the loss and the updated weights and biases are all finite.
    """
    # Overflow to inf and inf - inf = NaN are how divergence shows, and the
    # caller checks for them, so numpy need not warn.
    with np.errstate(over="ignore", invalid="ignore"):
        output, cache = forward(layers, inputs)
        loss = mse_loss(output, targets)
        gradients = backward(layers, cache, output, targets)
        norms = []
        is_finite = math.isfinite(loss)
        for layer, gradient in zip(layers, gradients, strict=True):
            layer.weights -= learning_rate * gradient.weights
            layer.biases -= learning_rate * gradient.biases
            squared_norm = np.vdot(gradient.weights, gradient.weights) + np.vdot(
                gradient.biases, gradient.biases
            )
            norms.append(math.sqrt(squared_norm))
            # A sum is NaN or infinite when any term is. It also overflows when
            # the terms are finite but near 1e308, which counts as divergence too.
            is_finite = (
                is_finite
                and math.isfinite(layer.weights.sum())
                and math.isfinite(layer.biases.sum())
            )
    return loss, norms, is_finite
