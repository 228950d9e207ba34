"""Time the default gradient-descent run, its REST trace and the first streamed
frame, beside a matplotlib figure rendered per frame for the same frames.

Rendering a figure per frame is how a notebook pipeline animates training. The
reference here draws what the page draws (data, the current curve, earlier
curves, the loss so far) once per frame and saves each figure as a PNG in memory.

Run: .venv/bin/python bench/gradient_descent_run.py
"""

import asyncio
import io
import json
import statistics
import sys
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annlab.engines import gradient_descent as engine  # noqa: E402
from annlab.lessons.gradient_descent import build_trace  # noqa: E402
from annlab.schemas.gradient_descent import GradientDescentParams  # noqa: E402
from common import describe_machine, running_server  # noqa: E402

REPEATS = 10
STREAM_REPEATS = 10
# Earlier curves drawn behind the current one in each reference figure.
HISTORY_CURVES = 10


def time_engine_run(params: GradientDescentParams) -> tuple[float, float, int]:
    """Return wall-clock and CPU seconds for the whole run, and its frame count.

    The CPU time of this process is what the run costs; the wall-clock time
    also counts waiting while other processes hold the cores.
    """
    started = time.perf_counter()
    cpu_started = time.process_time()
    run = engine.prepare_run(params.seed, params.hidden_units)
    frames = list(engine.train(run, params.learning_rate, params.epochs))
    return time.perf_counter() - started, time.process_time() - cpu_started, len(frames)


def time_trace_json(params: GradientDescentParams) -> tuple[float, int]:
    """Seconds to build the REST trace and encode it as JSON, and its size in bytes."""
    started = time.perf_counter()
    text = build_trace(params, engine.NUM_POINTS).model_dump_json()
    return time.perf_counter() - started, len(text)


def time_alternately(params: GradientDescentParams) -> dict[str, list[float]]:
    """Time the engine run and the trace in turn, so that load from other
    processes on the machine affects both alike."""
    durations: dict[str, list[float]] = {"engine": [], "engine_cpu": [], "trace": []}
    for _ in range(REPEATS):
        wall_seconds, cpu_seconds, _ = time_engine_run(params)
        durations["engine"].append(wall_seconds)
        durations["engine_cpu"].append(cpu_seconds)
        durations["trace"].append(time_trace_json(params)[0])
    return durations


def describe_durations(durations: list[float]) -> str:
    return (
        f"median {statistics.median(durations) * 1000:.0f} ms, "
        f"best {min(durations) * 1000:.0f} ms of {len(durations)}"
    )


async def time_first_frame(ws_url: str) -> tuple[float, float]:
    """Seconds from sending `start` to the setup event and to the first frame."""
    async with websockets.connect(
        f"{ws_url}/ws/gradient-descent", max_size=None
    ) as websocket:
        started = time.perf_counter()
        await websocket.send(json.dumps({"type": "start", "steps_per_second": 1000}))
        setup_seconds = None
        while True:
            event = json.loads(await websocket.recv())
            if event["type"] == "setup":
                setup_seconds = time.perf_counter() - started
            elif event["type"] == "frame":
                return setup_seconds, time.perf_counter() - started


def render_reference_figures(params: GradientDescentParams) -> tuple[float, int] | None:
    """Seconds to render one matplotlib PNG per frame; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None

    trace = build_trace(params, engine.NUM_POINTS)
    epochs = [frame.step / trace.steps_per_epoch for frame in trace.frames]
    losses = [frame.loss for frame in trace.frames]
    started = time.perf_counter()
    for index, frame in enumerate(trace.frames):
        figure, (curve_axes, loss_axes) = plt.subplots(1, 2, figsize=(10, 4))
        curve_axes.scatter(trace.data.x, trace.data.y, s=2, alpha=0.4)
        curve_axes.plot(trace.grid_x, trace.target_curve, "k--", linewidth=1)
        for age, earlier in enumerate(
            trace.frames[max(0, index - HISTORY_CURVES) : index]
        ):
            curve_axes.plot(
                trace.grid_x, earlier.curve, color="C1", alpha=0.05 * (age + 1)
            )
        curve_axes.plot(trace.grid_x, frame.curve, color="C1", linewidth=2)
        curve_axes.set_title(f"epoch {frame.epoch}")
        loss_axes.plot(epochs[: index + 1], losses[: index + 1])
        loss_axes.set_xlabel("epoch")
        loss_axes.set_ylabel("loss")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        plt.close(figure)
    return time.perf_counter() - started, len(trace.frames)


def main() -> None:
    params = GradientDescentParams()
    print(f"Machine: {describe_machine()}")
    print(f"Run: {params.model_dump_json()}")

    _, _, num_frames = time_engine_run(params)
    _, trace_bytes = time_trace_json(params)
    durations = time_alternately(params)
    engine_seconds = statistics.median(durations["engine"])
    trace_seconds = statistics.median(durations["trace"])
    print(
        f"engine, default run ({num_frames} frames, {params.epochs * 40} updates): "
        f"{describe_durations(durations['engine'])}; CPU time "
        f"{describe_durations(durations['engine_cpu'])}"
    )
    print(
        f"REST trace built and encoded as JSON ({trace_bytes / 1e6:.2f} MB): "
        f"{describe_durations(durations['trace'])}"
    )

    with running_server() as url:
        ws_url = url.replace("http", "ws", 1)
        timings = [asyncio.run(time_first_frame(ws_url)) for _ in range(STREAM_REPEATS)]
    setup_ms = statistics.median(setup for setup, _ in timings) * 1000
    first_frame_ms = statistics.median(frame for _, frame in timings) * 1000
    print(
        f"WebSocket, start to setup event: {setup_ms:.1f} ms; start to first frame: "
        f"{first_frame_ms:.1f} ms (median of {STREAM_REPEATS}, live server on loopback)"
    )

    reference = render_reference_figures(params)
    if reference is None:
        print(
            "matplotlib is not installed; install the `bench` extra for the reference."
        )
        return
    reference_seconds, num_figures = reference
    print(
        f"matplotlib reference: {num_figures} figures in {reference_seconds:.2f} s "
        f"({reference_seconds / num_figures * 1000:.0f} ms per frame); "
        f"ratio to the median engine run {reference_seconds / engine_seconds:.0f}x, "
        f"to the median REST trace {reference_seconds / trace_seconds:.0f}x"
    )


if __name__ == "__main__":
    main()
