"""GAN training loop on the real data: records, samples, checkpoints, stop and NaN."""

import io

import pytest
import torch
from annlab.engines.gan.fashion_mnist import DEBIAN_DIR, FILE_NAMES, load_fashion_mnist
from annlab.engines.gan.trainer import (
    CHECKPOINT_NAME,
    EpochRecord,
    ProgressRecord,
    TrainingConfig,
    TrainingEnd,
    TrainingStart,
    batches_in_epoch,
    grid_shape,
    resolve_device,
    train_gan,
)
from PIL import Image

pytestmark = pytest.mark.skipif(
    not all((DEBIAN_DIR / name).is_file() for name in FILE_NAMES),
    reason="Debian's dataset-fashion-mnist package is not installed",
)

CPU = torch.device("cpu")
# Small enough for a few seconds on two CPU cores.
QUICK = dict(batch_size=32, batches_per_epoch=3, test_batches=2)


@pytest.fixture(scope="module")
def dataset():
    return load_fashion_mnist(DEBIAN_DIR)


def run(config, dataset, run_dir, should_stop=lambda: False):
    return list(train_gan(config, dataset, CPU, run_dir, should_stop))


def of_type(records, record_type):
    return [record for record in records if isinstance(record, record_type)]


def test_train_two_epochs_records(dataset, tmp_path):
    config = TrainingConfig(epochs=2, **QUICK)
    records = run(config, dataset, tmp_path)

    assert records[0] == TrainingStart(0)
    assert records[-1] == TrainingEnd("finished", 2)
    epochs = of_type(records, EpochRecord)
    assert [record.epoch for record in epochs] == [1, 2]
    for record in epochs:
        for loss in (
            record.generator_loss,
            record.discriminator_loss,
            record.train_generator_loss,
            record.train_discriminator_loss,
        ):
            assert 0.0 < loss < 20.0
        assert 0.0 < record.train_seconds <= record.seconds
    assert (tmp_path / CHECKPOINT_NAME).is_file()


def test_train_progress_counts_batches(dataset, tmp_path):
    config = TrainingConfig(epochs=2, progress_interval_seconds=0.0, **QUICK)
    progress = of_type(run(config, dataset, tmp_path), ProgressRecord)

    assert [(record.epoch, record.batch) for record in progress] == [
        (epoch, batch) for epoch in (1, 2) for batch in (1, 2, 3)
    ]
    assert all(record.batches_per_epoch == 3 for record in progress)
    assert all(record.epochs == 2 for record in progress)
    assert progress[-1].eta_seconds == 0.0
    assert all(record.eta_seconds > 0.0 for record in progress[:-1])


def test_train_progress_rate_is_bounded(dataset, tmp_path):
    # With a long interval only each epoch's first and last batch are reported.
    config = TrainingConfig(epochs=2, progress_interval_seconds=3600.0, **QUICK)
    progress = of_type(run(config, dataset, tmp_path), ProgressRecord)

    assert [(record.epoch, record.batch) for record in progress] == [
        (1, 1),
        (1, 3),
        (2, 1),
        (2, 3),
    ]


def test_train_samples_decode_to_grid(dataset, tmp_path):
    config = TrainingConfig(epochs=2, **QUICK)
    epochs = of_type(run(config, dataset, tmp_path), EpochRecord)

    pictures = []
    for record in epochs:
        image = Image.open(io.BytesIO(record.sample_path.read_bytes()))
        assert image.format == "PNG"
        assert image.mode == "L"
        assert image.size == grid_shape()
        pictures.append(image.tobytes())
    assert pictures[0] != pictures[1]


def test_train_same_seed_same_results(dataset, tmp_path):
    config = TrainingConfig(epochs=1, seed=5, **QUICK)
    first = of_type(run(config, dataset, tmp_path / "a"), EpochRecord)[0]
    second = of_type(run(config, dataset, tmp_path / "b"), EpochRecord)[0]

    assert first.generator_loss == second.generator_loss
    assert first.train_discriminator_loss == second.train_discriminator_loss
    assert first.sample_path.read_bytes() == second.sample_path.read_bytes()


def test_resume_matches_uninterrupted_run(dataset, tmp_path):
    straight = of_type(
        run(TrainingConfig(epochs=2, **QUICK), dataset, tmp_path / "straight"),
        EpochRecord,
    )

    resumed_dir = tmp_path / "resumed"
    run(TrainingConfig(epochs=1, **QUICK), dataset, resumed_dir)
    records = run(TrainingConfig(epochs=2, **QUICK), dataset, resumed_dir)

    assert records[0] == TrainingStart(1)
    resumed = of_type(records, EpochRecord)
    assert [record.epoch for record in resumed] == [2]
    assert resumed[0].generator_loss == straight[1].generator_loss
    assert resumed[0].train_generator_loss == straight[1].train_generator_loss
    assert resumed[0].sample_path.read_bytes() == straight[1].sample_path.read_bytes()


def test_stop_keeps_last_complete_epoch(dataset, tmp_path):
    polls = 0

    def stop_during_second_epoch():
        nonlocal polls
        polls += 1
        return polls > 5  # epoch 1 polls 3 times, so this is batch 2 of epoch 2

    config = TrainingConfig(epochs=3, **QUICK)
    records = run(config, dataset, tmp_path, stop_during_second_epoch)

    assert records[-1] == TrainingEnd("stopped", 1)
    assert [record.epoch for record in of_type(records, EpochRecord)] == [1]
    checkpoint = torch.load(tmp_path / CHECKPOINT_NAME, weights_only=True)
    assert checkpoint["epoch"] == 1

    records = run(config, dataset, tmp_path)
    assert records[0] == TrainingStart(1)
    assert [record.epoch for record in of_type(records, EpochRecord)] == [2, 3]
    assert records[-1] == TrainingEnd("finished", 3)


def test_nan_weights_fail_with_epoch(dataset, tmp_path):
    run(TrainingConfig(epochs=1, **QUICK), dataset, tmp_path)
    checkpoint_path = tmp_path / CHECKPOINT_NAME
    checkpoint = torch.load(checkpoint_path, weights_only=True)
    checkpoint["discriminator"]["logit.weight"][0, 0] = float("nan")
    torch.save(checkpoint, checkpoint_path)

    records = run(TrainingConfig(epochs=3, **QUICK), dataset, tmp_path)

    end = records[-1]
    assert end.status == "failed"
    assert end.epoch == 1
    assert "epoch 2" in end.reason
    assert "nan" in end.reason
    assert of_type(records, EpochRecord) == []
    assert not (tmp_path / "samples" / "epoch-0002.png").exists()


def test_unreadable_checkpoint_rejected(dataset, tmp_path):
    (tmp_path / CHECKPOINT_NAME).write_bytes(b"not a checkpoint")

    with pytest.raises(ValueError, match="cannot be read"):
        run(TrainingConfig(epochs=1, **QUICK), dataset, tmp_path)


def test_batches_in_epoch_counts_full_batches():
    assert batches_in_epoch(TrainingConfig(), 60_000) == 117
    assert batches_in_epoch(TrainingConfig(batches_per_epoch=5), 60_000) == 5
    assert batches_in_epoch(TrainingConfig(batches_per_epoch=500), 60_000) == 117
    with pytest.raises(ValueError, match="larger than"):
        batches_in_epoch(TrainingConfig(batch_size=4096), 1_000)


def test_resolve_device():
    assert resolve_device("cpu") == CPU
    expected_auto = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected_auto
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA device"):
            resolve_device("cuda")
    with pytest.raises(ValueError, match="Unknown device"):
        resolve_device("tpu")
