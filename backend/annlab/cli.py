"""The `annlab` command line."""

import argparse
import os
from pathlib import Path

import uvicorn
from pydantic import ValidationError

from annlab.core.data_folder import DataFolderInUseError, DataFolderLock
from annlab.core.logging import configure_logging
from annlab.core.settings import Settings
from annlab.engines.biggan.worker import add_worker_arguments, run_worker
from annlab.runs.malloc import keep_freed_memory


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annlab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Start the web server.")
    serve.add_argument("--host", help="Address to listen on (default 127.0.0.1).")
    serve.add_argument("--port", type=int, help="TCP port (default 8000).")
    serve.add_argument(
        "--data-dir", type=Path, help="Folder for the database, runs and datasets."
    )
    serve.add_argument(
        "--fashion-mnist-dir",
        type=Path,
        help="Folder with the four Fashion-MNIST IDX .gz files.",
    )
    serve.add_argument("--log-level", help="Logging level (default INFO).")
    worker = commands.add_parser(
        "biggan-worker", help="Start a BigGAN worker, for example on a GPU machine."
    )
    add_worker_arguments(worker)
    return parser


def serve(args: argparse.Namespace) -> None:
    # CLI options win over ANNLAB_* environment variables, which win over defaults.
    overrides = {
        name: value
        for name, value in {
            "host": args.host,
            "port": args.port,
            "data_dir": args.data_dir,
            "fashion_mnist_dir": args.fashion_mnist_dir,
            "log_level": args.log_level,
        }.items()
        if value is not None
    }
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']} "
            f"(got {item['input']!r})"
            for item in error.errors(include_url=False)
        )
        raise SystemExit(f"annlab serve: invalid setting. {problems}") from None
    # The app takes the lock again at start-up. Checking here first ends a
    # second server with one line instead of uvicorn's start-up traceback.
    probe = DataFolderLock(settings.data_dir)
    try:
        probe.acquire()
    except DataFolderInUseError as error:
        raise SystemExit(f"annlab serve: {error}") from None
    probe.release()
    configure_logging(settings.log_level)
    # Before any thread starts: GAN training steps then reuse freed memory.
    keep_freed_memory()

    from annlab.main import create_app

    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        ws_ping_interval=20,
    )


def main(argv: list[str] | None = None) -> None:
    # Idle OpenMP threads spin only briefly (10,000 turns) before they sleep.
    # libgomp's default spinning made GAN training several times slower on a
    # CPU shared with other processes; never spinning (OMP_WAIT_POLICY=PASSIVE)
    # cost about 3 % on a quiet one. Measured with bench/gan_epoch.py on 2
    # cores. OpenMP reads this when torch is first imported, which is later.
    if "OMP_WAIT_POLICY" not in os.environ:
        os.environ.setdefault("GOMP_SPINCOUNT", "10000")
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        serve(args)
    elif args.command == "biggan-worker":
        configure_logging(args.log_level)
        raise SystemExit(run_worker(args))


if __name__ == "__main__":
    main()
