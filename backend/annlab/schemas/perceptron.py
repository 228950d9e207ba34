"""Parameters and events of the perceptron lesson."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from annlab.engines.perceptron import DEFAULT_BIAS, DEFAULT_STD
from annlab.schemas.common import (
    DEFAULT_STEPS_PER_SECOND,
    MAX_STEPS_PER_SECOND,
    MIN_STEPS_PER_SECOND,
    EventModel,
    ParamsModel,
    Within,
    client_message_adapter,
)


class PerceptronParams(ParamsModel):
    """A perceptron run. Unset `data_std` and `bias` take the dataset's defaults."""

    dataset: Literal["linear", "xor"] = Field(
        "linear",
        description="linear: two noisy clouds, one per class; xor: four corners, "
        "opposite corners share a class.",
    )
    data_std: Annotated[float, Within(0.1, 1.0)] | None = Field(
        None,
        title="Noise std",
        description="Standard deviation of the noise around each centre; "
        "unset: 0.8 for linear, 0.1 for xor.",
        json_schema_extra={"dataset_defaults": DEFAULT_STD},
    )
    seed: Annotated[int, Within(0, 2**31 - 1)] = Field(
        0, description="Seeds the data and the initial weights."
    )
    learning_rate: Annotated[float, Within(1e-4, 1.0)] = Field(
        1e-3,
        title="Learning rate",
        description="Step size eta of the update rule.",
        json_schema_extra={"scale": "log"},
    )
    epochs: Annotated[int, Within(1, 1000)] = Field(
        3,
        description="Maximum passes over the data; training stops earlier "
        "after an epoch without a change.",
    )
    bias: bool | None = Field(
        None,
        description="Prefix each sample with a constant 1; unset: on for "
        "linear, off for xor.",
        json_schema_extra={"dataset_defaults": DEFAULT_BIAS},
    )
    feature_engineering: bool = Field(
        False, title="Add x1*x2", description="Add the product x1*x2 as a third input."
    )
    init: Literal["uniform", "zero"] = Field(
        "uniform",
        title="Initial weights",
        description="Initial weights: uniform in [-0.01, 0.01] or all zero.",
    )

    @model_validator(mode="after")
    def fill_dataset_defaults(self) -> "PerceptronParams":
        if self.data_std is None:
            self.data_std = DEFAULT_STD[self.dataset]
        if self.bias is None:
            self.bias = DEFAULT_BIAS[self.dataset]
        return self


class DataPoint(EventModel):
    x1: float
    x2: float
    label: int


class DatasetEvent(EventModel):
    """First event of a stream: points, feature names and initial weights."""

    type: Literal["dataset"] = "dataset"
    params: PerceptronParams
    feature_names: list[str]
    points: list[DataPoint]
    initial_weights: list[float]


class StepEvent(EventModel):
    """One sample presented: features, label, prediction and the new weights."""

    type: Literal["step"] = "step"
    step: int = Field(description="1-based count of samples presented so far.")
    epoch: int
    sample_index: int = Field(description="Index of the sample in `points`.")
    sample: list[float] = Field(description="Feature vector, in `feature_names` order.")
    label: int
    prediction: int
    weights: list[float] = Field(description="Weights after this step's update.")
    changed: bool = Field(description="Whether this sample changed the weights.")


class FinalResult(EventModel):
    weights: list[float]
    accuracy: float = Field(
        description="Share of training points classified correctly."
    )
    converged: bool = Field(description="An epoch passed without a weight change.")
    num_epochs: int
    num_steps: int


class DoneEvent(EventModel):
    type: Literal["done"] = "done"
    final: FinalResult


class PerceptronTrace(EventModel):
    """A whole run at once: the dataset event, every step and the result."""

    params: PerceptronParams
    feature_names: list[str]
    points: list[DataPoint]
    initial_weights: list[float]
    steps: list[StepEvent]
    final: FinalResult


class StartMessage(ParamsModel):
    type: Literal["start"]
    params: PerceptronParams = Field(default_factory=PerceptronParams)
    steps_per_second: Annotated[
        float, Within(MIN_STEPS_PER_SECOND, MAX_STEPS_PER_SECOND)
    ] = DEFAULT_STEPS_PER_SECOND
    autoplay: bool = Field(
        True, description="Play at once; false sends the dataset and waits paused."
    )


client_messages = client_message_adapter(StartMessage)
