"""Run the gradient-descent engine for a parameter model and produce its events."""

from collections.abc import Iterator

from annlab.engines import gradient_descent as engine
from annlab.schemas.gradient_descent import (
    DataSample,
    Divergence,
    FinalResult,
    FrameEvent,
    GradientDescentParams,
    GradientDescentTrace,
    LayerWeights,
    NetworkEvent,
    SetupEvent,
)


def network_event(hidden_units: list[int]) -> NetworkEvent:
    sizes = engine.layer_sizes(hidden_units)
    return NetworkEvent(sizes=sizes, num_parameters=engine.count_parameters(sizes))


def setup_event(
    params: GradientDescentParams, run: engine.Run, num_points: int
) -> SetupEvent:
    """Describe a prepared run: its first `num_points` points, grid and sizes."""
    return SetupEvent(
        params=params,
        sizes=run.sizes,
        batch_size=engine.BATCH_SIZE,
        steps_per_epoch=len(run.dataset.x) // engine.BATCH_SIZE,
        grid_x=run.grid.tolist(),
        target_curve=engine.target_function(run.grid).tolist(),
        data=DataSample(
            x=run.dataset.x[:num_points].tolist(),
            y=run.dataset.y[:num_points].tolist(),
            total=len(run.dataset.x),
        ),
    )


def frame_event(frame: engine.Frame) -> FrameEvent:
    return FrameEvent(
        index=frame.index,
        kind=frame.kind,
        epoch=frame.epoch,
        step=frame.step,
        loss=frame.loss,
        running_loss=frame.running_loss,
        step_losses=frame.step_losses,
        gradient_norms=frame.gradient_norms,
        curve=frame.curve,
        layers=[
            LayerWeights(weights=layer.weights.tolist(), biases=layer.biases.tolist())
            for layer in frame.layers
        ],
        diverged=frame.diverged,
    )


def final_result(last_frame: engine.Frame) -> FinalResult:
    summary = engine.summarize(last_frame)
    diverged_at = (
        Divergence(epoch=summary.diverged_at.epoch, step=summary.diverged_at.step)
        if summary.diverged_at is not None
        else None
    )
    return FinalResult(
        loss=summary.loss,
        diverged=summary.diverged,
        diverged_at=diverged_at,
        num_epochs=summary.num_epochs,
        num_steps=summary.num_steps,
    )


def prepare(params: GradientDescentParams) -> engine.Run:
    return engine.prepare_run(params.seed, params.hidden_units)


def stream_frames(
    params: GradientDescentParams, run: engine.Run
) -> Iterator[FrameEvent]:
    """Yield one frame event per engine frame, each as soon as it is computed."""
    for frame in engine.train(run, params.learning_rate, params.epochs):
        yield frame_event(frame)


def build_trace(params: GradientDescentParams, num_points: int) -> GradientDescentTrace:
    """Train the whole run and return its setup, every frame and the result."""
    run = prepare(params)
    frames = list(engine.train(run, params.learning_rate, params.epochs))
    setup = setup_event(params, run, num_points)
    return GradientDescentTrace(
        **setup.model_dump(exclude={"type", "params"}),
        params=params,
        frames=[frame_event(frame) for frame in frames],
        final=final_result(frames[-1]),
    )
