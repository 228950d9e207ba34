"""The GAN lesson: training runs on Fashion-MNIST that any number of viewers watch.

Starting, stopping and resuming a run needs the teacher token; reading is open.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import (
    APIRouter,
    Body,
    Depends,
    FastAPI,
    HTTPException,
    Request,
    WebSocket,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse

from annlab.api.deps import TeacherOnly
from annlab.lessons.gan import build_architecture
from annlab.runs.hub import Subscription, SubscriptionOverflow
from annlab.runs.manager import (
    GanRunManager,
    RunNotFoundError,
    RunParameterError,
    RunStateError,
)
from annlab.schemas.common import ErrorEvent
from annlab.schemas.gan import GanArchitecture, GanParams, GanRun, GanRunSummary

logger = logging.getLogger(__name__)

router = APIRouter(tags=["gan"])

# WebSocket close codes: 4404 for an unknown run (HTTP 404 in the private
# range 4000-4999), 1013 "try again later" for a viewer that fell too far behind.
CLOSE_RUN_NOT_FOUND = 4404
CLOSE_TRY_AGAIN_LATER = 1013
READ_ONLY_MESSAGE = (
    "The run stream is read-only and ignored this message. Teacher actions go "
    "through REST with the teacher token as a Bearer header: POST /api/gan/runs "
    "starts a run, POST /api/gan/runs/{id}/stop stops one and "
    "POST /api/gan/runs/{id}/resume resumes one."
)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Own the run manager: it recovers earlier runs at start and stops runs at exit."""
    manager = GanRunManager(app.state.settings, asyncio.get_running_loop())
    manager.start()
    app.state.gan_runs = manager
    try:
        yield
    finally:
        await asyncio.to_thread(manager.shutdown)


def _get_manager(request: Request) -> GanRunManager:
    return request.app.state.gan_runs


Manager = Annotated[GanRunManager, Depends(_get_manager)]


@contextlib.contextmanager
def _http_errors() -> Iterator[None]:
    """Translate the manager's errors into HTTP 404, 409 and 422 responses."""
    try:
        yield
    except RunNotFoundError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except RunStateError as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    except RunParameterError as error:
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("body", error.field_name),
                    "msg": str(error),
                    "input": error.value,
                }
            ]
        ) from error


@router.get("/api/gan/parameters")
def read_parameters() -> dict:
    """Return the JSON Schema of the run parameters, with ranges and defaults."""
    return GanParams.model_json_schema()


@router.get("/api/gan/architecture", response_model=GanArchitecture)
def read_architecture() -> GanArchitecture:
    """Return both networks as layer tables (name, type, output shape, parameters)."""
    return build_architecture()


@router.post(
    "/api/gan/runs", status_code=201, response_model=GanRun, dependencies=[TeacherOnly]
)
def create_run(
    manager: Manager, params: Annotated[GanParams | None, Body()] = None
) -> GanRun:
    """Queue a training run (teacher only); it starts when a training slot is free."""
    with _http_errors():
        return manager.create_run(params or GanParams())


@router.get("/api/gan/runs", response_model=list[GanRunSummary])
def list_runs(manager: Manager) -> list[GanRunSummary]:
    """List every run, newest first."""
    return manager.list_runs()


@router.get("/api/gan/runs/{run_id}", response_model=GanRun)
def read_run(run_id: str, manager: Manager) -> GanRun:
    """Return a run's status, parameters, epochs (losses, timings) and progress."""
    with _http_errors():
        return manager.get_run(run_id)


@router.post(
    "/api/gan/runs/{run_id}/stop", response_model=GanRun, dependencies=[TeacherOnly]
)
def stop_run(run_id: str, manager: Manager) -> GanRun:
    """Stop a queued or running run (teacher only); its complete epochs are kept."""
    with _http_errors():
        return manager.stop_run(run_id)


@router.post(
    "/api/gan/runs/{run_id}/resume", response_model=GanRun, dependencies=[TeacherOnly]
)
def resume_run(run_id: str, manager: Manager) -> GanRun:
    """Continue a stopped or interrupted run from its last checkpoint (teacher only)."""
    with _http_errors():
        return manager.resume_run(run_id)


@router.get(
    "/api/gan/runs/{run_id}/samples/{epoch}.png",
    response_class=FileResponse,
    responses={200: {"content": {"image/png": {}}}},
)
def read_samples(run_id: str, epoch: int, manager: Manager) -> FileResponse:
    """Return the PNG grid of images drawn from the fixed latents after `epoch`."""
    with _http_errors():
        try:
            path = manager.sample_path(run_id, epoch)
        except FileNotFoundError as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    return FileResponse(path, media_type="image/png")


@router.websocket("/ws/gan/runs/{run_id}")
async def watch_run(websocket: WebSocket, run_id: str) -> None:
    """Stream the run's history, then live progress, epoch and status events."""
    await websocket.accept()
    try:
        subscription = websocket.app.state.gan_runs.subscribe(run_id)
    except RunNotFoundError as error:
        await websocket.send_text(ErrorEvent(message=str(error)).model_dump_json())
        await websocket.close(code=CLOSE_RUN_NOT_FOUND)
        return
    async with subscription:
        await _stream_events(websocket, subscription)


async def _stream_events(websocket: WebSocket, subscription: Subscription) -> None:
    """Send the subscription's events until the viewer leaves or the server stops."""
    # Both tasks send on the socket, so they take turns.
    send_lock = asyncio.Lock()
    sender = asyncio.create_task(_send_events(websocket, subscription, send_lock))
    receiver = asyncio.create_task(_reply_to_client_messages(websocket, send_lock))
    done, pending = await asyncio.wait(
        (sender, receiver), return_when=asyncio.FIRST_COMPLETED
    )
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        if task.exception() is not None:
            logger.info(
                "Viewer of GAN run %s dropped: %r",
                subscription.channel,
                task.exception(),
            )


async def _send_events(
    websocket: WebSocket, subscription: Subscription, send_lock: asyncio.Lock
) -> None:
    try:
        async for event in subscription:
            async with send_lock:
                await websocket.send_text(event.model_dump_json())
    except SubscriptionOverflow as error:
        logger.warning("%s", error)
        async with send_lock:
            await websocket.send_text(ErrorEvent(message=str(error)).model_dump_json())
            await websocket.close(code=CLOSE_TRY_AGAIN_LATER)
        return
    # The hub closed because the server is shutting down.
    async with send_lock:
        await websocket.close(code=1001)


async def _reply_to_client_messages(
    websocket: WebSocket, send_lock: asyncio.Lock
) -> None:
    """Reply to every client frame, text or binary, with an error event."""
    error = ErrorEvent(message=READ_ONLY_MESSAGE).model_dump_json()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        async with send_lock:
            await websocket.send_text(error)
