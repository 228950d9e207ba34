"""The backpropagation lesson: a whole trace over REST, or one step per `next`."""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError

from annlab.engines.backprop import ExpressionError
from annlab.lessons.backprop import (
    build_stream,
    build_trace,
    error_detail,
    error_event,
    parse_names,
)
from annlab.schemas.backprop import (
    AutoMessage,
    BackpropParams,
    BackpropTrace,
    GraphEvent,
    NextMessage,
    ParseRequest,
    ParseResult,
    ResetMessage,
    StartMessage,
    client_messages,
)
from annlab.schemas.common import ErrorEvent, EventModel, PrevMessage
from annlab.streaming.player import StepPlayer
from annlab.streaming.websocket import EventSender, apply_control, parse_client_message

logger = logging.getLogger(__name__)

router = APIRouter(tags=["backprop"])


@router.get("/api/backprop/parameters")
async def read_parameters() -> dict:
    """JSON Schema of the parameters: expression, leaves and learning rate."""
    return BackpropParams.model_json_schema()


@router.post("/api/backprop/trace", response_model=BackpropTrace)
def create_trace(
    params: Annotated[BackpropParams | None, Body()] = None,
) -> BackpropTrace:
    """Build the graph and return its forward, backward and update steps."""
    params = params or BackpropParams()
    try:
        trace = build_trace(params)
    except ExpressionError as error:
        raise RequestValidationError(error_detail(error, params)) from error
    logger.info("Backprop trace: %d nodes, loss %g", len(trace.nodes), trace.loss)
    return trace


@router.post("/api/backprop/parse", response_model=ParseResult)
def parse_expression(request: ParseRequest) -> ParseResult:
    """List the leaves an expression needs and the names it assigns."""
    try:
        return parse_names(request.expression)
    except ExpressionError as error:
        raise RequestValidationError(error_detail(error, request)) from error


@router.websocket("/ws/backprop")
async def stream_backprop(websocket: WebSocket) -> None:
    """Stream steps, driven by start, next, prev, reset, auto and pause messages."""
    await _Session(websocket).serve()


class _Session:
    """One client's stream: a graph event, then the steps played by a StepPlayer.

    `next` maps to the player's step, `auto` to a speed change and play, and
    `reset` (or `prev` from the first step) starts a fresh player over the
    same steps, so every value is unknown again.
    """

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.send = EventSender(websocket)
        self.player: StepPlayer | None = None
        self.graph: GraphEvent | None = None
        self.steps: list[EventModel] = []

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
            if self.player is not None:
                await self.player.close()

    async def handle(self, message: object) -> None:
        match message:
            case StartMessage():
                await self.start(message)
            case _ if self.player is None:
                await self.send(
                    ErrorEvent(message=f'Send "start" before "{message.type}".')
                )
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
                await apply_control(self.player, message)

    async def start(self, message: StartMessage) -> None:
        try:
            self.graph, self.steps = build_stream(message.params)
        except ExpressionError as error:
            logger.info("Backprop stream not started: %s", error)
            await self.send(error_event(error))
            return
        logger.info(
            "Backprop stream started: %d nodes, %d steps",
            len(self.graph.nodes),
            len(self.steps),
        )
        await self.restart(message.steps_per_second)

    async def restart(self, steps_per_second: float | None = None) -> None:
        if self.player is not None:
            await self.player.close()
            steps_per_second = steps_per_second or self.player.steps_per_second
        self.player = StepPlayer(iter(self.steps), self.send, steps_per_second)
        await self.send(self.graph)
        await self.player.pause()
