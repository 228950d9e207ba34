"""Time a GAN training epoch on Fashion-MNIST: our PyTorch trainer beside Keras.

The Keras side is a plain TensorFlow 2 version of the same networks, losses
and optimizers: a `tf.function` step that computes both losses under one
GradientTape from one forward pass, fed by `tf.data` with shuffling and
batches of 512. It needs the optional `bench` extra (tensorflow-cpu). Without
TensorFlow, only our trainer is timed.

Each framework runs in its own worker process. The parent requests epochs
from them in turn (ours, Keras, ours, Keras, ...), so that load from other
processes on a shared machine falls on both alike. The first epoch of each is
a warm-up and is not counted. Only the training batches are timed, not the
test evaluation after each epoch. Our worker runs with GOMP_SPINCOUNT=10000
and glibc's malloc set to keep freed memory, as `annlab serve` does.

By default an epoch is cut to 30 of its 117 batches and the time is scaled to
117 batches, because a full epoch takes minutes on two CPU cores. Pass
--batches 117 for whole epochs.

Run: .venv/bin/python bench/gan_epoch.py [--batches N] [--rounds R] [--threads T]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import describe_machine  # noqa: E402

BATCH_SIZE = 512
FULL_EPOCH_BATCHES = 60_000 // BATCH_SIZE
LATENT_DIM = 64


def load_images():
    """Load Fashion-MNIST from the folder that the app would use."""
    from annlab.core.settings import Settings
    from annlab.engines.gan.fashion_mnist import find_fashion_mnist, load_fashion_mnist

    settings = Settings()
    folder = find_fashion_mnist(
        settings.fashion_mnist_dir, settings.data_dir, allow_download=False
    )
    return load_fashion_mnist(folder)


def torch_worker(batches: int, threads: int | None, device_name: str) -> None:
    """Serve "epoch" requests with our trainer: one JSON line per epoch."""
    import torch
    from annlab.engines.gan.trainer import (
        EpochRecord,
        TrainingConfig,
        resolve_device,
        train_gan,
    )
    from annlab.runs.malloc import keep_freed_memory

    keep_freed_memory()  # as `annlab serve` does

    if threads is not None:
        torch.set_num_threads(threads)
    config = TrainingConfig(
        epochs=1000, batch_size=BATCH_SIZE, batches_per_epoch=batches, test_batches=1
    )
    device = resolve_device(device_name)
    with tempfile.TemporaryDirectory() as run_dir:
        records = train_gan(config, load_images(), device, Path(run_dir))
        for _ in sys.stdin:
            record = next(item for item in records if isinstance(item, EpochRecord))
            print(json.dumps({"seconds": record.train_seconds}), flush=True)


def keras_worker(batches: int, threads: int | None) -> None:
    """Serve "epoch" requests with the Keras version: one JSON line per epoch."""
    import tensorflow as tf

    if threads is not None:
        # One op at a time on `threads` threads, as PyTorch runs them.
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    keras = tf.keras
    dataset = load_images()
    images = (
        dataset.train_images.numpy().reshape(-1, 28, 28, 1).astype("float32") / 255.0
    )

    generator = keras.Sequential(
        [
            keras.Input((LATENT_DIM,)),
            keras.layers.Dense(7 * 7 * 64, activation="relu"),
            keras.layers.Reshape((7, 7, 64)),
            keras.layers.Conv2DTranspose(
                64, 3, strides=2, padding="same", activation="relu"
            ),
            keras.layers.Conv2DTranspose(
                32, 3, strides=2, padding="same", activation="relu"
            ),
            keras.layers.Conv2DTranspose(
                1, 3, strides=1, padding="same", activation="sigmoid"
            ),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            keras.layers.Conv2D(64, 3, strides=2, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    counts = (generator.count_params(), discriminator.count_params())
    if counts != (259_521, 21_121):
        raise RuntimeError(f"Keras parameter counts {counts} differ from ours")

    generator_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
    discriminator_optimizer = keras.optimizers.RMSprop(5e-3)
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def train_step(real):
        latents = tf.random.normal((BATCH_SIZE, LATENT_DIM))
        with tf.GradientTape(persistent=True) as tape:
            fake = generator(latents, training=True)
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            generator_loss = cross_entropy(tf.ones_like(fake_logits), fake_logits)
            discriminator_loss = cross_entropy(
                tf.ones_like(real_logits), real_logits
            ) + cross_entropy(tf.zeros_like(fake_logits), fake_logits)
        generator_variables = generator.trainable_variables
        discriminator_variables = discriminator.trainable_variables
        generator_optimizer.apply_gradients(
            zip(
                tape.gradient(generator_loss, generator_variables),
                generator_variables,
                strict=True,
            )
        )
        discriminator_optimizer.apply_gradients(
            zip(
                tape.gradient(discriminator_loss, discriminator_variables),
                discriminator_variables,
                strict=True,
            )
        )
        return generator_loss, discriminator_loss

    batches_of_data = (
        tf.data.Dataset.from_tensor_slices(images)
        .shuffle(len(images))
        .batch(BATCH_SIZE, drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    iterator = iter(batches_of_data)
    for _ in sys.stdin:
        started = time.perf_counter()
        for _ in range(batches):
            losses = train_step(next(iterator))
        float(losses[0])  # wait for the last step to finish
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)


class Worker:
    """A worker process that times one epoch per "epoch" line and prints its seconds."""

    def __init__(self, name: str, args: argparse.Namespace) -> None:
        self.name = name
        options = ["--batches", str(args.batches), "--device", args.device]
        if args.threads is not None:
            options += ["--threads", str(args.threads)]
        # The same OpenMP spinning limit as the server (see annlab.cli.main).
        env = dict(os.environ)
        if "OMP_WAIT_POLICY" not in env:
            env.setdefault("GOMP_SPINCOUNT", "10000")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", name, *options],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def time_epoch(self) -> float:
        self.process.stdin.write("epoch\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"The {self.name} worker exited early")
        return json.loads(line)["seconds"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def tensorflow_available() -> bool:
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--batches",
        type=int,
        default=30,
        help=f"Batches of {BATCH_SIZE} per timed epoch (full epoch: "
        f"{FULL_EPOCH_BATCHES}).",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="Timed epochs per framework after the warm-up epoch.",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="CPU threads for each framework (default: each framework's own default).",
    )
    parser.add_argument(
        "--device",
        default="cpu",
        choices=("cpu", "cuda"),
        help="Device of our trainer; Keras always runs on the CPU.",
    )
    parser.add_argument("--worker", choices=("torch", "keras"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker == "torch":
        torch_worker(args.batches, args.threads, args.device)
        return
    if args.worker == "keras":
        keras_worker(args.batches, args.threads)
        return

    names = ["torch", "keras"] if tensorflow_available() else ["torch"]
    if names == ["torch"]:
        print("TensorFlow is not installed (pip install '.[bench]'); timing only ours.")
    workers = [Worker(name, args) for name in names]
    seconds: dict[str, list[float]] = {name: [] for name in names}
    try:
        for worker in workers:
            worker.time_epoch()  # warm-up
        for _ in range(args.rounds):
            for worker in workers:
                seconds[worker.name].append(worker.time_epoch())
    finally:
        for worker in workers:
            worker.close()

    scale = FULL_EPOCH_BATCHES / args.batches
    threads = args.threads or "default"
    print(
        f"Machine: {describe_machine()}; threads per framework: {threads}; "
        f"our device: {args.device}; load average at the end: {os.getloadavg()[0]:.1f}"
    )
    print(
        f"Epoch: {args.batches} batches of {BATCH_SIZE}, scaled to {FULL_EPOCH_BATCHES}"
    )
    medians = {}
    for name in names:
        medians[name] = statistics.median(seconds[name]) * scale
        rounds = ", ".join(f"{value * scale:.1f}" for value in seconds[name])
        print(f"{name}: {medians[name]:.1f} s per epoch (median; rounds {rounds})")
    if "keras" in medians:
        print(f"Keras / ours: {medians['keras'] / medians['torch']:.2f}")


if __name__ == "__main__":
    main()
