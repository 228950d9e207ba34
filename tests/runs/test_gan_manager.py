"""GAN run manager: queue limit, stop, resume, shutdown and start-up recovery."""

import asyncio
import time

import pytest
from annlab.core.settings import Settings
from annlab.engines.gan.fashion_mnist import DEBIAN_DIR, FILE_NAMES, load_fashion_mnist
from annlab.runs.manager import GanRunManager, RunNotFoundError, RunStateError
from annlab.runs.store import RunStore
from annlab.schemas.gan import GanParams

pytestmark = pytest.mark.skipif(
    not all((DEBIAN_DIR / name).is_file() for name in FILE_NAMES),
    reason="Debian's dataset-fashion-mnist package is not installed",
)

QUICK = dict(batch_size=32, batches_per_epoch=2, test_batches=1, device="cpu")
WAIT_SECONDS = 120.0


@pytest.fixture(scope="module")
def dataset():
    return load_fashion_mnist(DEBIAN_DIR)


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", teacher_token="token")


@pytest.fixture
def make_manager(settings, dataset):
    """Factory of started managers on one data folder; all are shut down afterwards."""
    loops, managers = [], []

    def make(**overrides):
        loop = asyncio.new_event_loop()
        run_settings = settings.model_copy(update=overrides)
        manager = GanRunManager(run_settings, loop, load_dataset=lambda: dataset)
        manager.start()
        loops.append(loop)
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.shutdown()
    for loop in loops:
        loop.close()


def wait_for_status(manager, run_id, statuses, condition=lambda run: True):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run = manager.get_run(run_id)
        if run.status in statuses and condition(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"Run {run_id} stayed {manager.get_run(run_id).status}")


def test_run_finishes_with_epochs(make_manager):
    manager = make_manager()
    run = manager.create_run(GanParams(epochs=2, **QUICK))

    finished = wait_for_status(manager, run.id, {"finished"})

    assert [epoch.epoch for epoch in finished.epochs] == [1, 2]
    assert finished.epochs_done == 2
    assert finished.device.startswith("cpu")
    assert finished.reason is None
    assert manager.sample_path(run.id, 2).is_file()
    assert [summary.id for summary in manager.list_runs()] == [run.id]


def test_second_run_waits_for_slot(make_manager):
    manager = make_manager(max_concurrent_runs=1)
    first = manager.create_run(GanParams(epochs=3, **QUICK))
    second = manager.create_run(GanParams(epochs=1, **QUICK))

    assert manager.get_run(second.id).status == "queued"
    deadline = time.monotonic() + WAIT_SECONDS
    while manager.get_run(second.id).status != "finished":
        statuses = {manager.get_run(first.id).status, manager.get_run(second.id).status}
        assert statuses != {"running"}, "both runs trained at once"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert manager.get_run(first.id).status == "finished"


def test_stop_queued_run_then_resume(make_manager):
    manager = make_manager(max_concurrent_runs=1)
    blocker = manager.create_run(GanParams(epochs=200, **QUICK))
    queued = manager.create_run(GanParams(epochs=1, **QUICK))

    stopped = manager.stop_run(queued.id)
    assert stopped.status == "stopped"
    assert stopped.epochs == []

    manager.stop_run(blocker.id)
    manager.resume_run(queued.id)
    assert wait_for_status(manager, queued.id, {"finished"}).epochs_done == 1


def test_stop_running_run_keeps_epochs(make_manager):
    manager = make_manager()
    run = manager.create_run(GanParams(epochs=200, **QUICK))
    wait_for_status(manager, run.id, {"running"}, lambda run: run.epochs_done >= 1)

    stopped = manager.stop_run(run.id)

    assert stopped.status == "stopped"
    assert stopped.progress is None
    done = stopped.epochs_done
    assert [epoch.epoch for epoch in stopped.epochs] == list(range(1, done + 1))
    with pytest.raises(RunStateError, match="only a queued or running run"):
        manager.stop_run(run.id)


