"""Inputs of one BigGAN image (class mix, noise mix, truncation) for server and worker.

This module imports neither PyTorch nor NumPy, so the web server and a worker
that is still starting can build and check specs cheaply.
"""

from dataclasses import dataclass

MIN_TRUNCATION = 0.02
MAX_TRUNCATION = 1.0
DEFAULT_TRUNCATION = 0.4
# numpy's RandomState, which pytorch-pretrained-biggan's noise sampler uses,
# takes seeds below 2**32.
MAX_NOISE_SEED = 2**32 - 1


@dataclass(frozen=True)
class ImageSpec:
    """One image to draw.

    `classes` and `noise` are weighted mixes: ((index, weight), ...) over the
    1000 classes and ((seed, weight), ...) over noise vectors, each drawn from
    its seed. A plain sample is ((index, 1.0),) and ((seed, 1.0),); a point on
    an interpolation line mixes two of each.
    """

    classes: tuple[tuple[int, float], ...]
    noise: tuple[tuple[int, float], ...]
    truncation: float

    def to_json(self) -> dict:
        return {
            "classes": [list(term) for term in self.classes],
            "noise": [list(term) for term in self.noise],
            "truncation": self.truncation,
        }


def sample_specs(
    class_index: int, seed: int, count: int, truncation: float
) -> list[ImageSpec]:
    """Return `count` images of one class; image i uses the noise of seed + i."""
    if seed + count - 1 > MAX_NOISE_SEED:
        raise ValueError(
            f"Seed plus count must stay below {MAX_NOISE_SEED + 1}, got {seed}"
        )
    return [
        ImageSpec(((class_index, 1.0),), ((seed + offset, 1.0),), truncation)
        for offset in range(count)
    ]


def interpolation_specs(
    start: tuple[int, int], end: tuple[int, int], steps: int, truncation: float
) -> list[tuple[float, ImageSpec]]:
    """Return `steps` points on the straight line between two (class, seed) end points.

    At position t from 0 to 1, the class vector is (1 - t) * one-hot(start) +
    t * one-hot(end), and the noise is (1 - t) * z(start seed) + t * z(end seed).
    """
    if steps < 2:
        raise ValueError(f"An interpolation needs at least 2 steps, got {steps}")
    (start_class, start_seed), (end_class, end_seed) = start, end
    points = []
    for step in range(steps):
        t = step / (steps - 1)
        classes = ((start_class, 1.0 - t), (end_class, t))
        noise = ((start_seed, 1.0 - t), (end_seed, t))
        points.append((t, ImageSpec(classes, noise, truncation)))
    return points
