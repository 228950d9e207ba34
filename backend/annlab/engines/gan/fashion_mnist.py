"""Read Fashion-MNIST from its four original IDX files (gzip-compressed).

An IDX file starts with a big-endian header: a magic number whose last byte is
the number of dimensions (0x00000801 for a label vector, 0x00000803 for a stack
of images), then one 32-bit size per dimension, then unsigned bytes. Every
file is checked in full, so a truncated or foreign file raises
FashionMnistError naming the file instead of giving a partial dataset.
"""

import gzip
import logging
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

logger = logging.getLogger(__name__)

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
IMAGE_SIZE = 28
LABELS_MAGIC = 0x00000801
IMAGES_MAGIC = 0x00000803

# Split name -> (images file, labels file, number of examples).
SPLITS = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60_000),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10_000),
}
FILE_NAMES = tuple(
    name for images, labels, _ in SPLITS.values() for name in (images, labels)
)

# Where Debian's dataset-fashion-mnist package installs the files.
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")


class FashionMnistError(ValueError):
    """A Fashion-MNIST file or folder is missing, truncated or malformed."""


@dataclass(frozen=True)
class FashionMnist:
    """The whole dataset as uint8 tensors: images N x 28 x 28, labels N."""

    folder: Path
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor


def read_idx(
    path: Path, expected_magic: int, expected_shape: tuple[int, ...]
) -> np.ndarray:
    """Read one gzip-compressed IDX file and check its magic number and shape."""
    try:
        with gzip.open(path, "rb") as stream:
            content = stream.read()
    except FileNotFoundError:
        raise FashionMnistError(f"Fashion-MNIST file not found: {path}") from None
    except (OSError, EOFError, zlib.error) as error:
        raise FashionMnistError(
            f"Fashion-MNIST file {path} is not a complete gzip file ({error}). "
            "Replace it with a fresh copy."
        ) from error

    dimensions = len(expected_shape)
    header_size = 4 * (1 + dimensions)
    if len(content) < header_size:
        raise FashionMnistError(
            f"Fashion-MNIST file {path} is too short for an IDX header: "
            f"{len(content)} bytes."
        )
    magic, *shape = struct.unpack(f">{1 + dimensions}I", content[:header_size])
    if magic != expected_magic:
        raise FashionMnistError(
            f"Fashion-MNIST file {path} has magic number 0x{magic:08x}, "
            f"expected 0x{expected_magic:08x}."
        )
    if tuple(shape) != expected_shape:
        raise FashionMnistError(
            f"Fashion-MNIST file {path} has shape {tuple(shape)}, "
            f"expected {expected_shape}."
        )
    expected_size = header_size + int(np.prod(expected_shape))
    if len(content) != expected_size:
        raise FashionMnistError(
            f"Fashion-MNIST file {path} holds {len(content)} bytes after "
            "decompression, "
            f"expected {expected_size}. The file is truncated or damaged."
        )
    values = np.frombuffer(content, dtype=np.uint8, offset=header_size)
    return values.reshape(expected_shape)


def read_split(folder: Path, split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Read the images and labels of the "train" or "test" split from `folder`."""
    images_name, labels_name, count = SPLITS[split]
    images = read_idx(
        folder / images_name, IMAGES_MAGIC, (count, IMAGE_SIZE, IMAGE_SIZE)
    )
    labels = read_idx(folder / labels_name, LABELS_MAGIC, (count,))
    if labels.max() >= len(CLASS_NAMES):
        raise FashionMnistError(
            f"Fashion-MNIST file {folder / labels_name} has label {labels.max()}, "
            f"expected 0 to {len(CLASS_NAMES) - 1}."
        )
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.copy())


def load_fashion_mnist(folder: Path) -> FashionMnist:
    """Read and check all four files in `folder`."""
    train_images, train_labels = read_split(folder, "train")
    test_images, test_labels = read_split(folder, "test")
    return FashionMnist(folder, train_images, train_labels, test_images, test_labels)


def has_all_files(folder: Path) -> bool:
    return all((folder / name).is_file() for name in FILE_NAMES)


def candidate_folders(configured: Path | None, data_dir: Path) -> list[Path]:
    """List the folders searched for the files, in order.

    A configured folder is the only candidate. Otherwise the app's own data
    folder comes first, then Debian's system-wide copy, then the folder that an
    earlier torchvision download filled.
    """
    if configured is not None:
        return [configured]
    return [data_dir / "fashion-mnist", DEBIAN_DIR, _torchvision_raw_dir(data_dir)]


def find_fashion_mnist(
    configured: Path | None, data_dir: Path, allow_download: bool = True
) -> Path:
    """Return a folder holding all four files, downloading them as a last resort.

    The download uses torchvision and needs internet access. It is never tried
    when `configured` is set, so that a wrong setting is reported instead of
    being silently replaced.
    """
    candidates = candidate_folders(configured, data_dir)
    for folder in candidates:
        if has_all_files(folder):
            return folder
    if configured is None and allow_download:
        return download_fashion_mnist(data_dir)
    searched = ", ".join(str(folder) for folder in candidates)
    raise FashionMnistError(
        f"Fashion-MNIST files not found in {searched}. "
        f"Expected {', '.join(FILE_NAMES)}. Install Debian's dataset-fashion-mnist "
        "package or set ANNLAB_FASHION_MNIST_DIR."
    )


def download_fashion_mnist(data_dir: Path) -> Path:
    """Download the four files with torchvision into `data_dir`; return their folder."""
    from torchvision.datasets import FashionMNIST

    logger.info("Downloading Fashion-MNIST into %s", data_dir)
    try:
        FashionMNIST(root=str(data_dir), train=True, download=True)
    except (OSError, RuntimeError) as error:
        raise FashionMnistError(
            f"Fashion-MNIST files not found locally and the download failed: {error}. "
            "Install Debian's dataset-fashion-mnist package or set "
            "ANNLAB_FASHION_MNIST_DIR to a folder holding the four .gz files."
        ) from error
    return _torchvision_raw_dir(data_dir)


def _torchvision_raw_dir(data_dir: Path) -> Path:
    # torchvision.datasets.FashionMNIST keeps the original .gz files here.
    return data_dir / "FashionMNIST" / "raw"
