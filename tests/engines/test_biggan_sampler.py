"""Loading a BigGAN folder with from_pretrained and drawing images from specs."""

import io
from pathlib import Path

import numpy as np
import pytest
import torch
from annlab.engines.biggan.model_files import ModelNotAvailable
from annlab.engines.biggan.sampler import (
    encode_png,
    generate,
    group_by_truncation,
    load_model,
    noise_vector,
    pick_device,
)
from annlab.engines.biggan.specs import ImageSpec, interpolation_specs, sample_specs
from annlab.engines.biggan.tiny_model import save_random_model
from PIL import Image

CPU = torch.device("cpu")


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Run the tiny model on one thread: several threads spin-wait on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_random_model(tmp_path_factory.mktemp("tiny-biggan"))


@pytest.fixture(scope="module")
def model(model_dir: Path):
    return load_model(model_dir, CPU)


def spec(index: int = 207, seed: int = 0, truncation: float = 0.4) -> ImageSpec:
    return ImageSpec(((index, 1.0),), ((seed, 1.0),), truncation)


def test_load_model_from_folder_in_eval_mode(model):
    assert not model.training
    assert model.config.output_dim == 32
    assert next(model.parameters()).device == CPU


def test_generate_returns_rgb_images(model):
    images, passes = generate(model, [spec(seed=1), spec(seed=2)], CPU)

    assert passes == 1
    assert len(images) == 2
    for image in images:
        assert image.shape == (32, 32, 3)
        assert image.dtype == np.uint8
    assert not np.array_equal(images[0], images[1])


def test_same_seed_gives_same_image(model):
    first, _ = generate(model, [spec(seed=5)], CPU)
    second, _ = generate(model, [spec(seed=5)], CPU)

    assert np.array_equal(first[0], second[0])


def test_class_and_truncation_change_image(model):
    images, _ = generate(
        model, [spec(1, 5), spec(2, 5), spec(1, 5, truncation=1.0)], CPU
    )

    assert not np.array_equal(images[0], images[1])
    assert not np.array_equal(images[0], images[2])


def test_batched_image_matches_single(model):
    batch, _ = generate(
        model, [spec(index, seed) for index, seed in [(1, 3), (2, 4), (3, 5)]], CPU
    )
    single, _ = generate(model, [spec(2, 4)], CPU)

    difference = np.abs(batch[1].astype(int) - single[0].astype(int))
    assert difference.max() <= 1


def test_truncations_run_as_separate_forward_passes(model):
    specs = [
        spec(seed=1, truncation=0.4),
        spec(seed=2, truncation=0.8),
        spec(seed=3, truncation=0.4),
    ]

    assert group_by_truncation(specs) == {0.4: [0, 2], 0.8: [1]}
    images, passes = generate(model, specs, CPU)
    alone, _ = generate(model, [spec(seed=2, truncation=0.8)], CPU)

    assert passes == 2
    assert np.abs(images[1].astype(int) - alone[0].astype(int)).max() <= 1


def test_generate_rejects_truncation_out_of_range(model):
    with pytest.raises(ValueError, match="from 0.02 to 1"):
        generate(model, [spec(truncation=0.0)], CPU)


def test_generate_rejects_class_out_of_range(model):
    with pytest.raises(ValueError, match="0 to 999, got 1000"):
        generate(model, [spec(index=1000)], CPU)


def test_noise_vector_is_truncated_and_scaled():
    noise = noise_vector(seed=3, truncation=0.5, z_dim=128)

    assert noise.shape == (128,)
    assert np.abs(noise).max() <= 1.0
    assert np.array_equal(noise, noise_vector(seed=3, truncation=0.5, z_dim=128))


def test_noise_vector_rejects_large_seed():
    with pytest.raises(ValueError, match="Noise seed"):
        noise_vector(seed=2**32, truncation=0.5, z_dim=8)


def test_sample_specs_use_consecutive_seeds():
    specs = sample_specs(class_index=9, seed=100, count=3, truncation=0.5)

    assert [item.noise for item in specs] == [
        ((100, 1.0),),
        ((101, 1.0),),
        ((102, 1.0),),
    ]
    assert all(item.classes == ((9, 1.0),) for item in specs)


def test_interpolation_end_points_equal_plain_samples(model):
    points = interpolation_specs((207, 1), (1, 2), steps=5, truncation=0.4)
    positions = [t for t, _ in points]
    images, _ = generate(model, [item for _, item in points], CPU)
    ends, _ = generate(model, [spec(207, 1), spec(1, 2)], CPU)

    assert positions == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert np.abs(images[0].astype(int) - ends[0].astype(int)).max() <= 1
    assert np.abs(images[-1].astype(int) - ends[1].astype(int)).max() <= 1
    assert not np.array_equal(images[2], images[0])


def test_interpolation_needs_two_steps():
    with pytest.raises(ValueError, match="at least 2 steps"):
        interpolation_specs((1, 1), (2, 2), steps=1, truncation=0.4)


def test_encode_png_round_trips(model):
    images, _ = generate(model, [spec()], CPU)

    decoded = np.asarray(Image.open(io.BytesIO(encode_png(images[0]))))

    assert np.array_equal(decoded, images[0])


def test_pick_device_honours_explicit_choice():
    assert pick_device("cpu") == CPU
    assert pick_device("auto").type in {"cuda", "mps", "cpu"}


def test_corrupt_weights_reported_as_not_available(tmp_path: Path, model_dir: Path):
    folder = tmp_path / "corrupt"
    folder.mkdir()
    (folder / "config.json").write_text((model_dir / "config.json").read_text())
    (folder / "pytorch_model.bin").write_bytes(b"these are not weights")

    with pytest.raises(ModelNotAvailable, match="could not be loaded") as raised:
        load_model(folder, CPU)
    assert "ANNLAB_BIGGAN_MODEL" in str(raised.value)


def test_invalid_config_reported_as_not_available(tmp_path: Path, model_dir: Path):
    folder = tmp_path / "bad-config"
    folder.mkdir()
    (folder / "config.json").write_text("{not json")
    (folder / "pytorch_model.bin").write_bytes(
        (model_dir / "pytorch_model.bin").read_bytes()
    )

    with pytest.raises(ModelNotAvailable, match="JSONDecodeError"):
        load_model(folder, CPU)


def test_mismatched_weights_reported_as_not_available(tmp_path: Path, model_dir: Path):
    folder = tmp_path / "mismatch"
    folder.mkdir()
    (folder / "config.json").write_text("{}")  # the default 128-pixel architecture
    (folder / "pytorch_model.bin").write_bytes(
        (model_dir / "pytorch_model.bin").read_bytes()
    )

    with pytest.raises(ModelNotAvailable, match="size mismatch"):
        load_model(folder, CPU)
