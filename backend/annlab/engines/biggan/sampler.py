"""Load a BigGAN generator and draw images from specs: class, noise, truncation.

The generator of pytorch-pretrained-biggan takes noise z of size z_dim, a
class vector of size 1000 (one-hot, or a mix for interpolation) and one
truncation value per forward pass, because the truncation selects the
precomputed batch-norm statistics. Specs with different truncations therefore
run in separate forward passes.
"""

import io
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from pytorch_pretrained_biggan import BigGAN
from pytorch_pretrained_biggan.utils import truncated_noise_sample

from annlab.engines.biggan.classes import NUM_CLASSES
from annlab.engines.biggan.model_files import MODEL_SETTING_HINT, ModelNotAvailable
from annlab.engines.biggan.specs import (
    MAX_NOISE_SEED,
    MAX_TRUNCATION,
    MIN_TRUNCATION,
    ImageSpec,
)

logger = logging.getLogger(__name__)


def pick_device(preference: str = "auto") -> torch.device:
    """Return CUDA if present, then Apple's MPS, then the CPU; or the device named."""
    if preference != "auto":
        return torch.device(preference)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def load_model(folder: Path, device: torch.device) -> BigGAN:
    """Load the generator from a folder with BigGAN.from_pretrained, in eval mode.

    Eval mode matters: in training mode every forward pass of a spectral-norm
    layer runs a power iteration step that changes the weights, so the same
    seed would not give the same image twice. Raises ModelNotAvailable for an
    unreadable or mismatched config or weights file.
    """
    try:
        model = BigGAN.from_pretrained(str(folder))
    except Exception as error:  # noqa: BLE001 - unpickling damaged files can raise anything
        # For example json.JSONDecodeError for a damaged config, IndexError
        # from torch.load for bytes that are not a weights file, RuntimeError
        # from load_state_dict for tensors of the wrong shape.
        raise ModelNotAvailable(
            f"BigGAN model not available: the files in {folder} could not be "
            f"loaded ({type(error).__name__}: {error}). {MODEL_SETTING_HINT}"
        ) from error
    return model.to(device).eval()


def noise_vector(seed: int, truncation: float, z_dim: int) -> np.ndarray:
    """Return the truncated normal noise for one seed, scaled by the truncation."""
    if not 0 <= seed <= MAX_NOISE_SEED:
        raise ValueError(f"Noise seed must be from 0 to {MAX_NOISE_SEED}, got {seed}")
    return truncated_noise_sample(
        batch_size=1, dim_z=z_dim, truncation=truncation, seed=seed
    )[0]


def class_vector(
    classes: Sequence[tuple[int, float]], num_classes: int = NUM_CLASSES
) -> np.ndarray:
    vector = np.zeros(num_classes, dtype=np.float32)
    for index, weight in classes:
        if not 0 <= index < num_classes:
            raise ValueError(
                f"Class index must be from 0 to {num_classes - 1}, got {index}"
            )
        vector[index] += weight
    return vector


def group_by_truncation(specs: Sequence[ImageSpec]) -> dict[float, list[int]]:
    """Return the positions of the specs for each truncation, in first-seen order."""
    groups: dict[float, list[int]] = {}
    for position, spec in enumerate(specs):
        groups.setdefault(spec.truncation, []).append(position)
    return groups


def to_images(output: torch.Tensor) -> list[np.ndarray]:
    """Convert output in [-1, 1], shape (B, 3, H, W), to uint8 (H, W, 3) arrays."""
    pixels = ((output.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round()
    return list(pixels.to(torch.uint8).permute(0, 2, 3, 1).numpy())


def generate(
    model: BigGAN, specs: Sequence[ImageSpec], device: torch.device
) -> tuple[list[np.ndarray], int]:
    """Draw the images for `specs`, one forward pass per truncation value.

    Returns the images in the order of `specs` and the number of forward passes.
    """
    for spec in specs:
        if not MIN_TRUNCATION <= spec.truncation <= MAX_TRUNCATION:
            raise ValueError(
                f"Truncation must be from {MIN_TRUNCATION} to {MAX_TRUNCATION}, "
                f"got {spec.truncation}"
            )
    z_dim = model.config.z_dim
    num_classes = model.config.num_classes
    images: list[np.ndarray | None] = [None] * len(specs)
    groups = group_by_truncation(specs)
    for truncation, positions in groups.items():
        noise = np.stack(
            [
                sum(
                    weight * noise_vector(seed, truncation, z_dim)
                    for seed, weight in specs[p].noise
                )
                for p in positions
            ]
        ).astype(np.float32)
        classes = np.stack(
            [class_vector(specs[p].classes, num_classes) for p in positions]
        )
        with torch.inference_mode():
            output = model(
                torch.from_numpy(noise).to(device),
                torch.from_numpy(classes).to(device),
                truncation,
            )
        for position, image in zip(positions, to_images(output), strict=True):
            images[position] = image
    return images, len(groups)


def encode_png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()
