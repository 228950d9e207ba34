"""The gradient-descent lesson: a whole trace over REST, or a controllable stream."""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, WebSocket

from annlab.lessons.gradient_descent import build_trace
from annlab.schemas.gradient_descent import (
    GradientDescentParams,
    GradientDescentTrace,
    TraceRequest,
)
from annlab.streaming.gradient_descent import GradientDescentSession

logger = logging.getLogger(__name__)

router = APIRouter(tags=["gradient descent"])


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
    await GradientDescentSession(websocket).serve()
