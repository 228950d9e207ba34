"""Time a full perceptron trace and the WebSocket stream rate.

Run: .venv/bin/python bench/perceptron.py
"""

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annlab.lessons.perceptron import build_trace  # noqa: E402
from annlab.schemas.perceptron import PerceptronParams  # noqa: E402
from common import describe_machine, running_server  # noqa: E402

REPEATS = 20
STREAM_RATE = 1000.0


def time_trace(params: PerceptronParams) -> tuple[float, int]:
    """Median seconds of build_trace over REPEATS runs, and its number of steps."""
    durations = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        trace = build_trace(params)
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), len(trace.steps)


async def measure_stream(ws_url: str, params: dict) -> tuple[int, float]:
    """Stream a run at STREAM_RATE steps/s; return steps received and seconds taken."""
    async with websockets.connect(f"{ws_url}/ws/perceptron") as websocket:
        await websocket.send(
            json.dumps(
                {"type": "start", "params": params, "steps_per_second": STREAM_RATE}
            )
        )
        num_steps = 0
        started = None
        while True:
            event = json.loads(await websocket.recv())
            if event["type"] == "step":
                started = started or time.perf_counter()
                num_steps += 1
            elif event["type"] == "done":
                return num_steps, time.perf_counter() - started


def main() -> None:
    print(f"Machine: {describe_machine()}")
    for label, params in [
        ("linear, defaults (3 epochs)", PerceptronParams()),
        (
            "xor, 1000 epochs, no convergence",
            PerceptronParams(dataset="xor", epochs=1000),
        ),
    ]:
        seconds, num_steps = time_trace(params)
        print(
            f"trace {label}: {num_steps} steps in {seconds * 1000:.2f} ms "
            f"({seconds / num_steps * 1e6:.1f} us per step)"
        )

    with running_server() as url:
        ws_url = url.replace("http", "ws", 1)
        params = {"dataset": "xor", "epochs": 200}
        num_steps, seconds = asyncio.run(measure_stream(ws_url, params))
    rate = num_steps / seconds
    print(
        f"stream at {STREAM_RATE:.0f} steps/s requested: {num_steps} steps in "
        f"{seconds:.2f} s = {rate:.0f} steps/s (ratio {rate / STREAM_RATE:.2f})"
    )


if __name__ == "__main__":
    main()
