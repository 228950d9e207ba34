"""WebSocket plumbing shared by the lessons: parse client messages, send events."""

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter, ValidationError

from annlab.schemas.common import (
    ErrorEvent,
    EventModel,
    PauseMessage,
    PrevMessage,
    ResumeMessage,
    SeekMessage,
    SpeedMessage,
    StepMessage,
    StopMessage,
    error_event_from_validation,
)
from annlab.streaming.player import StepPlayer

logger = logging.getLogger(__name__)


class EventSender:
    """Sends events on one WebSocket, one at a time.

    A send is shielded from cancellation, so pausing a player mid-send never
    leaves half a message on the wire.
    """

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        self._lock = asyncio.Lock()

    async def __call__(self, event: EventModel) -> None:
        text = event.model_dump_json()
        async with self._lock:
            await asyncio.shield(self._websocket.send_text(text))


def parse_client_message(
    adapter: TypeAdapter, text: str
) -> tuple[Any | None, ErrorEvent | None]:
    """Validate one client message; return (message, None) or (None, error event)."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        return None, ErrorEvent(message=f"Message is not valid JSON: {error}")
    if not isinstance(payload, dict) or "type" not in payload:
        return None, ErrorEvent(
            message='Message must be a JSON object with a "type" field.'
        )
    try:
        return adapter.validate_python(payload), None
    except ValidationError as error:
        # The first item of each error location is the message type, which the
        # client already knows; the rest is the field path.
        return None, error_event_from_validation(error, skip_prefix=1)


async def apply_control(player: StepPlayer, message: Any) -> bool:
    """Apply a shared control message to `player`; return False if it is not one."""
    match message:
        case PauseMessage():
            await player.pause()
        case ResumeMessage():
            await player.play()
        case StepMessage():
            await player.step()
        case PrevMessage():
            await player.prev()
        case SeekMessage(index=index):
            await player.seek(index)
        case SpeedMessage(steps_per_second=steps_per_second):
            await player.set_speed(steps_per_second)
        case StopMessage():
            await player.stop()
        case _:
            return False
    return True


async def serve_player_session(
    websocket: WebSocket,
    adapter: TypeAdapter,
    start_events: Callable[[Any], Iterator[EventModel]],
    name: str,
) -> None:
    """Run one client's session: `start` builds a player, controls drive it.

    `adapter` validates the lesson's message union; `start_events(message)`
    turns a valid `start` message into the event iterator to play. A `start`
    message with `autoplay` false sends only the first event and stays paused. A message
    that is neither `start` nor a shared control is answered with an error.
    """
    await websocket.accept()
    send = EventSender(websocket)
    player: StepPlayer | None = None
    run_id = ""
    try:
        while True:
            message, error = parse_client_message(
                adapter, await websocket.receive_text()
            )
            if error is not None:
                await send(error)
                continue
            if message.type == "start":
                if player is not None:
                    await player.close()
                    log_run_end(name, run_id, player)
                run_id = uuid.uuid4().hex[:8]
                try:
                    events = start_events(message)
                except ValueError as engine_error:
                    logger.info("%s run %s rejected: %s", name, run_id, engine_error)
                    await send(ErrorEvent(message=str(engine_error)))
                    continue
                speed = getattr(message, "steps_per_second", None)
                player = StepPlayer(
                    events, send, **({"steps_per_second": speed} if speed else {})
                )
                logger.info(
                    "%s run %s started: %s",
                    name,
                    run_id,
                    message.model_dump_json(exclude={"type"}),
                )
                if getattr(message, "autoplay", True):
                    await player.play()
                else:
                    # Show the first event, then wait for the client's controls.
                    await player.step()
            elif player is None:
                await send(ErrorEvent(message=f'Send "start" before "{message.type}".'))
            elif not await apply_control(player, message):
                await send(ErrorEvent(message=f'Unsupported message "{message.type}".'))
    except WebSocketDisconnect:
        pass
    finally:
        if player is not None:
            await player.close()
            log_run_end(name, run_id, player)


def log_run_end(name: str, run_id: str, player: StepPlayer) -> None:
    logger.info(
        "%s run %s ended: %s after %d events%s",
        name,
        run_id,
        player.status,
        len(player.history),
        ", stream complete" if player.is_complete else "",
    )
