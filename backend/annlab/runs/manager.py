"""GAN training runs as background jobs owned by the server.

Each run trains in its own thread. At most `settings.max_concurrent_runs` runs
train at once and further ones wait in a first-in, first-out queue. Every
change is written to the RunStore first and then published on the run's hub
channel, so that viewers and a restarted server see the same history.
"""

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annlab.core.settings import Settings
from annlab.engines.gan.fashion_mnist import (
    FashionMnist,
    find_fashion_mnist,
    load_fashion_mnist,
)
from annlab.engines.gan.trainer import (
    EpochRecord,
    ProgressRecord,
    TrainingEnd,
    TrainingRecord,
    TrainingStart,
    describe_device,
    resolve_device,
    train_gan,
)
from annlab.lessons.gan import training_config
from annlab.runs.hub import Hub, Subscription
from annlab.runs.store import RunStore, StoredRun
from annlab.schemas.gan import (
    RESUMABLE_STATUSES,
    GanEpochEvent,
    GanParams,
    GanProgressEvent,
    GanRun,
    GanRunSummary,
    GanStatusEvent,
    sample_url,
)

logger = logging.getLogger(__name__)

RUN_KIND = "gan"
# How long a stop request waits for the training thread to end. A thread
# checks for a stop before every batch, so this only runs out on a very slow
# device or in the middle of the test-set evaluation.
STOP_WAIT_SECONDS = 30.0
SHUTDOWN_WAIT_SECONDS = 30.0
RESTART_REASON = "The server stopped before the run ended. Resume it to continue."


class RunNotFoundError(LookupError):
    """No run has the requested id."""


class RunStateError(RuntimeError):
    """The run's status does not allow the requested action."""


