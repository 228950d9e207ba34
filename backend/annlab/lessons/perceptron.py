"""Run the perceptron engine for a parameter model and produce its events."""

from collections.abc import Iterator

from annlab.engines import perceptron
from annlab.schemas.common import EventModel
from annlab.schemas.perceptron import (
    DataPoint,
    DatasetEvent,
    DoneEvent,
    FinalResult,
    PerceptronParams,
    PerceptronTrace,
    StepEvent,
)


def _prepare(params: PerceptronParams) -> perceptron.Setup:
    return perceptron.prepare(
        dataset=params.dataset,
        data_std=params.data_std,
        seed=params.seed,
        bias=params.bias,
        feature_engineering=params.feature_engineering,
        init=params.init,
    )


def _dataset_event(params: PerceptronParams, setup: perceptron.Setup) -> DatasetEvent:
    points = [
        DataPoint(x1=float(x1), x2=float(x2), label=int(label))
        for (x1, x2), label in zip(
            setup.dataset.inputs, setup.dataset.labels, strict=True
        )
    ]
    return DatasetEvent(
        params=params,
        feature_names=setup.feature_names,
        points=points,
        initial_weights=setup.initial_weights.tolist(),
    )


def _step_event(step: perceptron.Step) -> StepEvent:
    return StepEvent(
        step=step.step,
        epoch=step.epoch,
        sample_index=step.sample_index,
        sample=step.features,
        label=step.label,
        prediction=step.prediction,
        weights=step.weights,
        changed=step.changed,
    )


def _final(setup: perceptron.Setup, steps: list[perceptron.Step]) -> FinalResult:
    result = perceptron.summarize(
        setup.features, setup.dataset.labels, steps, setup.initial_weights
    )
    return FinalResult(**vars(result))


def _train(
    params: PerceptronParams, setup: perceptron.Setup
) -> Iterator[perceptron.Step]:
    return perceptron.train(
        setup.features,
        setup.dataset.labels,
        setup.initial_weights,
        params.learning_rate,
        params.epochs,
    )


def stream_events(params: PerceptronParams) -> Iterator[EventModel]:
    """Yield the dataset event, one step event per sample presented, then done."""
    setup = _prepare(params)
    yield _dataset_event(params, setup)
    steps = []
    for step in _train(params, setup):
        steps.append(step)
        yield _step_event(step)
    yield DoneEvent(final=_final(setup, steps))


def build_trace(params: PerceptronParams) -> PerceptronTrace:
    """Run the whole training and return every step with the result."""
    setup = _prepare(params)
    dataset_event = _dataset_event(params, setup)
    steps = list(_train(params, setup))
    return PerceptronTrace(
        params=params,
        feature_names=dataset_event.feature_names,
        points=dataset_event.points,
        initial_weights=dataset_event.initial_weights,
        steps=[_step_event(step) for step in steps],
        final=_final(setup, steps),
    )
