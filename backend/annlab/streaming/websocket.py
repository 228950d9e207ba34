"""WebSocket helpers shared by the lessons: parse client messages, send events."""

import asyncio
import json
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


BINARY_MESSAGE_ERROR = ErrorEvent(
    message="Binary messages are not supported; send each message as JSON text."
)


async def receive_text_or_none(websocket: WebSocket) -> str | None:
    """Return the next text message, or None for a binary one.

    Raises WebSocketDisconnect when the client leaves. Starlette's
    receive_text() raises KeyError on a binary frame, which would otherwise
    end the session without a close frame.
    """
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    return message.get("text")


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
