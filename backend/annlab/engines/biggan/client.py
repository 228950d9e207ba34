"""The web server's HTTP client for the BigGAN worker."""

import logging
from collections.abc import Callable
from typing import Any

import httpx

from annlab.engines.biggan.specs import ImageSpec

logger = logging.getLogger(__name__)

STATUS_TIMEOUT_S = 5.0
# Drawing 16 images of 256x256 pixels on a CPU takes tens of seconds.
GENERATE_TIMEOUT_S = 600.0


class WorkerUnavailable(Exception):
    """The worker process is down, starting or unreachable."""


class ModelNotReady(Exception):
    """The worker runs, but its model is loading or cannot be loaded."""

    def __init__(
        self, message: str, state: str, stage: str = "", progress: float = 0.0
    ):
        super().__init__(message)
        self.state = state
        self.stage = stage
        self.progress = progress


class WorkerFailed(Exception):
    """The worker responded with an error other than an unready model."""


class WorkerClient:
    """Calls a worker whose URL may change (a restarted local worker has a new port)."""

    def __init__(self, url_source: Callable[[], str | None], token: str | None) -> None:
        self._url_source = url_source
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.AsyncClient(headers=headers)

    def _url(self, path: str) -> str:
        base = self._url_source()
        if base is None:
            raise WorkerUnavailable(
                "The BigGAN worker is starting; try again in a few seconds."
            )
        return base.rstrip("/") + path

    async def _request(
        self, method: str, path: str, timeout_s: float, **kwargs: Any
    ) -> httpx.Response:
        url = self._url(path)
        try:
            return await self._http.request(method, url, timeout=timeout_s, **kwargs)
        except httpx.TimeoutException as error:
            raise WorkerUnavailable(
                f"The BigGAN worker at {url} did not respond within {timeout_s:.0f} s."
            ) from error
        except httpx.TransportError as error:
            # Connection refused, or the process died before it responded.
            raise WorkerUnavailable(
                f"The BigGAN worker at {url} is not reachable ({type(error).__name__}: "
                f"{error or 'connection lost'})."
            ) from error

    @staticmethod
    def _error_message(response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        body.setdefault(
            "message", f"HTTP {response.status_code}: {response.text[:200]}"
        )
        return body

    async def status(self) -> dict[str, Any]:
        """Return the worker's /status body."""
        response = await self._request("GET", "/status", STATUS_TIMEOUT_S)
        if response.status_code != 200:
            body = self._error_message(response)
            raise WorkerFailed(
                f"The BigGAN worker status request failed: {body['message']}"
            )
        return response.json()

    async def generate(self, specs: list[ImageSpec]) -> dict[str, Any]:
        """Draw the specs and return the /generate body (base64 PNGs and timings)."""
        payload = {"items": [spec.to_json() for spec in specs]}
        response = await self._request(
            "POST", "/generate", GENERATE_TIMEOUT_S, json=payload
        )
        if response.status_code == 200:
            return response.json()
        body = self._error_message(response)
        if response.status_code == 503 and body.get("error") == "model_not_ready":
            raise ModelNotReady(
                body["message"],
                state=body.get("state", "loading"),
                stage=body.get("stage", ""),
                progress=body.get("progress", 0.0),
            )
        raise WorkerFailed(f"The BigGAN worker failed: {body['message']}")

    async def close(self) -> None:
        await self._http.aclose()
