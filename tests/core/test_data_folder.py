"""One server per data folder, and the teacher token kept across restarts."""

import os
import socket
import stat
import subprocess
import sys

import pytest
from annlab.core.data_folder import (
    DataFolderInUseError,
    DataFolderLock,
    load_or_create_teacher_token,
)
from annlab.core.settings import Settings
from annlab.main import create_app
from fastapi.testclient import TestClient


def test_lock_rejects_second_holder(tmp_path):
    first = DataFolderLock(tmp_path)
    first.acquire()
    with pytest.raises(DataFolderInUseError, match=str(os.getpid())):
        DataFolderLock(tmp_path).acquire()
    first.release()
    second = DataFolderLock(tmp_path)
    second.acquire()
    second.release()


def find_free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_second_server_on_same_folder_exits(start_live_server, tmp_path):
    data_dir = tmp_path / "shared"
    server = start_live_server(data_dir=data_dir)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annlab.cli",
            "serve",
            "--port",
            str(find_free_port()),
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("annlab serve: Another ANN Lab server")
    assert "Traceback" not in result.stderr
    assert f"process {server.process.pid}" in result.stderr
    assert server.process.poll() is None


def test_teacher_token_saved_and_reused(tmp_path):
    token, is_new = load_or_create_teacher_token(tmp_path)
    assert is_new is True
    assert len(token) >= 16
    mode = stat.S_IMODE((tmp_path / "teacher_token").stat().st_mode)
    assert mode == 0o600
    assert load_or_create_teacher_token(tmp_path) == (token, False)


def test_app_uses_saved_token_after_restart(tmp_path):
    settings = Settings(data_dir=tmp_path)
    with TestClient(create_app(settings)):
        first_token = settings.teacher_token
    restarted = Settings(data_dir=tmp_path)
    with TestClient(create_app(restarted)):
        assert restarted.teacher_token == first_token


def test_configured_token_is_not_saved(tmp_path):
    settings = Settings(data_dir=tmp_path, teacher_token="chosen-token")
    with TestClient(create_app(settings)):
        assert settings.teacher_token == "chosen-token"
    assert not (tmp_path / "teacher_token").exists()
