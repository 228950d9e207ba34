"""Rosenblatt's perceptron, trained one sample at a time.

Model: y_hat = H(x . w), where H(a) = 1 if a > 0 else 0 and x is the feature
vector of one sample, prefixed with a constant 1 when there is a bias. Rule:
w <- w + learning_rate * (y - y_hat) * x, so a correct prediction changes
nothing. An epoch is one pass over the data in a fixed shuffled order; training
stops after the first epoch without a weight change.

Limitations: two input features (plus the optional x1 * x2 product) and two
classes; the data sets are the two small teaching sets below.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

DatasetName = Literal["linear", "xor"]
InitName = Literal["uniform", "zero"]

# Half-width of the uniform initial weights.
INIT_SCALE = 0.01

LINEAR_POINTS_PER_CLASS = 15
XOR_POINTS_PER_CORNER = 6
DEFAULT_STD = {"linear": 0.8, "xor": 0.1}
# XOR has no bias by default: with the x1 * x2 feature the classes are
# separated by a plane through the origin, so a bias is not needed.
DEFAULT_BIAS = {"linear": True, "xor": False}


@dataclass(frozen=True)
class Dataset:
    """Standardised points `inputs` (n, 2) with 0/1 `labels` (n,)."""

    inputs: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Step:
    """One sample presented to the perceptron, with the weights after the update."""

    step: int
    epoch: int
    sample_index: int
    features: list[float]
    label: int
    prediction: int
    weights: list[float]
    changed: bool


@dataclass(frozen=True)
class Result:
    weights: list[float]
    accuracy: float
    converged: bool
    num_epochs: int
    num_steps: int


def make_dataset(name: DatasetName, std: float, rng: np.random.Generator) -> Dataset:
    """Draw the `linear` or `xor` set with noise of `std`, standardised and shuffled."""
    if name == "linear":
        centres = np.array([[-1.0, -1.0], [1.0, 1.0]])
        centre_labels = np.array([0, 1])
        repeats = LINEAR_POINTS_PER_CLASS
    elif name == "xor":
        centres = np.array([[-1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]])
        centre_labels = np.array([0, 0, 1, 1])
        repeats = XOR_POINTS_PER_CORNER
    else:
        raise ValueError(f"Unknown dataset {name!r}; expected 'linear' or 'xor'.")

    means = np.repeat(centres, repeats, axis=0)
    labels = np.repeat(centre_labels, repeats)
    inputs = means + rng.normal(0.0, std, size=means.shape)
    inputs = (inputs - inputs.mean(axis=0)) / inputs.std(axis=0)

    order = rng.permutation(len(labels))
    return Dataset(inputs=inputs[order], labels=labels[order])


def feature_names(bias: bool, feature_engineering: bool) -> list[str]:
    names = ["x1", "x2"] + (["x1*x2"] if feature_engineering else [])
    return (["bias"] if bias else []) + names


def design_matrix(
    inputs: np.ndarray, bias: bool, feature_engineering: bool
) -> np.ndarray:
    """Stack the features of each point: [1,] x1, x2[, x1 * x2]."""
    columns = [inputs[:, 0], inputs[:, 1]]
    if feature_engineering:
        columns.append(inputs[:, 0] * inputs[:, 1])
    if bias:
        columns.insert(0, np.ones(len(inputs)))
    return np.stack(columns, axis=1)


def initial_weights(
    num_features: int, init: InitName, rng: np.random.Generator
) -> np.ndarray:
    if init == "zero":
        return np.zeros(num_features)
    return rng.uniform(-INIT_SCALE, INIT_SCALE, size=num_features)


def predict(features: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Heaviside output: 1 where features . weights > 0, else 0 (so 0 at exactly 0)."""
    return (features @ weights > 0).astype(int)


def train(
    features: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    learning_rate: float,
    max_epochs: int,
) -> Iterator[Step]:
    """Yield one Step per sample presented, for at most `max_epochs` epochs.

    Stops after the first epoch in which no sample changed the weights.
    `weights` holds the initial weights and is not modified.
    """
    weights = weights.astype(float).copy()
    step = 0
    for epoch in range(1, max_epochs + 1):
        is_epoch_changed = False
        for sample_index, (sample, label) in enumerate(
            zip(features, labels, strict=True)
        ):
            prediction = int(sample @ weights > 0)
            error = int(label) - prediction
            if error != 0:
                weights = weights + learning_rate * error * sample
                is_epoch_changed = True
            step += 1
            yield Step(
                step=step,
                epoch=epoch,
                sample_index=sample_index,
                features=sample.tolist(),
                label=int(label),
                prediction=prediction,
                weights=weights.tolist(),
                changed=error != 0,
            )
        if not is_epoch_changed:
            break


@dataclass(frozen=True)
class Setup:
    """Everything a run needs before its first step."""

    dataset: Dataset
    feature_names: list[str]
    features: np.ndarray
    initial_weights: np.ndarray


def prepare(
    dataset: DatasetName,
    data_std: float,
    seed: int,
    bias: bool,
    feature_engineering: bool,
    init: InitName,
) -> Setup:
    """Draw the data and the initial weights from independent streams of `seed`."""
    data_seed, init_seed = np.random.SeedSequence(seed).spawn(2)
    points = make_dataset(dataset, data_std, np.random.default_rng(data_seed))
    features = design_matrix(points.inputs, bias, feature_engineering)
    weights = initial_weights(features.shape[1], init, np.random.default_rng(init_seed))
    return Setup(
        dataset=points,
        feature_names=feature_names(bias, feature_engineering),
        features=features,
        initial_weights=weights,
    )


def summarize(
    features: np.ndarray, labels: np.ndarray, steps: list[Step], weights: np.ndarray
) -> Result:
    """Summarize a run: final weights, training accuracy and convergence."""
    final_weights = np.asarray(steps[-1].weights) if steps else weights
    last_epoch = steps[-1].epoch if steps else 0
    converged = bool(steps) and not any(
        step.changed for step in steps if step.epoch == last_epoch
    )
    accuracy = float(np.mean(predict(features, final_weights) == labels))
    return Result(
        weights=final_weights.tolist(),
        accuracy=accuracy,
        converged=converged,
        num_epochs=last_epoch,
        num_steps=len(steps),
    )
