"""Parameters and events of the backpropagation lesson."""

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from annlab.engines.backprop import (
    DEFAULT_EXPRESSION,
    DEFAULT_LEARNING_RATE,
    DEFAULT_LEAVES,
)
from annlab.schemas.common import (
    DEFAULT_STEPS_PER_SECOND,
    MAX_STEPS_PER_SECOND,
    MIN_STEPS_PER_SECOND,
    ErrorEvent,
    EventModel,
    ParamsModel,
    Within,
    client_message_adapter,
)

MAX_EXPRESSION_LENGTH = 2000
MAX_LEAVES = 50
MAX_LEAF_MAGNITUDE = 1e6

LeafName = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=32)
]
LeafRole = Literal["input", "target", "trainable"]
NodeRole = Literal["input", "target", "trainable", "constant", "intermediate", "loss"]
OperationName = Literal[
    "add", "sub", "mul", "div", "neg", "pow", "relu", "sigmoid", "tanh", "squared_error"
]


class LeafParams(ParamsModel):
    value: Annotated[float, Within(-MAX_LEAF_MAGNITUDE, MAX_LEAF_MAGNITUDE)] = Field(
        description="The leaf's value."
    )
    role: LeafRole = Field(
        "input",
        description="trainable leaves get a gradient in `gradients` and move in "
        "the update step. Input and target leaves are fixed data.",
    )


def _default_leaves() -> dict[str, LeafParams]:
    return {
        name: LeafParams(value=leaf.value, role=leaf.role)
        for name, leaf in DEFAULT_LEAVES.items()
    }


class BackpropParams(ParamsModel):
    """An expression and its leaves. Both unset: the default one-neuron example.

    With `expression` set and `leaves` unset, the expression has no leaves
    (it may use numbers only). With `leaves` set and `expression` unset, the
    default expression is evaluated at the given leaf values.
    """

    expression: str = Field(
        DEFAULT_EXPRESSION,
        min_length=1,
        max_length=MAX_EXPRESSION_LENGTH,
        description="Statements such as `h = x*w + b`, separated by newlines or "
        "`;`. The last statement is the output. Operators: + - * / and ^ "
        "(or **) with a constant exponent. Functions: relu, sigmoid, tanh, "
        "squared_error(prediction, target).",
    )
    leaves: dict[LeafName, LeafParams] = Field(
        default=_default_leaves(),
        max_length=MAX_LEAVES,
        description="Value and role of every name the expression uses without "
        "assigning it.",
    )
    learning_rate: Annotated[float, Within(1e-6, 10.0)] | None = Field(
        DEFAULT_LEARNING_RATE,
        title="Learning rate",
        description="Step size of the gradient-descent update after the "
        "backward pass, or null for no update step.",
    )

    @model_validator(mode="before")
    @classmethod
    def drop_default_leaves_for_new_expression(cls, data: Any) -> Any:
        if isinstance(data, dict) and "expression" in data and "leaves" not in data:
            return {**data, "leaves": {}}
        return data


class GraphNode(EventModel):
    id: str = Field(description="Stable id, n0, n1, ... in the order nodes are built.")
    label: str = Field(
        description="The assigned name, the leaf name or the sub-expression's text."
    )
    role: NodeRole
    op: OperationName | None = Field(description="null for leaves and constants.")
    inputs: list[str] = Field(description="Ids of the operation's inputs, in order.")
    exponent: float | None = Field(description="The constant exponent of a pow node.")
    value: float | None = Field(
        description="A leaf's given value, or null for nodes the forward pass computes."
    )
    position: int = Field(
        description="0-based offset of the node's text in the expression."
    )
    is_loss_part: bool = Field(
        description="The node compares the prediction with a target, or is the "
        "output when there is no target."
    )


class GraphEdge(EventModel):
    source: str
    target: str
    input_index: int = Field(description="Which input of `target` the edge feeds.")
    is_loss_part: bool


class ForwardEvent(EventModel):
    """The forward pass computed `node` from its inputs' values."""

    type: Literal["forward"] = "forward"
    step: int = Field(description="0-based position of this event in the stream.")
    node: str
    value: float
    operands: list[float] = Field(description="The inputs' values, in input order.")


class ChainTerm(EventModel):
    """One use of the node: upstream_grad * local_derivative = product."""

    consumer: str = Field(description="The node that uses this node as an input.")
    input_index: int
    upstream_grad: float = Field(description="d output / d consumer.")
    local_derivative: float = Field(
        description="d consumer / d node at the forward values."
    )
    product: float


class BackwardEvent(EventModel):
    """`node`'s gradient is now known: the sum of its terms, or 1 for the output."""

    type: Literal["backward"] = "backward"
    step: int
    node: str
    grad: float = Field(description="d output / d node.")
    terms: list[ChainTerm]


class WeightChange(EventModel):
    node: str
    label: str
    value: float
    grad: float
    new_value: float = Field(description="value - learning_rate * grad.")


class UpdateEvent(EventModel):
    """One gradient-descent step on the trainable leaves, and the output after it."""

    type: Literal["update"] = "update"
    step: int
    learning_rate: float
    weights: list[WeightChange]
    loss: float
    new_loss: float


class BackpropTrace(EventModel):
    """The whole trace at once.

    `gradients` maps each trainable leaf's name to d output / d leaf.
    """

    params: BackpropParams
    nodes: list[GraphNode] = Field(description="In topological order.")
    edges: list[GraphEdge]
    output: str = Field(description="Id of the output node.")
    forward: list[ForwardEvent]
    backward: list[BackwardEvent] = Field(description="In reverse topological order.")
    update: UpdateEvent | None
    loss: float
    gradients: dict[str, float]


class GraphEvent(EventModel):
    """First event of a stream: the graph, sent before any step."""

    type: Literal["graph"] = "graph"
    params: BackpropParams
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    output: str
    num_steps: int


class ExpressionErrorEvent(ErrorEvent):
    """An `error` event for an expression that cannot be built or evaluated."""

    position: int | None = Field(None, description="0-based offset in the expression.")
    line: int | None = None
    column: int | None = None
    node: str | None = Field(None, description="Id of the node that failed, if any.")


class ParseRequest(ParamsModel):
    expression: str = Field(min_length=1, max_length=MAX_EXPRESSION_LENGTH)


class ParseResult(EventModel):
    leaves: list[str] = Field(
        description="Names used before any assignment, in order of first use: "
        "each needs a value."
    )
    assigned: list[str] = Field(description="Names the statements assign, in order.")


class StartMessage(ParamsModel):
    type: Literal["start"]
    params: BackpropParams = Field(default_factory=BackpropParams)
    steps_per_second: Annotated[
        float, Within(MIN_STEPS_PER_SECOND, MAX_STEPS_PER_SECOND)
    ] = DEFAULT_STEPS_PER_SECOND


class NextMessage(ParamsModel):
    """Send the next step, then stay paused."""

    type: Literal["next"]


class ResetMessage(ParamsModel):
    """Go back to before the first step, with every value unknown again."""

    type: Literal["reset"]


class AutoMessage(ParamsModel):
    """Play the remaining steps, at `steps_per_second` if given."""

    type: Literal["auto"]
    steps_per_second: (
        Annotated[float, Within(MIN_STEPS_PER_SECOND, MAX_STEPS_PER_SECOND)] | None
    ) = None


client_messages = client_message_adapter(
    StartMessage, NextMessage, ResetMessage, AutoMessage
)
