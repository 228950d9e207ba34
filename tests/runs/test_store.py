"""SQLite run store: runs, epochs, persistence and start-up recovery."""

import sqlite3

import pytest
from annlab.runs.store import RunStore


@pytest.fixture
def store(tmp_path):
    run_store = RunStore(tmp_path / "runs.sqlite3")
    yield run_store
    run_store.close()


def test_create_run_defaults(store):
    run = store.create_run("gan", {"epochs": 3})

    assert run.status == "queued"
    assert run.params == {"epochs": 3}
    assert run.device is None
    assert run.reason is None
    assert run.epochs_done == 0
    assert len(run.id) == 12
    assert store.get_run(run.id) == run


def test_get_run_unknown_is_none(store):
    assert store.get_run("000000000000") is None


def test_list_runs_newest_first_by_kind(store):
    first = store.create_run("gan", {})
    second = store.create_run("gan", {})
    store.create_run("other", {})

    assert [run.id for run in store.list_runs("gan")] == [second.id, first.id]


def test_update_run_changes_given_columns(store):
    run = store.create_run("gan", {})
    store.update_run(run.id, status="running", device="cpu (2 threads)")
    store.update_run(run.id, reason="why")

    updated = store.get_run(run.id)
    assert updated.status == "running"
    assert updated.device == "cpu (2 threads)"
    assert updated.reason == "why"
    assert updated.updated_at >= run.updated_at

    store.update_run(run.id, reason=None)
    assert store.get_run(run.id).reason is None


def test_update_unknown_run_raises(store):
    with pytest.raises(KeyError, match="not found"):
        store.update_run("000000000000", status="running")


def test_epochs_add_replace_delete(store):
    run = store.create_run("gan", {})
    for epoch in (1, 2, 3):
        store.add_epoch(run.id, epoch, {"loss": epoch / 10})
    store.add_epoch(run.id, 2, {"loss": 0.25})

    assert [(row.epoch, row.metrics["loss"]) for row in store.list_epochs(run.id)] == [
        (1, 0.1),
        (2, 0.25),
        (3, 0.3),
    ]
    assert store.get_run(run.id).epochs_done == 3

    assert store.delete_epochs_after(run.id, 1) == 2
    assert [row.epoch for row in store.list_epochs(run.id)] == [1]
    assert store.get_run(run.id).epochs_done == 1


def test_epoch_of_unknown_run_rejected(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.add_epoch("000000000000", 1, {})


def test_runs_persist_across_reopen(tmp_path):
    path = tmp_path / "runs.sqlite3"
    store = RunStore(path)
    run = store.create_run("gan", {"seed": 4})
    store.add_epoch(run.id, 1, {"loss": 0.5})
    store.close()

    reopened = RunStore(path)
    assert reopened.get_run(run.id).params == {"seed": 4}
    assert reopened.list_epochs(run.id)[0].metrics == {"loss": 0.5}
    reopened.close()
