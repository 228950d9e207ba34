"""Server side of the BigGAN lesson: label resolution and calls to the worker.

Label resolution runs in a thread, because WordNet look-ups are plain Python
that can take a moment for broad words. WordNet itself is loaded in a thread
on the first BigGAN request, so that servers that never show the lesson do
not pay the few seconds it takes.
"""

import asyncio
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annlab.engines.biggan.classes import ClassCatalog, load_catalog
from annlab.engines.biggan.client import WorkerClient, WorkerFailed, WorkerUnavailable
from annlab.engines.biggan.process import LocalWorkerProcess
from annlab.engines.biggan.resolver import LabelResolver, Resolution
from annlab.engines.biggan.specs import interpolation_specs, sample_specs
from annlab.engines.biggan.wordnet import find_wordnet_folder, load_wordnet

logger = logging.getLogger(__name__)

WORDNET_SETUP_COMMAND = "python -m annlab.engines.biggan.wordnet_setup"


@dataclass
class DrawResult:
    """Images from the worker, as base64 PNG, with timings in milliseconds."""

    images: list[str]
    width: int
    height: int
    queue_ms: float
    forward_ms: float
    worker_ms: float
    batch_sizes: list[int]


class BigGANService:
    """Owns the label resolver, the worker client and a local worker's process."""

    def __init__(
        self,
        wordnet_search_paths: Sequence[str | Path],
        client: WorkerClient,
        worker_process: LocalWorkerProcess | None = None,
        remote_url: str | None = None,
        catalog: ClassCatalog | None = None,
    ) -> None:
        self.catalog = catalog or load_catalog()
        self.client = client
        self.worker_process = worker_process
        self.remote_url = remote_url
        self._wordnet_paths = [str(path) for path in wordnet_search_paths]
        self._wordnet_folder = find_wordnet_folder(self._wordnet_paths)
        self._resolver = LabelResolver(self.catalog, None)
        self._wordnet_task: asyncio.Future | None = None
        self._wordnet_error_logged = False

    # Life cycle

    def start(self) -> None:
        if self.worker_process is not None:
            self.worker_process.start()

    async def close(self) -> None:
        if self.worker_process is not None:
            await self.worker_process.stop()
        await self.client.close()

    # WordNet

    def _start_wordnet_loading(self) -> None:
        if self._wordnet_task is None and self._wordnet_folder is not None:
            loop = asyncio.get_running_loop()
            self._wordnet_task = loop.run_in_executor(
                None, load_wordnet, self._wordnet_paths
            )

    async def resolver(self) -> LabelResolver:
        """Return the resolver, with WordNet once it has loaded (waits for the load)."""
        self._start_wordnet_loading()
        task = self._wordnet_task
        if task is None or self._resolver.wordnet is not None:
            return self._resolver
        # Shielded, so that a cancelled request does not cancel the shared load.
        try:
            wordnet = await asyncio.shield(task)
        except Exception:  # noqa: BLE001 - reported by wordnet_status(), names still work
            if not self._wordnet_error_logged:
                logger.exception("Loading WordNet from %s failed", self._wordnet_folder)
                self._wordnet_error_logged = True
            wordnet = None
        if wordnet is not None:
            self._resolver = LabelResolver(self.catalog, wordnet)
        return self._resolver

    def wordnet_status(self) -> dict[str, Any]:
        self._start_wordnet_loading()
        if self._wordnet_folder is None:
            return {
                "state": "off",
                "message": "The WordNet search is off: no corpora/wordnet folder was "
                f"found in {self._wordnet_paths[0]} or the folders of nltk.data.path. "
                f"Class names and synonyms still work. Run `{WORDNET_SETUP_COMMAND}` "
                "to set WordNet up.",
            }
        if not self._wordnet_task.done():
            return {
                "state": "loading",
                "message": f"Loading WordNet from {self._wordnet_folder}.",
            }
        if (
            self._wordnet_task.exception() is not None
            or self._wordnet_task.result() is None
        ):
            return {
                "state": "off",
                "message": "The WordNet search is off: WordNet in "
                f"{self._wordnet_folder} "
                "could not be opened (see the server log).",
            }
        return {
            "state": "on",
            "message": f"WordNet loaded from {self._wordnet_folder}.",
        }

    # Labels

    async def resolve(
        self, label: str, seed: int | None = None, candidate: int | None = None
    ) -> Resolution:
        resolver = await self.resolver()
        return await asyncio.to_thread(resolver.resolve, label, seed, candidate)

    async def resolve_many(
        self, labels: list[str], seed: int | None = None
    ) -> list[Resolution]:
        resolver = await self.resolver()
        return await asyncio.to_thread(resolver.resolve_many, labels, seed)

    async def resolve_target(
        self, label: str | None, class_index: int | None, seed: int | None
    ) -> Resolution:
        """Resolve a request's target, given by a label or by a class index."""
        if class_index is not None:
            return self._resolver.resolve_index(class_index)
        return await self.resolve(label or "", seed)

    def random_class(self, seed: int) -> Resolution:
        return self._resolver.random_class(seed)

    # Images

    async def _draw(self, specs) -> DrawResult:
        self.start()
        started = time.perf_counter()
        body = await self.client.generate(specs)
        worker_ms = (time.perf_counter() - started) * 1000
        return DrawResult(
            images=[image["png_base64"] for image in body["images"]],
            width=body["width"],
            height=body["height"],
            queue_ms=body["queue_ms"],
            forward_ms=body["forward_ms"],
            worker_ms=worker_ms,
            batch_sizes=[image["batch_size"] for image in body["images"]],
        )

    async def sample(
        self, class_index: int, seed: int, count: int, truncation: float
    ) -> DrawResult:
        return await self._draw(sample_specs(class_index, seed, count, truncation))

    async def interpolate(
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        steps: int,
        truncation: float,
    ) -> tuple[list[float], DrawResult]:
        points = interpolation_specs(start, end, steps, truncation)
        result = await self._draw([spec for _, spec in points])
        return [t for t, _ in points], result

    # Status

    async def status(self) -> dict[str, Any]:
        """Collect the worker's and WordNet's state, reporting an unreachable worker."""
        self.start()
        if self.worker_process is not None:
            worker = {
                "mode": "local",
                "url": self.worker_process.url,
                "pid": self.worker_process.pid,
            }
        else:
            worker = {"mode": "remote", "url": self.remote_url, "pid": None}
        try:
            model = await self.client.status()
            worker.update(reachable=True, message="The BigGAN worker is running.")
        except (WorkerUnavailable, WorkerFailed) as error:
            model = None
            worker.update(reachable=False, message=str(error))
        return {"worker": worker, "model": model, "wordnet": self.wordnet_status()}


def create_service(
    *,
    model: str,
    cache_dir: Path,
    nltk_data_dir: Path,
    worker_url: str | None,
    worker_token: str | None,
    device: str = "auto",
    max_batch: int = 16,
    max_wait_ms: float = 20.0,
) -> BigGANService:
    """Build the service for a remote worker at `worker_url`, else a local worker.

    WordNet is searched in `nltk_data_dir` first, then in `nltk.data.path`.
    A local worker without a configured token gets a random one.
    """
    import nltk

    search_paths = [nltk_data_dir, *nltk.data.path]
    if worker_url:
        client = WorkerClient(lambda: worker_url, worker_token)
        return BigGANService(search_paths, client, remote_url=worker_url)
    process = LocalWorkerProcess(
        model=model,
        cache_dir=cache_dir,
        token=worker_token or secrets.token_urlsafe(24),
        device=device,
        max_batch=max_batch,
        max_wait_ms=max_wait_ms,
    )
    client = WorkerClient(lambda: process.url, process.token)
    return BigGANService(search_paths, client, worker_process=process)
