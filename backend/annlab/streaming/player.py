"""Play a stream of events to one client at a chosen speed, with pause and seek."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator

from annlab.schemas.common import (
    DEFAULT_STEPS_PER_SECOND,
    ErrorEvent,
    EventModel,
    PlayerStateEvent,
    PlayerStatus,
)

logger = logging.getLogger(__name__)

# How far playback may fall behind its schedule before the schedule restarts.
MAX_LAG_S = 0.25

SendEvent = Callable[[EventModel], Awaitable[None]]


class StepPlayer:
    """Pulls events lazily from an iterator and sends them at `steps_per_second`.

    Every event produced is kept, so `prev` and `seek` can send earlier ones
    again. Events after the cursor are pulled from the iterator only when
    playback reaches them, so a slow engine streams as it computes.
    """

    def __init__(
        self,
        events: Iterator[EventModel],
        send: SendEvent,
        steps_per_second: float = DEFAULT_STEPS_PER_SECOND,
    ) -> None:
        self._events = events
        self._send = send
        self.steps_per_second = steps_per_second
        self.history: list[EventModel] = []
        self.index = -1
        self.is_complete = False
        self.status: PlayerStatus = "paused"
        self._play_task: asyncio.Task | None = None

    async def play(self) -> None:
        if self.status in ("playing", "stopped"):
            return
        if self.is_complete and self.index >= len(self.history) - 1:
            await self._send_state()
            return
        self.status = "playing"
        await self._send_state()
        self._play_task = asyncio.create_task(self._play_loop())

    async def pause(self) -> None:
        if self.status != "playing":
            await self._send_state()
            return
        await self._cancel_play_task()
        self.status = "paused"
        await self._send_state()

    async def step(self) -> None:
        await self._cancel_play_task()
        if self.status != "stopped":
            self.status = "paused"
        if self.status == "paused" and not await self._advance():
            # Stepping past the last event leaves the run finished, not paused.
            self.status = "finished" if self.is_complete else self.status
        await self._send_state()

    async def prev(self) -> None:
        await self.seek(self.index - 1)

    async def seek(self, index: int) -> None:
        await self._cancel_play_task()
        if self.status == "stopped":
            await self._send_state()
            return
        # Seeking forward past what is known pulls events up to that point.
        while index >= len(self.history) and not self.is_complete:
            if self._pull() is None:
                break
        self.index = max(0, min(index, len(self.history) - 1))
        self.status = "paused"
        if self.history:
            await self._send(self.history[self.index])
        await self._send_state()

    async def set_speed(self, steps_per_second: float) -> None:
        self.steps_per_second = steps_per_second
        await self._send_state()

    async def stop(self) -> None:
        await self._cancel_play_task()
        self.status = "stopped"
        await self._send_state()

    async def close(self) -> None:
        """Cancel playback without sending anything, for a closed connection."""
        await self._cancel_play_task()
        self.status = "stopped"

    async def _play_loop(self) -> None:
        # Each event is due 1/rate after the previous one's due time, so time
        # spent sending does not slow the rate. After a stall (a slow client)
        # the schedule restarts instead of sending a burst to catch up.
        loop = asyncio.get_running_loop()
        next_due = loop.time()
        while await self._advance():
            next_due += 1.0 / self.steps_per_second
            delay = next_due - loop.time()
            if delay < -MAX_LAG_S:
                next_due = loop.time()
            await asyncio.sleep(max(0.0, delay))
        if self.status == "playing":
            self.status = "finished"
        await self._send_state()

    async def _advance(self) -> bool:
        """Send the event after the cursor; return False when there is none.

        An exception from the engine ends the stream: the client gets an
        `error` event and the player stops.
        """
        if self.index + 1 >= len(self.history):
            try:
                event = self._pull()
            except Exception as error:
                logger.exception("Simulation failed after %d events", len(self.history))
                self.is_complete = True
                self.status = "stopped"
                await self._send(ErrorEvent(message=f"The simulation failed: {error}"))
                return False
            if event is None:
                return False
        self.index += 1
        await self._send(self.history[self.index])
        return True

    def _pull(self) -> EventModel | None:
        if self.is_complete:
            return None
        event = next(self._events, None)
        if event is None:
            self.is_complete = True
            return None
        self.history.append(event)
        return event

    async def _cancel_play_task(self) -> None:
        task, self._play_task = self._play_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _send_state(self) -> None:
        await self._send(
            PlayerStateEvent(
                status=self.status,
                index=self.index,
                num_events=len(self.history),
                is_complete=self.is_complete,
                steps_per_second=self.steps_per_second,
            )
        )
