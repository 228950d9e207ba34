"""The BigGAN worker: an HTTP server that loads the generator once and draws in batches.

The web server starts one on the loopback address, or talks to one started
on a GPU machine with

    annlab biggan-worker --host 0.0.0.0 --port 8100 --token SECRET

Every request except GET /health must carry `Authorization: Bearer <token>`.

- GET /health: 200 while the process runs.
- GET /status: model state (loading, ready, unavailable), loading stage and
  progress, device, queue length and batch counters.
- POST /generate: {"items": [{"classes": [[index, weight], ...],
  "noise": [[seed, weight], ...], "truncation": t}, ...]} returns
  {"images": [{"png_base64", "batch_id", "batch_size"}, ...], "queue_ms",
  "forward_ms", "width", "height"}, or 503 while the model is not ready.

It uses the standard library's threading HTTP server: each request waits in
its own thread while one batcher thread runs the generator, so PyTorch never
runs in an event loop and /status responds during a forward pass.
"""

import argparse
import base64
import hmac
import json
import logging
import os
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from annlab.engines.biggan.classes import NUM_CLASSES
from annlab.engines.biggan.model_files import (
    ModelNotAvailable,
    download_model,
    locate_model,
)
from annlab.engines.biggan.specs import (
    MAX_NOISE_SEED,
    MAX_TRUNCATION,
    MIN_TRUNCATION,
    ImageSpec,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20
MAX_ITEMS_PER_REQUEST = 64
MAX_MIX_TERMS = 16
REQUEST_TIMEOUT_S = 600.0
TOKEN_ENV = "ANNLAB_BIGGAN_WORKER_TOKEN"
PARENT_POLL_INTERVAL_S = 1.0


class InvalidRequest(ValueError):
    """A /generate body that does not describe images; sent back as HTTP 422."""


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(f"{name} must be a number, got {value!r}")
    return float(value)


def _integer(value: Any, name: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"{name} must be an integer, got {value!r}")
    if not minimum <= value <= maximum:
        raise InvalidRequest(f"{name} must be from {minimum} to {maximum}, got {value}")
    return value


def _mix(value: Any, name: str, maximum: int) -> tuple[tuple[int, float], ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_MIX_TERMS:
        raise InvalidRequest(
            f"{name} must be a list of 1 to {MAX_MIX_TERMS} [key, weight] pairs"
        )
    terms = []
    for position, term in enumerate(value):
        if not isinstance(term, list) or len(term) != 2:
            raise InvalidRequest(
                f"{name}[{position}] must be a [key, weight] pair, got {term!r}"
            )
        key = _integer(term[0], f"{name}[{position}][0]", 0, maximum)
        weight = _number(term[1], f"{name}[{position}][1]")
        if not -10.0 <= weight <= 10.0:
            raise InvalidRequest(
                f"{name}[{position}][1] must be from -10 to 10, got {weight}"
            )
        terms.append((key, weight))
    return tuple(terms)


def parse_generate_request(payload: Any) -> list[ImageSpec]:
    """Turn a /generate body into ImageSpecs; raise InvalidRequest naming the field."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise InvalidRequest('The body must be a JSON object with an "items" list')
    items = payload["items"]
    if not 1 <= len(items) <= MAX_ITEMS_PER_REQUEST:
        raise InvalidRequest(
            f"items must hold 1 to {MAX_ITEMS_PER_REQUEST} images, got {len(items)}"
        )
    specs = []
    for position, item in enumerate(items):
        name = f"items[{position}]"
        if not isinstance(item, dict):
            raise InvalidRequest(f"{name} must be an object, got {item!r}")
        truncation = _number(item.get("truncation"), f"{name}.truncation")
        if not MIN_TRUNCATION <= truncation <= MAX_TRUNCATION:
            raise InvalidRequest(
                f"{name}.truncation must be from {MIN_TRUNCATION} to {MAX_TRUNCATION}, "
                f"got {truncation}"
            )
        specs.append(
            ImageSpec(
                classes=_mix(item.get("classes"), f"{name}.classes", NUM_CLASSES - 1),
                noise=_mix(item.get("noise"), f"{name}.noise", MAX_NOISE_SEED),
                truncation=truncation,
            )
        )
    return specs


class BigGANWorker:
    """Loads the model in a background thread, then serves batches through a Batcher."""

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        device: str = "auto",
        max_batch: int = 16,
        max_wait_s: float = 0.02,
        threads: int | None = None,
    ) -> None:
        self.model_setting = model
        self.cache_dir = cache_dir
        self.device_preference = device
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.threads = threads
        self.batcher = None
        self._lock = threading.Lock()
        self._state = "loading"
        self._stage = "starting"
        self._progress = 0.0
        self._message = ""
        self._device: str | None = None
        self._image_size: int | None = None
        self._loaded_at: float | None = None
        self._started_at = time.monotonic()

    def _set(self, stage: str, progress: float) -> None:
        with self._lock:
            self._stage = stage
            self._progress = progress
        logger.info("BigGAN worker: %s (%.0f%%)", stage, progress * 100)

    def _report_download(self, name: str, received: int, total: int | None) -> None:
        megabytes = received / 1e6
        if total:
            stage = f"downloading {name}: {megabytes:.0f} of {total / 1e6:.0f} MB"
            progress = 0.05 + 0.65 * received / total
        else:
            stage = f"downloading {name}: {megabytes:.0f} MB"
            progress = 0.05
        with self._lock:
            self._stage, self._progress = stage, progress

    def load(self) -> None:
        """Find or download the weights, load them and start the batcher."""
        try:
            self._set("looking for the weights", 0.02)
            location = locate_model(self.model_setting, self.cache_dir)
            if location.downloads:
                self._set(f"downloading the weights into {location.folder}", 0.05)
                download_model(location, self._report_download)
            self._set("importing PyTorch", 0.72)
            import torch

            from annlab.engines.biggan import sampler
            from annlab.engines.biggan.batcher import Batcher

            if self.threads:
                torch.set_num_threads(self.threads)

            device = sampler.pick_device(self.device_preference)
            self._set(f"reading the weights onto {device}", 0.8)
            model = sampler.load_model(location.folder, device)
            self._set("warming up with one image", 0.95)
            warm_up = ImageSpec(((0, 1.0),), ((0, 1.0),), 0.4)
            images, _ = sampler.generate(model, [warm_up], device)

            def run_batch(specs):
                return sampler.generate(model, specs, device)

            batcher = Batcher(run_batch, self.max_batch, self.max_wait_s)
            batcher.start()
        except ModelNotAvailable as error:
            logger.error("%s", error)
            with self._lock:
                self._state, self._message = "unavailable", str(error)
            return
        except Exception as error:  # noqa: BLE001 - reported on /status, process keeps serving
            logger.exception("BigGAN model loading failed")
            with self._lock:
                self._state = "unavailable"
                self._message = (
                    f"BigGAN model not available: loading failed "
                    f"({type(error).__name__}: {error})."
                )
            return
        with self._lock:
            self.batcher = batcher
            self._device = str(device)
            self._image_size = int(images[0].shape[0])
            self._state, self._stage, self._progress = "ready", "ready", 1.0
            self._loaded_at = time.monotonic()
        logger.info(
            "BigGAN model %s ready on %s after %.1f s",
            self.model_setting,
            device,
            self._loaded_at - self._started_at,
        )

    def status(self) -> dict[str, Any]:
        with self._lock:
            batcher = self.batcher
            result = {
                "state": self._state,
                "stage": self._stage,
                "progress": self._progress,
                "message": self._message,
                "model": self.model_setting,
                "device": self._device,
                "image_size": self._image_size,
                "max_batch": self.max_batch,
                "max_wait_ms": self.max_wait_s * 1000,
            }
        stats = batcher.stats if batcher else None
        result.update(
            queue_length=batcher.queue_length if batcher else 0,
            batches=stats.batches if stats else 0,
            forward_passes=stats.forward_passes if stats else 0,
            images=stats.images if stats else 0,
        )
        return result

    def generate(self, specs: list) -> dict[str, Any]:
        """Draw the specs through the batcher; the model must be ready."""
        from annlab.engines.biggan.sampler import encode_png

        outcome = self.batcher.submit(specs, timeout_s=REQUEST_TIMEOUT_S)
        images = [
            {
                "png_base64": base64.b64encode(encode_png(image)).decode("ascii"),
                "batch_id": batch_id,
                "batch_size": batch_size,
            }
            for image, batch_id, batch_size in zip(
                outcome.results, outcome.batch_ids, outcome.batch_sizes, strict=True
            )
        ]
        height, width = outcome.results[0].shape[:2]
        return {
            "images": images,
            "queue_ms": outcome.queue_s * 1000,
            "forward_ms": outcome.forward_s * 1000,
            "width": int(width),
            "height": int(height),
        }

    def close(self) -> None:
        if self.batcher is not None:
            self.batcher.stop()


class WorkerHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], worker: BigGANWorker, token: str
    ) -> None:
        super().__init__(address, WorkerRequestHandler)
        self.worker = worker
        self.token = token


class WorkerRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: WorkerHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        logger.debug("%s %s", self.address_string(), format % args)

    def _send_json(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_error(
        self, status: HTTPStatus, error: str, message: str, **extra: Any
    ) -> None:
        self._send_json(status, {"error": error, "message": message, **extra})

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.server.token.encode()
        ):
            return True
        self._send_error(
            HTTPStatus.UNAUTHORIZED,
            "unauthorized",
            "Missing or wrong worker token; send 'Authorization: Bearer <token>' with "
            "the token the worker was started with.",
        )
        return False

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        if self.path == "/health":
            self._send_json(HTTPStatus.OK, {"status": "ok"})
        elif self.path == "/status":
            if self._authorized():
                self._send_json(HTTPStatus.OK, self.server.worker.status())
        else:
            self._send_error(
                HTTPStatus.NOT_FOUND, "not_found", f"No such path: {self.path}"
            )

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        if self.path != "/generate":
            self._send_error(
                HTTPStatus.NOT_FOUND, "not_found", f"No such path: {self.path}"
            )
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send_error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "too_large",
                f"The body must be at most {MAX_BODY_BYTES} bytes, got {length}",
            )
            return
        body = self.rfile.read(length)
        if not self._authorized():
            return
        try:
            specs = parse_generate_request(json.loads(body or b"null"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            self._send_error(
                HTTPStatus.BAD_REQUEST, "invalid_json", f"Invalid JSON: {error}"
            )
            return
        except InvalidRequest as error:
            self._send_error(
                HTTPStatus.UNPROCESSABLE_ENTITY, "invalid_request", str(error)
            )
            return

        worker = self.server.worker
        status = worker.status()
        if status["state"] != "ready":
            self._send_error(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "model_not_ready",
                status["message"]
                or f"The BigGAN model is still loading: {status['stage']}.",
                state=status["state"],
                stage=status["stage"],
                progress=status["progress"],
            )
            return
        try:
            result = worker.generate(specs)
        except TimeoutError as error:
            self._send_error(HTTPStatus.GATEWAY_TIMEOUT, "timeout", str(error))
            return
        except Exception as error:  # noqa: BLE001 - the batch error is logged by the batcher
            self._send_error(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "generation_failed",
                f"Drawing the images failed: {type(error).__name__}: {error}",
            )
            return
        self._send_json(HTTPStatus.OK, result)


def add_worker_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the worker's options; unset ones fall back to ANNLAB_* settings."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1)."
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8100,
        help="TCP port (default 8100; 0 picks a free one).",
    )
    parser.add_argument(
        "--token",
        help="Shared token that clients must send (default: the "
        f"{TOKEN_ENV} environment "
        "variable). Prefer the variable, as command lines are visible to other users.",
    )
    parser.add_argument(
        "--model",
        help="Model name (biggan-deep-128, -256, -512) or folder with config.json and "
        "pytorch_model.bin (default: ANNLAB_BIGGAN_MODEL, else biggan-deep-256).",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="Folder for downloaded weights (default: <ANNLAB_DATA_DIR>/biggan).",
    )
    parser.add_argument("--device", help="auto (default), cuda, mps or cpu.")
    parser.add_argument(
        "--threads",
        type=int,
        help="CPU threads for PyTorch (default: PyTorch's choice, or OMP_NUM_THREADS). "
        "Use 1 on a machine whose cores are busy with other work.",
    )
    parser.add_argument(
        "--max-batch", type=int, help="Maximum images per forward pass (default 16)."
    )
    parser.add_argument(
        "--max-wait-ms",
        type=float,
        help="Maximum time in ms to wait for more requests to join a batch "
        "(default 20).",
    )
    parser.add_argument(
        "--port-file",
        type=Path,
        help="Write the bound port to this file once listening "
        "(used by the web server).",
    )
    parser.add_argument(
        "--parent-pid",
        type=int,
        help="Exit when the process with this id is no longer the parent "
        "(used by the web server, so that its local worker never outlives it).",
    )
    parser.add_argument(
        "--log-level", default="INFO", help="Logging level (default INFO)."
    )


def stop_when_orphaned(server: "WorkerHTTPServer", parent_pid: int) -> None:
    """Shut `server` down once `parent_pid` is no longer this process's parent.

    A parent killed with SIGKILL cannot stop its children, and a forgotten
    worker would keep its model in memory. Polls once a second.
    """
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_INTERVAL_S)
    logger.warning("Parent process %d has exited; stopping the worker", parent_pid)
    server.shutdown()


def run_worker(args: argparse.Namespace) -> int:
    """Start the worker from parsed options and serve until interrupted."""
    from annlab.core.settings import Settings

    # The package logs its whole model config at INFO on every load.
    logging.getLogger("pytorch_pretrained_biggan").setLevel(logging.WARNING)
    settings = Settings()
    token = args.token or settings.biggan_worker_token
    if not token:
        logger.error("No worker token: pass --token or set %s", TOKEN_ENV)
        return 2
    worker = BigGANWorker(
        model=args.model or settings.biggan_model,
        cache_dir=args.cache_dir or settings.data_dir / "biggan",
        device=args.device or settings.biggan_device,
        max_batch=args.max_batch or settings.biggan_max_batch,
        max_wait_s=(
            args.max_wait_ms
            if args.max_wait_ms is not None
            else settings.biggan_max_wait_ms
        )
        / 1000,
        threads=args.threads,
    )
    server = WorkerHTTPServer((args.host, args.port), worker, token)
    host, port = server.server_address[:2]
    if args.port_file:
        partial = args.port_file.with_name(args.port_file.name + ".tmp")
        partial.write_text(str(port), encoding="utf-8")
        partial.replace(args.port_file)
    logger.info(
        "BigGAN worker listening on http://%s:%d, model %s",
        host,
        port,
        worker.model_setting,
    )
    threading.Thread(target=worker.load, name="biggan-loader", daemon=True).start()
    if args.parent_pid:
        threading.Thread(
            target=stop_when_orphaned,
            args=(server, args.parent_pid),
            name="biggan-parent-watch",
            daemon=True,
        ).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        worker.close()
        logger.info("BigGAN worker stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m annlab.engines.biggan.worker",
        description="Serve BigGAN images over HTTP for the ANN Lab server.",
    )
    add_worker_arguments(parser)
    args = parser.parse_args(argv)
    from annlab.core.logging import configure_logging

    configure_logging(args.log_level)
    return run_worker(args)


if __name__ == "__main__":
    sys.exit(main())
