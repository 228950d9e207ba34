"""Find BigGAN weights on disk, or download them, before PyTorch is imported.

A model setting is either a folder holding `config.json` and
`pytorch_model.bin` (what `BigGAN.from_pretrained` reads), or one of the names
that pytorch-pretrained-biggan 0.1.1 lists (biggan-deep-128, -256, -512). Named
models are downloaded once into `<cache_dir>/<name>/` and read from there
afterwards, with no network request. The package's own cache would send a
HEAD request on every start.
"""

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "pytorch_model.bin"
MODEL_SETTING_HINT = (
    "Set ANNLAB_BIGGAN_MODEL (or the worker's --model option) to biggan-deep-128, "
    "biggan-deep-256 or biggan-deep-512, which the worker downloads when it first "
    "loads them with internet access, or to a folder holding config.json and "
    "pytorch_model.bin."
)

# Called with (bytes received, total bytes or None) while a file downloads.
DownloadProgress = Callable[[int, int | None], None]
# Called with (file name, bytes received, total bytes or None) while a model downloads.
ModelDownloadProgress = Callable[[str, int, int | None], None]


class ModelNotAvailable(Exception):
    """No usable weights for the configured model; the message names the setting."""


@dataclass(frozen=True)
class ModelLocation:
    """Folder of a model's weights, with the files still to download into it."""

    folder: Path
    # File name -> URL, for a named model whose files are not in the folder yet.
    downloads: dict[str, str]


def missing_files(folder: Path) -> list[str]:
    return [
        name for name in (CONFIG_NAME, WEIGHTS_NAME) if not (folder / name).is_file()
    ]


def looks_like_path(model: str) -> bool:
    """Return whether a model setting names a folder rather than a model name."""
    separators = {os.sep, "/"} | ({os.altsep} if os.altsep else set())
    return any(separator in model for separator in separators) or model.startswith(
        (".", "~")
    )


def known_model_urls() -> dict[str, dict[str, str]]:
    """Return the download URLs that pytorch-pretrained-biggan lists, by model name.

    Importing the package imports PyTorch, which takes seconds, so this is
    called only for settings that are not folders.
    """
    from pytorch_pretrained_biggan.model import (
        PRETRAINED_CONFIG_ARCHIVE_MAP,
        PRETRAINED_MODEL_ARCHIVE_MAP,
    )

    return {
        name: {CONFIG_NAME: PRETRAINED_CONFIG_ARCHIVE_MAP[name], WEIGHTS_NAME: url}
        for name, url in PRETRAINED_MODEL_ARCHIVE_MAP.items()
    }


def locate_model(model: str, cache_dir: Path) -> ModelLocation:
    """Return where the weights for `model` are; raise ModelNotAvailable if nowhere."""
    model = model.strip()
    folder = Path(model).expanduser()
    if folder.is_dir():
        missing = missing_files(folder)
        if missing:
            raise ModelNotAvailable(
                f"BigGAN model not available: the folder {folder} has no "
                f"{' or '.join(missing)}. {MODEL_SETTING_HINT}"
            )
        return ModelLocation(folder=folder, downloads={})
    if not model or looks_like_path(model):
        raise ModelNotAvailable(
            f"BigGAN model not available: the folder {folder} does not exist. "
            f"{MODEL_SETTING_HINT}"
        )

    urls = known_model_urls()
    if model not in urls:
        raise ModelNotAvailable(
            f"BigGAN model not available: '{model}' is neither a folder nor a known "
            f"model name ({', '.join(sorted(urls))}). {MODEL_SETTING_HINT}"
        )
    folder = cache_dir / model
    downloads = {name: urls[model][name] for name in missing_files(folder)}
    return ModelLocation(folder=folder, downloads=downloads)


def download_file(
    url: str,
    target: Path,
    progress: DownloadProgress | None = None,
    timeout_s: float = 60.0,
) -> None:
    """Stream `url` into `target`, through a `.part` file renamed once complete."""
    import httpx

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with httpx.stream("GET", url, timeout=timeout_s, follow_redirects=True) as response:
        response.raise_for_status()
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        received = 0
        with partial.open("wb") as file:
            for chunk in response.iter_bytes(chunk_size=1 << 20):
                file.write(chunk)
                received += len(chunk)
                if progress is not None:
                    progress(received, total)
    if total is not None and received != total:
        partial.unlink(missing_ok=True)
        raise OSError(f"Download of {url} ended after {received} of {total} bytes")
    partial.replace(target)


def download_model(
    location: ModelLocation, progress: ModelDownloadProgress | None = None
) -> None:
    """Download the files the location lacks; raise ModelNotAvailable on failure."""
    import httpx

    for name, url in location.downloads.items():
        logger.info("Downloading %s to %s", url, location.folder / name)

        def report(received: int, total: int | None, name: str = name) -> None:
            if progress is not None:
                progress(name, received, total)

        try:
            download_file(url, location.folder / name, report)
        except (httpx.HTTPError, OSError) as error:
            raise ModelNotAvailable(
                f"BigGAN model not available: downloading {url} failed ({error}). "
                f"Check the internet access of the worker machine, or copy the files "
                f"into {location.folder}. {MODEL_SETTING_HINT}"
            ) from error
