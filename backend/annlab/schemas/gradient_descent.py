"""Parameters and events of the gradient-descent lesson.

Losses, curves and weights are JsonFloat, so a diverged run sends its NaN and
infinite values as null and flags the divergence instead.
"""

from typing import Annotated, Literal

from pydantic import Field

from annlab.engines.gradient_descent import BATCH_SIZE, NUM_POINTS
from annlab.schemas.common import (
    DEFAULT_STEPS_PER_SECOND,
    MAX_STEPS_PER_SECOND,
    MIN_STEPS_PER_SECOND,
    EventModel,
    JsonFloat,
    ParamsModel,
    Within,
    client_message_adapter,
)

MIN_EPOCHS = 10
MAX_EPOCHS = 200
MIN_HIDDEN_UNITS = 1
MAX_HIDDEN_UNITS = 32

# Rates measured on seeds 0 to 39 with the default layers and 100 epochs.
# The loss is the batch mean, so a step moves the weights 40 times further than
# with a gradient divided by the data-set size (1280). On this unscaled data
# (x up to 5, y up to 17.5), 0.1 leaves 39 of the 40 runs as a flat line: the
# first large steps push every ReLU unit to zero output for all inputs. 3e-3
# lowers the loss at least 10-fold on every seed, to a median of 0.06.
DEFAULT_LEARNING_RATE = 3e-3
# The batch-mean loss also lets small rates learn: 1e-4 lowers the loss about
# 25-fold. Only near 1e-7 does the curve barely move (a median of 11 percent
# less loss), so the range reaches down there to keep that failure in reach.
# Every run at 2 or more overflows to inf or NaN, and from 0.03 to 1 most runs
# end as a flat line.
MIN_LEARNING_RATE = 1e-7
MAX_LEARNING_RATE = 10.0

HiddenUnits = Annotated[int, Within(MIN_HIDDEN_UNITS, MAX_HIDDEN_UNITS)]


class GradientDescentParams(ParamsModel):
    """A training run: the seed, the network's size, the rate and the epochs."""

    learning_rate: Annotated[float, Within(MIN_LEARNING_RATE, MAX_LEARNING_RATE)] = (
        Field(
            DEFAULT_LEARNING_RATE,
            title="Learning rate",
            description="Step size of each gradient-descent update.",
            json_schema_extra={"scale": "log"},
        )
    )
    hidden_units_1: HiddenUnits = Field(
        16, title="Hidden layer 1 units", description="Units of the first hidden layer."
    )
    hidden_units_2: HiddenUnits = Field(
        8, title="Hidden layer 2 units", description="Units of the second hidden layer."
    )
    epochs: Annotated[int, Within(MIN_EPOCHS, MAX_EPOCHS)] = Field(
        100,
        title="Epochs",
        description=f"Passes over the {NUM_POINTS} points, {NUM_POINTS // BATCH_SIZE} "
        f"mini-batches of {BATCH_SIZE} each.",
    )
    seed: Annotated[int, Within(0, 2**31 - 1)] = Field(
        0,
        title="Seed",
        description="Seeds the data, the initial weights and the mini-batch order.",
    )

    @property
    def hidden_units(self) -> list[int]:
        return [self.hidden_units_1, self.hidden_units_2]


NumPoints = Annotated[int, Within(0, NUM_POINTS)]
NUM_POINTS_DESCRIPTION = (
    "How many of the data points to return; they are a uniform sample."
)


class TraceRequest(GradientDescentParams):
    """A run's parameters plus the size of the data sample in the response."""

    num_points: NumPoints = Field(NUM_POINTS, description=NUM_POINTS_DESCRIPTION)


class DataSample(EventModel):
    """Data points as two columns."""

    x: list[float]
    y: list[float]
    total: int = Field(
        description="Points in the whole data set that the run trains on."
    )


class LayerWeights(EventModel):
    """One layer's weights, indexed [input unit][output unit], and its biases."""

    weights: list[list[JsonFloat]]
    biases: list[JsonFloat]


class FrameEvent(EventModel):
    """The model after an epoch, or after a step of the epoch where the run diverged."""

    type: Literal["frame"] = "frame"
    index: int = Field(description="Position in the run's frames, from 0.")
    kind: Literal["initial", "epoch", "step"] = Field(
        description="initial: before training; epoch: after a whole epoch; "
        "step: after one step of the epoch in which the run diverged."
    )
    epoch: int = Field(
        description="Finished epochs; for a step frame, the epoch in progress (from 1)."
    )
    step: int = Field(description="Updates since the start.")
    loss: JsonFloat = Field(
        description="Mean squared error on all points with this frame's weights."
    )
    running_loss: JsonFloat = Field(
        description="Mean batch loss over the steps of the epoch so far; null at first."
    )
    step_losses: list[JsonFloat] = Field(
        description="Batch loss per step since the previous frame, before its update."
    )
    gradient_norms: list[JsonFloat] | None = Field(
        description="Per layer, the L2 norm of the loss gradient of its weights and "
        "biases: the mean over the epoch, or the step's own; null at first."
    )
    curve: list[JsonFloat] = Field(description="Network output at each x of `grid_x`.")
    layers: list[LayerWeights]
    diverged: bool = Field(
        description="True on the last frame when the loss or weights became non-finite."
    )


class NetworkEvent(EventModel):
    """The network's shape, sent at once in reply to `preview`."""

    type: Literal["network"] = "network"
    sizes: list[int] = Field(
        description="Units per layer, from the input to the output."
    )
    num_parameters: int


class SetupEvent(EventModel):
    """First event of a stream: the data, the grid and the network, before any frame."""

    type: Literal["setup"] = "setup"
    params: GradientDescentParams
    sizes: list[int] = Field(
        description="Units per layer, from the input to the output."
    )
    batch_size: int
    steps_per_epoch: int
    grid_x: list[float] = Field(description="The x values at which curves are given.")
    target_curve: list[float] = Field(
        description="The noise-free y = x + 0.5 x^2 at each x of `grid_x`."
    )
    data: DataSample


class Divergence(EventModel):
    epoch: int = Field(description="Epoch in progress, from 1.")
    step: int = Field(description="Update count, from 1, at which the run diverged.")


class FinalResult(EventModel):
    loss: JsonFloat = Field(description="Whole-data loss of the last frame.")
    diverged: bool
    diverged_at: Divergence | None
    num_epochs: int = Field(description="Epochs finished.")
    num_steps: int


class GradientDescentTrace(SetupEvent):
    """A whole run at once: the setup, every frame and the result."""

    type: Literal["trace"] = "trace"
    frames: list[FrameEvent]
    final: FinalResult


class StartMessage(ParamsModel):
    type: Literal["start"]
    params: GradientDescentParams = Field(default_factory=GradientDescentParams)
    num_points: NumPoints = Field(NUM_POINTS, description=NUM_POINTS_DESCRIPTION)
    steps_per_second: Annotated[
        float, Within(MIN_STEPS_PER_SECOND, MAX_STEPS_PER_SECOND)
    ] = Field(
        DEFAULT_STEPS_PER_SECOND, description="Frames sent per second while playing."
    )
    autoplay: bool = Field(
        True, description="Play at once; false sends the first frame and pauses."
    )


class PreviewMessage(ParamsModel):
    """Request the shape of a network without training it."""

    type: Literal["preview"]
    hidden_units_1: HiddenUnits = 16
    hidden_units_2: HiddenUnits = 8


client_messages = client_message_adapter(StartMessage, PreviewMessage)
