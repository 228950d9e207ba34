"""Settings from the environment and the command line."""

import subprocess
import sys
from pathlib import Path

import pytest
from annlab.cli import build_parser
from annlab.core.settings import Settings
from pydantic import ValidationError


def test_settings_read_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANNLAB_PORT", "9123")
    monkeypatch.setenv("ANNLAB_MAX_CONCURRENT_RUNS", "2")
    settings = Settings()
    assert settings.data_dir == tmp_path
    assert settings.port == 9123
    assert settings.max_concurrent_runs == 2
    assert settings.database_path == tmp_path / "annlab.sqlite3"


def test_settings_treat_empty_variable_as_unset(monkeypatch):
    monkeypatch.setenv("ANNLAB_TEACHER_TOKEN", "")
    assert Settings().teacher_token is None


def test_settings_reject_bad_port(monkeypatch):
    monkeypatch.setenv("ANNLAB_PORT", "70000")
    with pytest.raises(ValidationError, match="port"):
        Settings()


def test_cli_parses_serve_options():
    args = build_parser().parse_args(
        ["serve", "--host", "127.0.0.1", "--port", "8123", "--data-dir", "/tmp/x"]
    )
    assert (args.command, args.host, args.port, args.data_dir) == (
        "serve",
        "127.0.0.1",
        8123,
        Path("/tmp/x"),
    )


def test_cli_help_lists_serve_options():
    result = subprocess.run(
        [sys.executable, "-m", "annlab.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--host", "--port", "--data-dir"):
        assert option in result.stdout


def test_cli_rejects_bad_port():
    result = subprocess.run(
        [sys.executable, "-m", "annlab.cli", "serve", "--port", "abc"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--port" in result.stderr


def test_cli_reports_invalid_setting_without_traceback(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annlab.cli",
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "invalid setting. port:" in result.stderr
    assert "Traceback" not in result.stderr
