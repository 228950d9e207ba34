"""The perceptron lesson: a whole trace over REST, or a controllable stream."""

import logging

from fastapi import APIRouter, WebSocket

from annlab.lessons.perceptron import build_trace
from annlab.schemas.perceptron import PerceptronParams, PerceptronTrace
from annlab.streaming.perceptron import PerceptronSession

logger = logging.getLogger(__name__)

router = APIRouter(tags=["perceptron"])


@router.get("/api/perceptron/parameters")
async def read_parameters() -> dict:
    """JSON Schema of the run parameters: types, ranges, defaults and descriptions."""
    return PerceptronParams.model_json_schema()


@router.post("/api/perceptron/trace", response_model=PerceptronTrace)
def create_trace(params: PerceptronParams) -> PerceptronTrace:
    """Train a perceptron and return the data, every step and the final weights."""
    trace = build_trace(params)
    logger.info(
        "Perceptron trace: %s, %d steps, accuracy %.3f",
        params.dataset,
        trace.final.num_steps,
        trace.final.accuracy,
    )
    return trace


@router.websocket("/ws/perceptron")
async def stream_perceptron(websocket: WebSocket) -> None:
    """Stream steps; the client sends start, pause, resume, step, speed and stop."""
    await PerceptronSession(websocket).serve()
