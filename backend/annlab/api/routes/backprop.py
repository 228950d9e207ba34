"""The backpropagation lesson: a whole trace over REST, or one step per `next`."""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, WebSocket
from fastapi.exceptions import RequestValidationError

from annlab.engines.backprop import ExpressionError
from annlab.lessons.backprop import build_trace, error_detail, parse_names
from annlab.schemas.backprop import (
    BackpropParams,
    BackpropTrace,
    ParseRequest,
    ParseResult,
)
from annlab.streaming.backprop import BackpropSession

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
    await BackpropSession(websocket).serve()
