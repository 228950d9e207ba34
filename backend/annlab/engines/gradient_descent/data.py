"""The data set of the lesson: noisy samples of y = x + 0.5 x^2."""

from dataclasses import dataclass

import numpy as np

NUM_POINTS = 1280
X_MIN = -5.0
X_MAX = 5.0
NOISE_STD = 0.1


@dataclass(frozen=True)
class Dataset:
    """Inputs `x` and targets `y`, both of shape (n,), in the order they were drawn."""

    x: np.ndarray
    y: np.ndarray


def target_function(x: np.ndarray) -> np.ndarray:
    """The noise-free curve the network should learn."""
    return x + 0.5 * x**2


def make_dataset(rng: np.random.Generator, num_points: int = NUM_POINTS) -> Dataset:
    """Draw x uniform in [X_MIN, X_MAX] and y = x + 0.5 x^2 + N(0, NOISE_STD^2).

    The points are independent draws, so any prefix of them is a uniform sample.
    """
    x = rng.uniform(X_MIN, X_MAX, size=num_points)
    y = target_function(x) + rng.normal(0.0, NOISE_STD, size=num_points)
    return Dataset(x=x, y=y)
