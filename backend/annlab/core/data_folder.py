"""Ownership of the data folder: one server at a time, and the saved teacher token."""

import fcntl
import os
import secrets
from pathlib import Path

LOCK_FILE_NAME = "annlab.lock"
TEACHER_TOKEN_FILE_NAME = "teacher_token"


class DataFolderInUseError(RuntimeError):
    """Another process holds the data folder's lock."""


class DataFolderLock:
    """An exclusive lock on `<data_dir>/annlab.lock`, held while a server runs.

    A second server on the same folder would otherwise mark the first one's
    running GAN runs as interrupted at its start-up. The lock is an flock(2),
    so the kernel releases it when the holder exits, even after SIGKILL.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE_NAME
        self._file = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_file = self.path.open("a+")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            holder = lock_file.read().strip() or "unknown"
            lock_file.close()
            raise DataFolderInUseError(
                f"Another ANN Lab server (process {holder}) is using the data "
                f"folder {self.path.parent}. Stop it, or start this one with "
                "another --data-dir."
            ) from None
        lock_file.seek(0)
        lock_file.truncate()
        lock_file.write(str(os.getpid()))
        lock_file.flush()
        self._file = lock_file

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def load_or_create_teacher_token(data_dir: Path) -> tuple[str, bool]:
    """Return the token saved in the data folder, creating it on first use.

    The second value is True when the token was created by this call. The file is
    readable by its owner only. Keeping the token across restarts means a
    teacher's browser does not need it again after the server restarts.
    """
    path = data_dir / TEACHER_TOKEN_FILE_NAME
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token, False
    token = secrets.token_urlsafe(16)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as token_file:
        token_file.write(token + "\n")
    return token, True
