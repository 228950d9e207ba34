"""The backpropagation WebSocket session: a graph event, then one step per `next`."""

from typing import Any

from annlab.engines.backprop import ExpressionError
from annlab.lessons.backprop import build_stream, error_event
from annlab.schemas.backprop import (
    AutoMessage,
    GraphEvent,
    NextMessage,
    ResetMessage,
    StartMessage,
    client_messages,
)
from annlab.schemas.common import EventModel, PrevMessage
from annlab.streaming.session import PlayerSession, RunEvents


class BackpropSession(PlayerSession):
    """Plays the forward, backward and update steps of one expression.

    A run starts paused before its first step. `next` maps to the player's
    step, `auto` to a speed change and play, and `reset` (or `prev` from the
    first step) starts a fresh player over the same steps, so every value is
    unknown again.
    """

    lesson_name = "Backpropagation"
    client_messages = client_messages

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.graph: GraphEvent | None = None
        self.steps: list[EventModel] = []

    def create_run(self, message: StartMessage) -> RunEvents:
        # build_stream raises ExpressionError, a ValueError, before the
        # assignment, so a rejected start keeps the current graph and steps.
        self.graph, self.steps = build_stream(message.params)
        return RunEvents(iter(self.steps), setup=[self.graph])

    async def begin_playback(self, message: StartMessage) -> None:
        # pause() sends the state event: paused, before the first step.
        await self.player.pause()

    async def handle_control(self, message: Any) -> bool:
        match message:
            case NextMessage():
                await self.player.step()
            case ResetMessage():
                await self.restart()
            case PrevMessage() if self.player.index <= 0:
                await self.restart()
            case AutoMessage(steps_per_second=steps_per_second):
                # play() sends one state event, which carries the new speed.
                if steps_per_second is not None:
                    self.player.steps_per_second = steps_per_second
                await self.player.play()
            case _:
                return await super().handle_control(message)
        return True

    async def restart(self) -> None:
        """Replace the player with a fresh one over the same steps, at its speed."""
        steps_per_second = self.player.steps_per_second
        await self.player.close()
        await self.open_player(
            RunEvents(iter(self.steps), [self.graph]), steps_per_second
        )
        await self.player.pause()

    def rejection_event(self, error: ValueError) -> EventModel:
        if isinstance(error, ExpressionError):
            return error_event(error)
        return super().rejection_event(error)

    def describe_run(self, message: StartMessage) -> str:
        counts = f"{len(self.graph.nodes)} nodes, {len(self.steps)} steps"
        return f"{counts}, {super().describe_run(message)}"
