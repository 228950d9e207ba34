"""Finding BigGAN weights on disk, and downloading them from a loopback server."""

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from annlab.engines.biggan.model_files import (
    CONFIG_NAME,
    WEIGHTS_NAME,
    ModelLocation,
    ModelNotAvailable,
    download_model,
    locate_model,
    looks_like_path,
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static file server on 127.0.0.1 that serves the folder it returns."""
    served = tmp_path / "served"
    served.mkdir()
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(QuietHandler, directory=str(served))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", served
    server.shutdown()
    server.server_close()


def write_model_files(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_NAME).write_text('{"output_dim": 32}')
    (folder / WEIGHTS_NAME).write_bytes(bytes(range(256)) * 4000)


def test_locate_model_accepts_complete_folder(tmp_path: Path):
    write_model_files(tmp_path / "model")

    location = locate_model(str(tmp_path / "model"), cache_dir=tmp_path / "cache")

    assert location.folder == tmp_path / "model"
    assert location.downloads == {}


def test_locate_model_names_missing_weights(tmp_path: Path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / CONFIG_NAME).write_text("{}")

    with pytest.raises(ModelNotAvailable, match="has no pytorch_model.bin") as raised:
        locate_model(str(tmp_path / "model"), cache_dir=tmp_path)
    assert "ANNLAB_BIGGAN_MODEL" in str(raised.value)


def test_locate_model_reports_missing_folder(tmp_path: Path):
    with pytest.raises(ModelNotAvailable, match="does not exist") as raised:
        locate_model(str(tmp_path / "absent"), cache_dir=tmp_path)
    assert "ANNLAB_BIGGAN_MODEL" in str(raised.value)


def test_locate_model_rejects_unknown_name(tmp_path: Path):
    with pytest.raises(ModelNotAvailable, match="biggan-deep-256"):
        locate_model("biggan-deep-1024", cache_dir=tmp_path)


def test_locate_known_name_lists_downloads(tmp_path: Path):
    location = locate_model("biggan-deep-128", cache_dir=tmp_path)

    assert location.folder == tmp_path / "biggan-deep-128"
    assert set(location.downloads) == {CONFIG_NAME, WEIGHTS_NAME}
    assert location.downloads[WEIGHTS_NAME].endswith(
        "biggan-deep-128-pytorch_model.bin"
    )


def test_locate_known_name_uses_cached_files(tmp_path: Path):
    write_model_files(tmp_path / "biggan-deep-256")

    location = locate_model("biggan-deep-256", cache_dir=tmp_path)

    assert location.downloads == {}


@pytest.mark.parametrize(
    ("model", "is_path"),
    [
        ("biggan-deep-256", False),
        ("./weights", True),
        ("/srv/biggan", True),
        ("~/w", True),
    ],
)
def test_looks_like_path(model: str, is_path: bool):
    assert looks_like_path(model) is is_path


def test_download_model_fetches_files_with_progress(tmp_path: Path, file_server):
    url, served = file_server
    write_model_files(served)
    target = tmp_path / "cache" / "biggan-deep-256"
    location = ModelLocation(
        folder=target,
        downloads={
            CONFIG_NAME: f"{url}/{CONFIG_NAME}",
            WEIGHTS_NAME: f"{url}/{WEIGHTS_NAME}",
        },
    )
    reports: list[tuple[str, int, int | None]] = []

    download_model(
        location, lambda name, done, total: reports.append((name, done, total))
    )

    assert (target / WEIGHTS_NAME).read_bytes() == (served / WEIGHTS_NAME).read_bytes()
    assert (target / CONFIG_NAME).read_text() == '{"output_dim": 32}'
    assert not list(target.glob("*.part"))
    weights_reports = [report for report in reports if report[0] == WEIGHTS_NAME]
    assert weights_reports[-1] == (WEIGHTS_NAME, 1_024_000, 1_024_000)
    assert len(weights_reports) >= 1


def test_download_model_failure_is_not_available(tmp_path: Path, file_server):
    url, _ = file_server
    location = ModelLocation(
        folder=tmp_path / "cache", downloads={WEIGHTS_NAME: f"{url}/missing.bin"}
    )

    with pytest.raises(ModelNotAvailable, match="404") as raised:
        download_model(location)
    assert not (tmp_path / "cache" / WEIGHTS_NAME).exists()
    assert "copy the files" in str(raised.value)
