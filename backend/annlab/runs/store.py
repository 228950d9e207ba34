"""Persist long-running jobs and their per-epoch results in one SQLite file.

A run row stores the parameters as JSON and the status. An epoch row stores one
epoch's metrics as JSON, so the store does not depend on any lesson's fields.
One connection serves every thread, guarded by a lock, because each statement
is small and SQLite serialises writes anyway.
"""

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    params TEXT NOT NULL,
    device TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_kind ON runs (kind, created_at);
CREATE TABLE IF NOT EXISTS epochs (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    metrics TEXT NOT NULL,
    PRIMARY KEY (run_id, epoch)
);
"""

_UNSET: Any = object()


@dataclass(frozen=True)
class StoredRun:
    id: str
    kind: str
    status: str
    params: dict[str, Any]
    device: str | None
    reason: str | None
    created_at: datetime
    updated_at: datetime
    epochs_done: int


@dataclass(frozen=True)
class StoredEpoch:
    run_id: str
    epoch: int
    metrics: dict[str, Any]


class RunStore:
    """Runs and epochs in the SQLite file at `path`, created on first use."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None
        )
        self._connection.row_factory = sqlite3.Row
        with self._lock:
            self._connection.execute("PRAGMA foreign_keys = ON")
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def create_run(
        self, kind: str, params: dict[str, Any], status: str = "queued"
    ) -> StoredRun:
        """Insert a run with a new random id and return it."""
        run_id = uuid.uuid4().hex[:12]
        now = _now()
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO runs (id, kind, status, params, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, kind, status, json.dumps(params), now, now),
            )
        return self.get_run(run_id)

    def get_run(self, run_id: str) -> StoredRun | None:
        with self._lock:
            row = self._connection.execute(
                f"{_RUN_QUERY} WHERE runs.id = ? GROUP BY runs.id", (run_id,)
            ).fetchone()
        return _run_from_row(row) if row is not None else None

    def list_runs(self, kind: str) -> list[StoredRun]:
        """Return the runs of `kind`, newest first."""
        with self._lock:
            rows = self._connection.execute(
                f"{_RUN_QUERY} WHERE runs.kind = ? GROUP BY runs.id "
                "ORDER BY runs.created_at DESC, runs.rowid DESC",
                (kind,),
            ).fetchall()
        return [_run_from_row(row) for row in rows]

    def update_run(
        self,
        run_id: str,
        *,
        status: str = _UNSET,
        device: str | None = _UNSET,
        reason: str | None = _UNSET,
    ) -> None:
        """Change the given columns of a run; omitted ones keep their value."""
        changes = {
            name: value
            for name, value in (
                ("status", status),
                ("device", device),
                ("reason", reason),
            )
            if value is not _UNSET
        }
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self._transaction() as connection:
            cursor = connection.execute(
                f"UPDATE runs SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), _now(), run_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"Run {run_id} not found.")

    def add_epoch(self, run_id: str, epoch: int, metrics: dict[str, Any]) -> None:
        """Store one epoch's metrics, replacing an earlier row for the same epoch."""
        with self._transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO epochs (run_id, epoch, metrics) "
                "VALUES (?, ?, ?)",
                (run_id, epoch, json.dumps(metrics)),
            )
            connection.execute(
                "UPDATE runs SET updated_at = ? WHERE id = ?", (_now(), run_id)
            )

    def list_epochs(self, run_id: str) -> list[StoredEpoch]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT run_id, epoch, metrics FROM epochs WHERE run_id = ? "
                "ORDER BY epoch",
                (run_id,),
            ).fetchall()
        return [
            StoredEpoch(row["run_id"], row["epoch"], json.loads(row["metrics"]))
            for row in rows
        ]

    def delete_epochs_after(self, run_id: str, epoch: int) -> int:
        """Delete the epochs numbered above `epoch`; return how many were deleted."""
        with self._transaction() as connection:
            cursor = connection.execute(
                "DELETE FROM epochs WHERE run_id = ? AND epoch > ?", (run_id, epoch)
            )
        return cursor.rowcount


_RUN_QUERY = (
    "SELECT runs.*, COUNT(epochs.epoch) AS epochs_done "
    "FROM runs LEFT JOIN epochs ON epochs.run_id = runs.id"
)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _run_from_row(row: sqlite3.Row) -> StoredRun:
    return StoredRun(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        params=json.loads(row["params"]),
        device=row["device"],
        reason=row["reason"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        epochs_done=row["epochs_done"],
    )