class RunParameterError(ValueError):
    """A parameter is valid in itself but cannot be used on this server."""

    def __init__(self, field_name: str, value: Any, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.value = value


@dataclass
class _ActiveRun:
    """A run that has a training thread."""

    run_id: str
    params: GanParams
    stop_event: threading.Event = field(default_factory=threading.Event)
    # True when the server's shutdown, not a user, asked the run to stop.
    interrupted: bool = False
    progress: GanProgressEvent | None = None
    thread: threading.Thread | None = None


class GanRunManager:
    """Queue, train, stop and resume GAN runs; publish their events on a hub."""

    def __init__(
        self,
        settings: Settings,
        loop: asyncio.AbstractEventLoop,
        load_dataset: Callable[[], FashionMnist] | None = None,
    ) -> None:
        self._settings = settings
        self._runs_dir = settings.runs_dir
        self._store = RunStore(settings.database_path)
        self.hub = Hub(loop, self._load_history)
        self._load_dataset = load_dataset or self._load_configured_dataset
        self._dataset: FashionMnist | None = None
        self._dataset_lock = threading.Lock()
        self._lock = threading.Lock()
        self._queue: deque[str] = deque()
        self._active: dict[str, _ActiveRun] = {}
        self._closing = False

    # Life cycle of the manager itself.

    def start(self) -> None:
        """Recover the runs an earlier server process left queued or running.

        Running runs become interrupted and wait for a resume. Queued runs never
        began training, so they are queued again in their old order (the time
        they were queued is their last update).
        """
        stored_runs = sorted(
            self._store.list_runs(RUN_KIND), key=lambda stored: stored.updated_at
        )
        for stored in stored_runs:
            if stored.status == "running":
                self._store.update_run(
                    stored.id, status="interrupted", reason=RESTART_REASON
                )
                logger.warning(
                    "GAN run %s was unfinished at start-up; now interrupted", stored.id
                )
            elif stored.status == "queued":
                logger.info(
                    "GAN run %s was queued at start-up; queued again", stored.id
                )
                self._enqueue(stored.id)

    def shutdown(self, timeout: float = SHUTDOWN_WAIT_SECONDS) -> None:
        """Stop and interrupt every training run, and end every viewer's stream.

        Queued runs keep the status "queued", so the next start queues them again.
        """
        with self._lock:
            self._closing = True
            self._queue.clear()
            active = list(self._active.values())
            for run in active:
                run.interrupted = True
                run.stop_event.set()
        for run in active:
            if run.thread is not None:
                run.thread.join(timeout)
            if run.thread is not None and run.thread.is_alive():
                logger.error(
                    "GAN run %s did not stop within %.0f s", run.run_id, timeout
                )
                self._set_status(run.run_id, "interrupted", reason=RESTART_REASON)
        self.hub.close()
        if not any(run.thread is not None and run.thread.is_alive() for run in active):
            self._store.close()

    # Requests.

    def create_run(self, params: GanParams) -> GanRun:
        """Store a new run and queue it; it starts when a training slot is free."""
        _check_device(params.device)
        stored = self._store.create_run(RUN_KIND, params.model_dump(mode="json"))
        logger.info("GAN run %s created: %s", stored.id, params.model_dump_json())
        self._enqueue(stored.id)
        return self.get_run(stored.id)

    def stop_run(self, run_id: str) -> GanRun:
        """Stop a queued or running run; it keeps its epochs and can be resumed."""
        with self._lock:
            stored = self._get_stored(run_id)
            active = self._active.get(run_id)
            if run_id in self._queue:
                self._queue.remove(run_id)
                self._set_status(run_id, "stopped", reason=None)
                self.hub.release_channel(run_id)
            elif active is not None:
                active.stop_event.set()
            else:
                raise RunStateError(
                    f"GAN run {run_id} is {stored.status}; only a queued or running "
                    "run can be stopped."
                )
        logger.info("GAN run %s: stop requested", run_id)
        if active is not None and active.thread is not None:
            active.thread.join(STOP_WAIT_SECONDS)
        return self.get_run(run_id)

    def resume_run(self, run_id: str) -> GanRun:
        """Queue a stopped or interrupted run again, to continue from its checkpoint."""
        with self._lock:
            stored = self._get_stored(run_id)
            if stored.status not in RESUMABLE_STATUSES or run_id in self._active:
                raise RunStateError(
                    f"GAN run {run_id} is {stored.status}; only a stopped or "
                    "interrupted run can be resumed."
                )
        _check_device(stored.params["device"])
        logger.info("GAN run %s resumed after %d epochs", run_id, stored.epochs_done)
        self._enqueue(run_id)
        return self.get_run(run_id)

    def get_run(self, run_id: str) -> GanRun:
        stored = self._get_stored(run_id)
        epochs = [
            self._epoch_event(run_id, epoch.epoch, epoch.metrics)
            for epoch in self._store.list_epochs(run_id)
        ]
        with self._lock:
            active = self._active.get(run_id)
            progress = active.progress if active is not None else None
        return GanRun(**_summary_fields(stored), epochs=epochs, progress=progress)

    def list_runs(self) -> list[GanRunSummary]:
        """Return every run, newest first."""
        return [
            GanRunSummary(**_summary_fields(stored))
            for stored in self._store.list_runs(RUN_KIND)
        ]

    def sample_path(self, run_id: str, epoch: int) -> Path:
        """Return the PNG file of an epoch's sample grid; raise if there is none."""
        self._get_stored(run_id)
        path = self._runs_dir / run_id / "samples" / f"epoch-{epoch:04d}.png"
        if not path.is_file():
            raise FileNotFoundError(
                f"GAN run {run_id} has no samples for epoch {epoch}."
            )
        return path

    def subscribe(self, run_id: str) -> Subscription:
        """Start a viewer's stream: the run's history, then its live events."""
        self._get_stored(run_id)
        return self.hub.subscribe(run_id)

    # Scheduling and training threads.

    def _enqueue(self, run_id: str) -> None:
        with self._lock:
            if self._closing:
                raise RunStateError(
                    "The server is shutting down; no run can start now."
                )
            # A new channel starts with the stored status, so a new run's
            # "queued" is already in its history.
            self.hub.open_channel(run_id)
            if self._get_stored(run_id).status != "queued":
                self._set_status(run_id, "queued", reason=None)
            self._queue.append(run_id)
            self._start_queued_runs()

    def _start_queued_runs(self) -> None:
        """Start threads for queued runs while slots are free; needs self._lock."""
        while (
            self._queue
            and not self._closing
            and len(self._active) < self._settings.max_concurrent_runs
        ):
            run_id = self._queue.popleft()
            params = GanParams.model_validate(self._get_stored(run_id).params)
            run = _ActiveRun(run_id, params)
            run.thread = threading.Thread(
                target=self._train, args=(run,), name=f"gan-run-{run_id}", daemon=True
            )
            self._active[run_id] = run
            run.thread.start()

    def _train(self, run: _ActiveRun) -> None:
        """Train a run in this thread, record its results and set its final status."""
        run_id = run.run_id
        try:
            device = resolve_device(run.params.device)
            self._set_status(
                run_id, "running", device=describe_device(device), reason=None
            )
            logger.info("GAN run %s started on %s", run_id, describe_device(device))
            records = train_gan(
                training_config(run.params),
                self._get_dataset(),
                device,
                self._runs_dir / run_id,
                run.stop_event.is_set,
            )
            end = self._record(run, records)
            status, reason = end.status, end.reason
            if status == "stopped" and run.interrupted:
                status, reason = "interrupted", RESTART_REASON
        except Exception as error:  # noqa: BLE001 - a thread must record any failure
            logger.exception("GAN run %s failed", run_id)
            status, reason = "failed", f"Training failed: {error}"
        with self._lock:
            del self._active[run_id]
            self._set_status(run_id, status, reason=reason)
            self.hub.release_channel(run_id)
            self._start_queued_runs()
        logger.info(
            "GAN run %s ended: %s%s", run_id, status, f" ({reason})" if reason else ""
        )

    def _record(
        self, run: _ActiveRun, records: Iterator[TrainingRecord]
    ) -> TrainingEnd:
        """Store and publish each record of a training run; return the last one."""
        for record in records:
            match record:
                case TrainingStart(epoch=done):
                    # Epochs past the checkpoint are trained again, so their
                    # rows would be stale.
                    self._store.delete_epochs_after(run.run_id, done)
                case ProgressRecord():
                    event = GanProgressEvent(run_id=run.run_id, **_fields(record))
                    run.progress = event
                    self.hub.publish(run.run_id, event, durable=False)
                case EpochRecord():
                    metrics = _fields(record)
                    del metrics["epoch"], metrics["sample_path"]
                    self._store.add_epoch(run.run_id, record.epoch, metrics)
                    event = self._epoch_event(run.run_id, record.epoch, metrics)
                    self.hub.publish(run.run_id, event, durable=True)
                    logger.info(
                        "GAN run %s epoch %d: generator loss %.4f, "
                        "discriminator loss %.4f, %.1f s",
                        run.run_id,
                        record.epoch,
                        record.generator_loss,
                        record.discriminator_loss,
                        record.seconds,
                    )
                case TrainingEnd():
                    return record
        raise RuntimeError("The trainer stopped without a final record.")

    def _get_dataset(self) -> FashionMnist:
        with self._dataset_lock:
            if self._dataset is None:
                self._dataset = self._load_dataset()
                logger.info("Fashion-MNIST loaded from %s", self._dataset.folder)
            return self._dataset

    def _load_configured_dataset(self) -> FashionMnist:
        folder = find_fashion_mnist(
            self._settings.fashion_mnist_dir, self._settings.data_dir
        )
        return load_fashion_mnist(folder)

    # Store and hub helpers.

    def _get_stored(self, run_id: str) -> StoredRun:
        stored = self._store.get_run(run_id)
        if stored is None or stored.kind != RUN_KIND:
            raise RunNotFoundError(f"GAN run {run_id} not found.")
        return stored

    def _set_status(self, run_id: str, status: str, **columns: str | None) -> None:
        self._store.update_run(run_id, status=status, **columns)
        self.hub.publish(run_id, _status_event(self._get_stored(run_id)), durable=True)

    def _load_history(self, run_id: str) -> list[Any]:
        stored = self._store.get_run(run_id)
        if stored is None:
            return []
        epochs = [
            self._epoch_event(run_id, epoch.epoch, epoch.metrics)
            for epoch in self._store.list_epochs(run_id)
        ]
        return [*epochs, _status_event(stored)]

    @staticmethod
    def _epoch_event(run_id: str, epoch: int, metrics: dict[str, Any]) -> GanEpochEvent:
        return GanEpochEvent(
            run_id=run_id, epoch=epoch, sample_url=sample_url(run_id, epoch), **metrics
        )


def _check_device(device: str) -> None:
    try:
        resolve_device(device)
    except ValueError as error:
        raise RunParameterError("device", device, str(error)) from error


def _fields(record: Any) -> dict[str, Any]:
    return dict(vars(record))


def _summary_fields(stored: StoredRun) -> dict[str, Any]:
    return {
        "id": stored.id,
        "status": stored.status,
        "created_at": stored.created_at,
        "updated_at": stored.updated_at,
        "params": GanParams.model_validate(stored.params),
        "device": stored.device,
        "reason": stored.reason,
        "epochs_done": stored.epochs_done,
    }


def _status_event(stored: StoredRun) -> GanStatusEvent:
    return GanStatusEvent(
        run_id=stored.id,
        status=stored.status,
        epoch=stored.epochs_done,
        device=stored.device,
        reason=stored.reason,
    )
