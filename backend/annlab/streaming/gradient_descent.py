"""The gradient-descent lesson's WebSocket session: a setup event, then frames."""

from typing import Any

from annlab.lessons.gradient_descent import (
    network_event,
    prepare,
    setup_event,
    stream_frames,
)
from annlab.schemas.gradient_descent import (
    PreviewMessage,
    StartMessage,
    client_messages,
)
from annlab.streaming.session import PlayerSession, RunEvents


class GradientDescentSession(PlayerSession):
    """Plays the frames of one training run.

    The setup event is sent outside the player, so the player's event index is
    the frame index and `seek` takes a frame index. The reply to `preview`, the
    network's shape, is sent at once, with or without a run.
    """

    lesson_name = "Gradient descent"
    client_messages = client_messages

    async def handle(self, message: Any) -> None:
        if isinstance(message, PreviewMessage):
            hidden_units = [message.hidden_units_1, message.hidden_units_2]
            await self.send(network_event(hidden_units))
        else:
            await super().handle(message)

    def create_run(self, message: StartMessage) -> RunEvents:
        run = prepare(message.params)
        return RunEvents(
            stream_frames(message.params, run),
            setup=[setup_event(message.params, run, message.num_points)],
        )
