"""Fashion-MNIST IDX reader: the real files, damaged copies and the folder search."""

import gzip
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from annlab.engines.gan.fashion_mnist import (
    DEBIAN_DIR,
    FILE_NAMES,
    IMAGES_MAGIC,
    LABELS_MAGIC,
    FashionMnistError,
    candidate_folders,
    find_fashion_mnist,
    load_fashion_mnist,
    read_idx,
    read_split,
)

TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"

pytestmark = pytest.mark.skipif(
    not all((DEBIAN_DIR / name).is_file() for name in FILE_NAMES),
    reason="Debian's dataset-fashion-mnist package is not installed",
)


@pytest.fixture
def test_split_copy(tmp_path: Path) -> Path:
    """A folder holding copies of the two test-split files."""
    for name in (TEST_IMAGES, TEST_LABELS):
        shutil.copyfile(DEBIAN_DIR / name, tmp_path / name)
    return tmp_path


def decompressed(path: Path) -> bytes:
    with gzip.open(path, "rb") as stream:
        return stream.read()


def test_load_real_files_shapes_and_classes():
    dataset = load_fashion_mnist(DEBIAN_DIR)

    assert dataset.train_images.shape == (60_000, 28, 28)
    assert dataset.test_images.shape == (10_000, 28, 28)
    assert dataset.train_images.dtype == torch.uint8
    assert dataset.train_labels.shape == (60_000,)
    assert dataset.test_labels.shape == (10_000,)
    # Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    assert torch.bincount(dataset.train_labels.long()).tolist() == [6_000] * 10
    assert torch.bincount(dataset.test_labels.long()).tolist() == [1_000] * 10
    assert int(dataset.train_images.max()) == 255
    assert int(dataset.train_images.min()) == 0


def test_read_split_matches_raw_bytes(test_split_copy):
    images, labels = read_split(test_split_copy, "test")
    raw = decompressed(test_split_copy / TEST_IMAGES)

    first_image = np.frombuffer(raw, dtype=np.uint8, offset=16, count=28 * 28)
    assert images[0].flatten().tolist() == first_image.tolist()
    assert labels[:3].tolist() == list(
        decompressed(test_split_copy / TEST_LABELS)[8:11]
    )


def test_read_idx_truncated_gzip_names_file(test_split_copy):
    path = test_split_copy / TEST_IMAGES
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])

    with pytest.raises(FashionMnistError, match="not a complete gzip file") as error:
        read_split(test_split_copy, "test")
    assert str(path) in str(error.value)


def test_read_idx_truncated_content_names_file(test_split_copy):
    path = test_split_copy / TEST_IMAGES
    content = decompressed(path)
    path.write_bytes(gzip.compress(content[:-100], compresslevel=1))

    with pytest.raises(FashionMnistError, match="truncated") as error:
        read_split(test_split_copy, "test")
    assert str(path) in str(error.value)


def test_read_idx_trailing_bytes_rejected(test_split_copy):
    path = test_split_copy / TEST_LABELS
    path.write_bytes(gzip.compress(decompressed(path) + b"\x00"))

    with pytest.raises(FashionMnistError, match="expected 10008") as error:
        read_idx(path, LABELS_MAGIC, (10_000,))
    assert str(path) in str(error.value)


def test_read_idx_wrong_magic_names_file(test_split_copy):
    # A labels file where an images file belongs.
    shutil.copyfile(test_split_copy / TEST_LABELS, test_split_copy / TEST_IMAGES)
    path = test_split_copy / TEST_IMAGES

    with pytest.raises(FashionMnistError, match="magic number 0x00000801") as error:
        read_idx(path, IMAGES_MAGIC, (10_000, 28, 28))
    assert str(path) in str(error.value)


def test_read_idx_wrong_shape_names_file(test_split_copy):
    path = test_split_copy / TEST_IMAGES
    content = bytearray(decompressed(path))
    content[4:8] = struct.pack(">I", 9_999)
    path.write_bytes(gzip.compress(bytes(content), compresslevel=1))

    with pytest.raises(FashionMnistError, match=r"shape \(9999, 28, 28\)") as error:
        read_split(test_split_copy, "test")
    assert str(path) in str(error.value)


def test_read_idx_plain_file_rejected(tmp_path):
    path = tmp_path / TEST_LABELS
    path.write_bytes(b"not a gzip stream at all")

    with pytest.raises(FashionMnistError, match="not a complete gzip file"):
        read_idx(path, LABELS_MAGIC, (10_000,))


def test_read_idx_short_header_rejected(tmp_path):
    path = tmp_path / TEST_LABELS
    path.write_bytes(gzip.compress(b"\x00\x00"))

    with pytest.raises(FashionMnistError, match="too short for an IDX header"):
        read_idx(path, LABELS_MAGIC, (10_000,))


def test_read_split_label_out_of_range(test_split_copy):
    path = test_split_copy / TEST_LABELS
    content = bytearray(decompressed(path))
    content[8] = 10
    path.write_bytes(gzip.compress(bytes(content)))

    with pytest.raises(FashionMnistError, match="label 10") as error:
        read_split(test_split_copy, "test")
    assert str(path) in str(error.value)


def test_read_idx_missing_file_names_file(tmp_path):
    path = tmp_path / TEST_IMAGES

    with pytest.raises(FashionMnistError, match="not found") as error:
        read_idx(path, IMAGES_MAGIC, (10_000, 28, 28))
    assert str(path) in str(error.value)


def test_candidate_folders_order(tmp_path):
    assert candidate_folders(None, tmp_path) == [
        tmp_path / "fashion-mnist",
        DEBIAN_DIR,
        tmp_path / "FashionMNIST" / "raw",
    ]
    assert candidate_folders(tmp_path / "mine", tmp_path) == [tmp_path / "mine"]


def test_find_prefers_data_dir_copy(tmp_path):
    own_copy = tmp_path / "fashion-mnist"
    own_copy.mkdir()
    for name in FILE_NAMES:
        (own_copy / name).symlink_to(DEBIAN_DIR / name)

    assert find_fashion_mnist(None, tmp_path, allow_download=False) == own_copy


def test_find_falls_back_to_debian_folder(tmp_path):
    # An incomplete copy in the data folder is skipped.
    (tmp_path / "fashion-mnist").mkdir()
    (tmp_path / "fashion-mnist" / TEST_LABELS).symlink_to(DEBIAN_DIR / TEST_LABELS)

    assert find_fashion_mnist(None, tmp_path, allow_download=False) == DEBIAN_DIR


def test_find_configured_folder_missing_files(tmp_path):
    configured = tmp_path / "elsewhere"

    with pytest.raises(FashionMnistError, match="not found") as error:
        find_fashion_mnist(configured, tmp_path)
    assert str(configured) in str(error.value)
    assert "ANNLAB_FASHION_MNIST_DIR" in str(error.value)
