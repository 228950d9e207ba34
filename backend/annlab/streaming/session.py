"""One client's WebSocket session for a lesson whose stream a StepPlayer plays."""

import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter

from annlab.schemas.common import DEFAULT_STEPS_PER_SECOND, ErrorEvent, EventModel
from annlab.streaming.player import StepPlayer
from annlab.streaming.websocket import (
    BINARY_MESSAGE_ERROR,
    EventSender,
    apply_control,
    parse_client_message,
    receive_text_or_none,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunEvents:
    """The events of one run. `setup` is sent once, then the player plays `events`.

    Setup events stay outside the player's history, so `prev` and `seek` never
    send them again and the player's index counts only the played events.
    """

    events: Iterator[EventModel]
    setup: Sequence[EventModel] = ()


class PlayerSession:
    """One client's session, where a `start` message begins a run and controls drive it.

    Every message is validated against `client_messages`, and an invalid one
    gets an `error` event while the connection stays open. A valid `start`
    replaces the current run. Before the first run, every other message gets
    an error. The shared controls (pause, resume, step, prev, seek, speed and
    stop) go to the player through `apply_control`.

    A lesson subclass sets `lesson_name` and `client_messages` and implements
    `create_run`. It may override `handle` for messages that need no run,
    `handle_control` for its own controls, `begin_playback`, `rejection_event`
    and `describe_run`.
    """

    lesson_name: ClassVar[str]
    client_messages: ClassVar[TypeAdapter]

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.send = EventSender(websocket)
        self.player: StepPlayer | None = None
        self.run_id = ""

    async def serve(self) -> None:
        """Accept the connection and handle messages until the client disconnects."""
        await self.websocket.accept()
        try:
            while True:
                text = await receive_text_or_none(self.websocket)
                if text is None:
                    await self.send(BINARY_MESSAGE_ERROR)
                    continue
                message, error = parse_client_message(self.client_messages, text)
                if error is not None:
                    await self.send(error)
                else:
                    await self.handle(message)
        except WebSocketDisconnect:
            pass
        finally:
            await self.end_run()

    async def handle(self, message: Any) -> None:
        """Act on one valid message: `start`, or a control of the current run."""
        if message.type == "start":
            await self.start(message)
        elif self.player is None:
            await self.send(
                ErrorEvent(message=f'Send "start" before "{message.type}".')
            )
        elif not await self.handle_control(message):
            await self.send(
                ErrorEvent(message=f'Unsupported message "{message.type}".')
            )

    async def handle_control(self, message: Any) -> bool:
        """Apply `message` to the current player and return whether it is a control."""
        return await apply_control(self.player, message)

    async def start(self, message: Any) -> None:
        """Begin a run for a `start` message, replacing the current one.

        A ValueError from `create_run` rejects the message with an `error`
        event and leaves the current run playing as it was.
        """
        run_id = uuid.uuid4().hex[:8]
        try:
            run = self.create_run(message)
        except ValueError as error:
            logger.info("%s run %s rejected: %s", self.lesson_name, run_id, error)
            await self.send(self.rejection_event(error))
            return
        await self.end_run()
        self.run_id = run_id
        logger.info(
            "%s run %s started: %s",
            self.lesson_name,
            run_id,
            self.describe_run(message),
        )
        speed = getattr(message, "steps_per_second", None) or DEFAULT_STEPS_PER_SECOND
        await self.open_player(run, speed)
        await self.begin_playback(message)

    async def open_player(self, run: RunEvents, steps_per_second: float) -> None:
        """Send the run's setup events and put a paused player on its events."""
        for event in run.setup:
            await self.send(event)
        self.player = StepPlayer(run.events, self.send, steps_per_second)

    async def end_run(self) -> None:
        """Stop the current player without sending anything, and log how it ended."""
        if self.player is None:
            return
        await self.player.close()
        logger.info(
            "%s run %s ended: %s after %d events%s",
            self.lesson_name,
            self.run_id,
            self.player.status,
            len(self.player.history),
            ", stream complete" if self.player.is_complete else "",
        )
        self.player = None

    def create_run(self, message: Any) -> RunEvents:
        """Build the events of a run from a valid `start` message.

        Raise ValueError for a start that validation cannot reject, such as
        an expression that cannot be evaluated.
        """
        raise NotImplementedError

    async def begin_playback(self, message: Any) -> None:
        """Play at once, or send only the first event when `autoplay` is false."""
        if getattr(message, "autoplay", True):
            await self.player.play()
        else:
            await self.player.step()

    def rejection_event(self, error: ValueError) -> EventModel:
        """Build the `error` event for a start that `create_run` rejected."""
        return ErrorEvent(message=str(error))

    def describe_run(self, message: Any) -> str:
        """Describe a started run for the log."""
        return message.model_dump_json(exclude={"type"})
