"""Logging set-up for the server process."""

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """Send records of `level` and above from every `annlab` logger to stderr."""
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT)
    logging.getLogger("annlab").setLevel(level.upper())
    # httpx logs every request at INFO, which would log each poll of the
    # BigGAN worker's status.
    logging.getLogger("httpx").setLevel(logging.WARNING)
