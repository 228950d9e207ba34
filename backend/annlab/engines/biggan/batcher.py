"""Collect image requests from many threads into batches for one generator.

Each caller submits its images and blocks until they are drawn. One thread
takes the first waiting image, then keeps collecting until the batch contains
`max_batch` images or `max_wait_s` has passed since that first image, and
runs the whole batch through `run_batch` at once. A request larger than
`max_batch` is split over consecutive batches.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

Spec = TypeVar("Spec")
Result = TypeVar("Result")


@dataclass
class BatchStats:
    """Counters since the batcher started."""

    batches: int = 0
    forward_passes: int = 0
    images: int = 0


@dataclass
class SubmitResult(Generic[Result]):
    """The images of one request, with where they ran and how long they waited."""

    results: list[Result]
    batch_ids: list[int]  # the batch of each image, numbered from 1
    batch_sizes: list[int]  # how many images (from all requests) that batch held
    queue_s: float  # from submission until the request's first batch started
    forward_s: float  # time spent in the batches that drew this request's images


@dataclass
class _Ticket:
    submitted_at: float
    results: list = field(default_factory=list)
    batch_ids: list[int] = field(default_factory=list)
    batch_sizes: list[int] = field(default_factory=list)
    started_at: float | None = None
    forward_s: float = 0.0
    error: BaseException | None = None
    remaining: int = 0
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Item:
    ticket: _Ticket
    position: int
    spec: object


class BatchClosed(RuntimeError):
    """The batcher was stopped before the request was drawn."""


class Batcher(Generic[Spec, Result]):
    """Runs `run_batch(specs) -> (results, forward passes)` on batches of specs."""

    def __init__(
        self,
        run_batch: Callable[[list[Spec]], tuple[list[Result], int]],
        max_batch: int,
        max_wait_s: float,
    ) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        if max_wait_s < 0:
            raise ValueError(f"max_wait_s must not be negative, got {max_wait_s}")
        self.run_batch = run_batch
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.stats = BatchStats()
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._stats_lock = threading.Lock()
        self._closed = threading.Event()
        # Images taken from the queue into the batch being collected.
        self._collecting = 0
        self._thread = threading.Thread(
            target=self._run, name="biggan-batcher", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop after the running batch; requests still waiting get BatchClosed."""
        self._closed.set()
        self._queue.put(None)
        self._thread.join(timeout_s)

    @property
    def queue_length(self) -> int:
        """Images submitted whose batch has not started running yet."""
        return self._queue.qsize() + self._collecting

    def submit(
        self, specs: Sequence[Spec], timeout_s: float | None = None
    ) -> SubmitResult[Result]:
        """Queue the specs, wait until all are drawn and return the results in order.

        Raises the exception of `run_batch` if a batch with one of these specs
        failed, BatchClosed if the batcher stops first and TimeoutError after
        `timeout_s`.
        """
        if not specs:
            return SubmitResult([], [], [], 0.0, 0.0)
        if self._closed.is_set():
            raise BatchClosed("The BigGAN batcher is stopped")
        ticket = _Ticket(submitted_at=time.perf_counter())
        ticket.results = [None] * len(specs)
        ticket.batch_ids = [0] * len(specs)
        ticket.batch_sizes = [0] * len(specs)
        ticket.remaining = len(specs)
        for position, spec in enumerate(specs):
            self._queue.put(_Item(ticket, position, spec))
        if not ticket.done.wait(timeout_s):
            raise TimeoutError(
                f"{len(specs)} images were not drawn within {timeout_s} s"
            )
        if ticket.error is not None:
            raise ticket.error
        started_at = (
            ticket.started_at if ticket.started_at is not None else ticket.submitted_at
        )
        return SubmitResult(
            results=ticket.results,
            batch_ids=ticket.batch_ids,
            batch_sizes=ticket.batch_sizes,
            queue_s=started_at - ticket.submitted_at,
            forward_s=ticket.forward_s,
        )

    def _collect(self) -> list[_Item] | None:
        first = self._queue.get()
        if first is None:
            return None
        batch = [first]
        self._collecting = 1
        deadline = time.perf_counter() + self.max_wait_s
        while len(batch) < self.max_batch:
            remaining = deadline - time.perf_counter()
            try:
                # After the deadline, images already waiting still join the batch.
                if remaining > 0:
                    item = self._queue.get(timeout=remaining)
                else:
                    item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._queue.put(None)  # leave the stop signal for the loop
                break
            batch.append(item)
            self._collecting = len(batch)
        return batch

    def _run(self) -> None:
        closed = BatchClosed("The BigGAN batcher stopped before drawing the images")
        while True:
            batch = self._collect()
            self._collecting = 0
            if batch is None:
                break
            if self._closed.is_set():
                self._fail_items(batch, closed)
                break
            self._run_one(batch)
        self._fail_waiting(closed)

    def _run_one(self, batch: list[_Item]) -> None:
        with self._stats_lock:
            self.stats.batches += 1
            batch_id = self.stats.batches
        started_at = time.perf_counter()
        for item in batch:
            if item.ticket.started_at is None:
                item.ticket.started_at = started_at
        try:
            results, forward_passes = self.run_batch([item.spec for item in batch])
            error = None
        except Exception as caught:  # noqa: BLE001 - handed to every caller of the batch
            logger.exception(
                "BigGAN batch %d of %d images failed", batch_id, len(batch)
            )
            results, forward_passes, error = [None] * len(batch), 0, caught
        elapsed = time.perf_counter() - started_at
        with self._stats_lock:
            self.stats.forward_passes += forward_passes
            self.stats.images += len(batch) if error is None else 0

        tickets_seen: set[int] = set()
        for item, result in zip(batch, results, strict=True):
            ticket = item.ticket
            if id(ticket) not in tickets_seen:
                tickets_seen.add(id(ticket))
                ticket.forward_s += elapsed
            ticket.results[item.position] = result
            ticket.batch_ids[item.position] = batch_id
            ticket.batch_sizes[item.position] = len(batch)
            if error is not None and ticket.error is None:
                ticket.error = error
            ticket.remaining -= 1
            if ticket.remaining == 0:
                ticket.done.set()

    @staticmethod
    def _fail_items(items: list[_Item], error: BaseException) -> None:
        for item in items:
            if not item.ticket.done.is_set():
                item.ticket.error = error
                item.ticket.done.set()

    def _fail_waiting(self, error: BaseException) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                self._fail_items([item], error)
