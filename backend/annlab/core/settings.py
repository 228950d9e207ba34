"""Application settings, read from `ANNLAB_*` environment variables and CLI options."""

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA_DIR = REPOSITORY_ROOT / "data"
DEFAULT_FRONTEND_DIR = REPOSITORY_ROOT / "frontend" / "dist"
DEBIAN_FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")


class Settings(BaseSettings):
    """Server settings. Each field is also the environment variable `ANNLAB_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="ANNLAB_", extra="ignore", env_ignore_empty=True
    )

    host: str = Field("127.0.0.1", description="Address the server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port of the server.")
    data_dir: Path = Field(
        DEFAULT_DATA_DIR,
        description="Folder for the database, run files, datasets and model weights.",
    )
    frontend_dir: Path = Field(
        DEFAULT_FRONTEND_DIR,
        description="Folder holding the built single-page app (`npm run build`).",
    )
    fashion_mnist_dir: Path | None = Field(
        None,
        description="Folder with the four Fashion-MNIST IDX .gz files. Unset: search "
        "<data_dir>/fashion-mnist, then /usr/share/datasets/fashion-mnist, "
        "then download with torchvision.",
    )
    teacher_token: str | None = Field(
        None,
        description="Bearer token that starts, stops and resumes GAN runs. "
        "Unset: a random token is generated and logged at start-up.",
    )
    max_concurrent_runs: int = Field(
        1,
        ge=1,
        le=16,
        description="GAN training runs that may train at once; "
        "further runs wait in the queue.",
    )
    biggan_worker_url: str | None = Field(
        None,
        description="URL of a remote BigGAN worker. Unset: the server starts a "
        "local worker process.",
    )
    biggan_worker_token: str | None = Field(
        None, description="Shared token between the server and the BigGAN worker."
    )
    biggan_model: str = Field(
        "biggan-deep-256",
        description="BigGAN model name (biggan-deep-128, -256, -512) or a folder "
        "holding config.json and pytorch_model.bin.",
    )
    biggan_autostart: bool = Field(
        True,
        description="Start the local BigGAN worker, and so the model load, with "
        "the server. False: start it on the first BigGAN request.",
    )
    biggan_device: str = Field(
        "auto",
        description="Device of the local BigGAN worker: auto (CUDA, then MPS, then "
        "CPU), cuda, mps or cpu.",
    )
    biggan_max_batch: int = Field(
        16, ge=1, le=256, description="Maximum images in one BigGAN forward pass."
    )
    biggan_max_wait_ms: float = Field(
        20.0,
        ge=0,
        le=10_000,
        description="Maximum time in ms that the BigGAN worker waits for more "
        "requests to join a batch after the first one arrives.",
    )
    log_level: str = Field("INFO", description="Level of the standard logging module.")

    @cached_property
    def database_path(self) -> Path:
        return self.data_dir / "annlab.sqlite3"

    @cached_property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"

    @cached_property
    def nltk_data_dir(self) -> Path:
        return self.data_dir / "nltk_data"