def test_resume_rejects_finished_run(make_manager):
    manager = make_manager()
    run = manager.create_run(GanParams(epochs=1, **QUICK))
    wait_for_status(manager, run.id, {"finished"})

    with pytest.raises(RunStateError, match="only a stopped or interrupted run"):
        manager.resume_run(run.id)


def test_unknown_run_raises(make_manager):
    manager = make_manager()

    with pytest.raises(RunNotFoundError, match="not found"):
        manager.get_run("000000000000")
    with pytest.raises(RunNotFoundError):
        manager.subscribe("000000000000")


def test_shutdown_interrupts_then_resume_continues(make_manager):
    first = make_manager()
    run = first.create_run(GanParams(epochs=6, **QUICK))
    wait_for_status(first, run.id, {"running"}, lambda run: run.epochs_done >= 1)

    first.shutdown()

    second = make_manager()
    interrupted = second.get_run(run.id)
    assert interrupted.status == "interrupted"
    assert "Resume" in interrupted.reason
    done = interrupted.epochs_done
    assert done >= 1

    second.resume_run(run.id)
    finished = wait_for_status(second, run.id, {"finished"})
    assert [epoch.epoch for epoch in finished.epochs] == list(range(1, 7))


def test_start_marks_crashed_run_interrupted(settings, make_manager):
    # A row left "running" by a server that died without shutting down.
    store = RunStore(settings.database_path)
    crashed = store.create_run("gan", GanParams(epochs=1, **QUICK).model_dump())
    store.update_run(crashed.id, status="running", device="cpu")
    store.close()

    manager = make_manager()

    recovered = manager.get_run(crashed.id)
    assert recovered.status == "interrupted"
    assert recovered.reason
    manager.resume_run(crashed.id)
    assert wait_for_status(manager, crashed.id, {"finished"}).epochs_done == 1


def test_start_queues_crashed_queued_run_again(settings, make_manager):
    # Rows left by a server that died without shutting down: one run was
    # training and one was waiting for the training slot.
    store = RunStore(settings.database_path)
    crashed = store.create_run("gan", GanParams(epochs=1, **QUICK).model_dump())
    store.update_run(crashed.id, status="running", device="cpu")
    waiting = store.create_run("gan", GanParams(epochs=1, **QUICK).model_dump())
    store.close()

    manager = make_manager(max_concurrent_runs=1)

    assert manager.get_run(crashed.id).status == "interrupted"
    finished = wait_for_status(manager, waiting.id, {"finished"})
    assert finished.epochs_done == 1
    assert finished.reason is None


def test_shutdown_keeps_queued_run_for_next_start(make_manager):
    first = make_manager(max_concurrent_runs=1)
    blocker = first.create_run(GanParams(epochs=200, **QUICK))
    queued = first.create_run(GanParams(epochs=1, **QUICK))
    wait_for_status(first, blocker.id, {"running"})

    first.shutdown()
    second = make_manager(max_concurrent_runs=1)

    assert second.get_run(blocker.id).status == "interrupted"
    # The queued run never trained, so the new server trains it without a resume.
    finished = wait_for_status(second, queued.id, {"finished"})
    assert finished.epochs_done == 1
    assert finished.reason is None


def test_missing_dataset_fails_run(tmp_path):
    loop = asyncio.new_event_loop()
    settings = Settings(
        data_dir=tmp_path / "data",
        fashion_mnist_dir=tmp_path / "no-data",
        teacher_token="token",
    )
    manager = GanRunManager(settings, loop)
    manager.start()
    try:
        run = manager.create_run(GanParams(epochs=1, **QUICK))
        failed = wait_for_status(manager, run.id, {"failed"})
        assert "not found" in failed.reason
        assert str(tmp_path / "no-data") in failed.reason
    finally:
        manager.shutdown()
        loop.close()
