"""Requests per second and latency of the BigGAN worker, with and without batching.

For each model, the worker runs with two settings: batches of one image
(every request gets its own forward pass), and batches of up to --max-batch
images that arrive within --max-wait-ms. A fresh worker serves each round
of each setting. --clients threads send --requests single-image requests
each, back to back, over HTTP, so the numbers include HTTP and PNG encoding.

Run: .venv/bin/python bench/biggan_batching.py
     (default: a tiny and a wider random BigGAN on the CPU; --model
     biggan-deep-256 --device cuda measures the real model where its weights
     and a GPU are at hand)
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annlab.engines.biggan.tiny_model import save_random_model  # noqa: E402
from common import describe_machine  # noqa: E402
from pytorch_pretrained_biggan import BigGANConfig  # noqa: E402

TOKEN = "bench-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
READY_TIMEOUT_S = 600.0


def start_worker(
    folder: Path, args: argparse.Namespace, max_batch: int, max_wait_ms: float
):
    port_file = folder / f"port-{max_batch}"
    port_file.unlink(missing_ok=True)  # left by the previous round's worker
    command = [
        sys.executable,
        "-m",
        "annlab.engines.biggan.worker",
        "--port",
        "0",
        "--port-file",
        str(port_file),
        "--model",
        args.model,
        "--device",
        args.device,
        "--max-batch",
        str(max_batch),
        "--max-wait-ms",
        str(max_wait_ms),
        "--cache-dir",
        str(folder / "cache"),
        "--log-level",
        "WARNING",
    ]
    if args.threads:
        command += ["--threads", str(args.threads)]
    environment = {**os.environ, "ANNLAB_BIGGAN_WORKER_TOKEN": TOKEN}
    process = subprocess.Popen(command, env=environment)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not port_file.is_file():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("The BigGAN worker did not start")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port_file.read_text()}"
    while True:
        status = httpx.get(f"{url}/status", headers=AUTH).json()
        if status["state"] == "ready":
            return process, url, status
        if status["state"] == "unavailable" or time.monotonic() > deadline:
            process.terminate()
            raise RuntimeError(f"The BigGAN model did not load: {status['message']}")
        time.sleep(0.2)


def run_clients(url: str, clients: int, requests: int) -> tuple[float, list[float]]:
    """Send the requests from `clients` threads; return wall time and latencies."""

    def client(number: int) -> list[float]:
        latencies = []
        with httpx.Client(headers=AUTH, timeout=600) as http:
            for index in range(requests):
                item = {
                    "classes": [[(number * 37 + index) % 1000, 1.0]],
                    "noise": [[number * 1000 + index, 1.0]],
                    "truncation": 0.4,
                }
                started = time.perf_counter()
                response = http.post(f"{url}/generate", json={"items": [item]})
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    return time.perf_counter() - started, [
        value for values in results for value in values
    ]


def measure(
    folder: Path, args: argparse.Namespace, max_batch: int, max_wait_ms: float
) -> dict:
    process, url, _ = start_worker(folder, args, max_batch, max_wait_ms)
    try:
        run_clients(url, clients=2, requests=2)  # warm-up: connections, first passes
        before = httpx.get(f"{url}/status", headers=AUTH).json()
        wall_s, latencies = run_clients(url, args.clients, args.requests)
        after = httpx.get(f"{url}/status", headers=AUTH).json()
    finally:
        process.terminate()
        process.wait(timeout=30)
    quantiles = statistics.quantiles(latencies, n=20)
    passes = after["forward_passes"] - before["forward_passes"]
    return {
        "requests_per_s": len(latencies) / wall_s,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": quantiles[18] * 1000,
        "images_per_pass": len(latencies) / passes,
    }


def wider_config() -> BigGANConfig:
    """Return a 64x64 random BigGAN with 16 channels per width unit, 1.8 M weights.

    One image takes about 9 ms on one CPU thread, several times the tiny
    model's, so the generator weighs more against HTTP and PNG encoding, as it
    does with the real models.
    """
    return BigGANConfig(
        output_dim=64,
        channel_width=16,
        layers=[(True, 16, 8), (True, 8, 4), (True, 4, 2), (False, 2, 2), (True, 2, 1)],
        attention_layer_position=2,
    )


def compare(folder: Path, args: argparse.Namespace) -> dict[str, dict]:
    """Measure both worker settings `--rounds` times, alternating; keep the medians."""
    settings = {
        "max batch 1 (no batching)": (1, 0.0),
        f"max batch {args.max_batch}, max wait {args.max_wait_ms:g} ms": (
            args.max_batch,
            args.max_wait_ms,
        ),
    }
    rounds: dict[str, list[dict]] = {label: [] for label in settings}
    for _ in range(args.rounds):
        for label, (max_batch, max_wait_ms) in settings.items():
            rounds[label].append(measure(folder, args, max_batch, max_wait_ms))
    return {
        label: {
            key: statistics.median(result[key] for result in results)
            for key in results[0]
        }
        for label, results in rounds.items()
    }


def print_table(model_name: str, results: dict[str, dict], args) -> None:
    print(
        f"Model: {model_name} on {args.device}, {args.threads} thread(s); "
        f"{args.clients} clients x {args.requests} single-image requests; "
        f"medians of {args.rounds} rounds"
    )
    print()
    print(
        "| Worker setting | Requests/s | p50 latency | p95 latency "
        "| Images per forward pass |"
    )
    print("|---|---|---|---|---|")
    for label, result in results.items():
        print(
            f"| {label} | {result['requests_per_s']:.0f} | "
            f"{result['p50_ms']:.1f} ms | {result['p95_ms']:.1f} ms | "
            f"{result['images_per_pass']:.1f} |"
        )
    unbatched, batched = results.values()
    ratio = batched["requests_per_s"] / unbatched["requests_per_s"]
    print()
    print(f"Throughput ratio, batching / no batching: {ratio:.2f}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        help="Model name or folder (default: a tiny and a wider random model).",
    )
    parser.add_argument("--device", default="cpu", help="Worker device (default cpu).")
    parser.add_argument(
        "--threads", type=int, default=1, help="PyTorch CPU threads (default 1)."
    )
    parser.add_argument(
        "--clients", type=int, default=16, help="Concurrent clients (default 16)."
    )
    parser.add_argument(
        "--requests", type=int, default=20, help="Requests per client (default 20)."
    )
    parser.add_argument(
        "--max-batch", type=int, default=16, help="Batch limit when batching."
    )
    parser.add_argument(
        "--max-wait-ms", type=float, default=10.0, help="Batch wait when batching."
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="Rounds per setting (default 3)."
    )
    args = parser.parse_args()

    print(f"Machine: {describe_machine()}")
    print(f"Load average before the run: {os.getloadavg()[0]:.1f}")
    print()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if args.model is not None:
            models = [(args.model, args.model)]
        else:
            tiny = save_random_model(folder / "tiny")
            wider = save_random_model(folder / "wider", config=wider_config())
            models = [
                ("tiny random BigGAN (32x32, 0.5 M weights)", str(tiny)),
                ("wider random BigGAN (64x64, 1.8 M weights)", str(wider)),
            ]
        for model_name, model in models:
            args.model = model
            print_table(model_name, compare(folder, args), args)


if __name__ == "__main__":
    main()
