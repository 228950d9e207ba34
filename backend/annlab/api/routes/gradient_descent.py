"""The gradient-descent lesson: a whole trace over REST, or a controllable stream."""

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Body, WebSocket, WebSocketDisconnect

from annlab.lessons.gradient_descent import (
    build_trace,
    network_event,
    prepare,
    setup_event,
    stream_frames,
)
from annlab.schemas.common import ErrorEvent
from annlab.schemas.gradient_descent import (
    GradientDescentParams,
    GradientDescentTrace,
    PreviewMessage,
    StartMessage,
    TraceRequest,
    client_messages,
)
from annlab.streaming.player import StepPlayer
from annlab.streaming.websocket import (
    EventSender,
    apply_control,
    log_run_end,
    parse_client_message,
)

logger = logging.getLogger(__name__)

router = APIRouter(tags=["gradient descent"])

LESSON_NAME = "Gradient descent"


@router.get("/api/gradient-descent/parameters")
async def read_parameters() -> dict:
    """JSON Schema of the run parameters: types, ranges, defaults and descriptions."""
    return GradientDescentParams.model_json_schema()


@router.post("/api/gradient-descent/trace", response_model=GradientDescentTrace)
def create_trace(
    request: Annotated[TraceRequest | None, Body()] = None,
) -> GradientDescentTrace:
    """Train the network and return the data, every frame and the final loss.

    A diverged run is still a 200 response: its non-finite values are null and
    `final.diverged` is true.
    """
    request = request or TraceRequest()
    params = GradientDescentParams(**request.model_dump(exclude={"num_points"}))
    trace = build_trace(params, request.num_points)
    logger.info(
        "Gradient-descent trace: rate %g, %d frames, diverged %s",
        params.learning_rate,
        len(trace.frames),
        trace.final.diverged,
    )
    return trace


@router.websocket("/ws/gradient-descent")
async def stream_gradient_descent(websocket: WebSocket) -> None:
    """Stream frames; the client sends start, preview, pause, resume, step, prev,
    seek (a frame index), speed and stop."""
    await _Session(websocket).serve()


class _Session:
    """One client's stream: a setup event, then the frames played by a StepPlayer.

    The setup event is sent outside the player, so the player's event index is
    the frame index and `seek` takes a frame index. The reply to `preview`, the
    network's shape, is sent at once, with or without a run.
    """

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.send = EventSender(websocket)
        self.player: StepPlayer | None = None
        self.run_id = ""

    async def serve(self) -> None:
        await self.websocket.accept()
        try:
            while True:
                text = await self.websocket.receive_text()
                message, error = parse_client_message(client_messages, text)
                if error is not None:
                    await self.send(error)
                else:
                    await self.handle(message)
        except WebSocketDisconnect:
            pass
        finally:
            await self.close_player()

    async def handle(self, message: object) -> None:
        match message:
            case PreviewMessage():
                hidden_units = [message.hidden_units_1, message.hidden_units_2]
                await self.send(network_event(hidden_units))
            case StartMessage():
                await self.start(message)
            case _ if self.player is None:
                await self.send(
                    ErrorEvent(message=f'Send "start" before "{message.type}".')
                )
            case _:
                await apply_control(self.player, message)

    async def start(self, message: StartMessage) -> None:
        await self.close_player()
        self.run_id = uuid.uuid4().hex[:8]
        run = prepare(message.params)
        await self.send(setup_event(message.params, run, message.num_points))
        self.player = StepPlayer(
            stream_frames(message.params, run), self.send, message.steps_per_second
        )
        logger.info(
            "%s run %s started: %s",
            LESSON_NAME,
            self.run_id,
            message.params.model_dump_json(),
        )
        if message.autoplay:
            await self.player.play()
        else:
            await self.player.step()

    async def close_player(self) -> None:
        if self.player is not None:
            await self.player.close()
            log_run_end(LESSON_NAME, self.run_id, self.player)
            self.player = None
