"""A step-by-step record of the forward pass, the backward pass and one update step."""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from annlab.engines.backprop.expression import ExpressionError
from annlab.engines.backprop.graph import Contribution, Graph, Leaf, build_graph
from annlab.engines.backprop.value import Node, format_number

# A one-hidden-unit network with a squared-error loss, small enough to check by hand.
DEFAULT_EXPRESSION = "h1 = x1*w1 + b1\ny_hat = h1*w2 + b2\nloss = (y_hat - y)^2"
DEFAULT_LEAVES: dict[str, Leaf] = {
    "x1": Leaf(1.5, "input"),
    "w1": Leaf(0.5, "trainable"),
    "b1": Leaf(2.0, "trainable"),
    "w2": Leaf(0.5, "trainable"),
    "b2": Leaf(-2.0, "trainable"),
    "y": Leaf(5.4, "target"),
}
DEFAULT_LEARNING_RATE = 0.01


@dataclass(frozen=True)
class TraceNode:
    """A graph node. Only leaves have a `value`, the forward pass computes the rest.

    `is_loss_part` marks the operations that compare the prediction with a
    target (those depending on a "target" leaf), or the output alone when
    there is no target.
    """

    id: str
    label: str
    role: str
    op: str | None
    inputs: list[str]
    exponent: float | None
    value: float | None
    position: int
    is_loss_part: bool


@dataclass(frozen=True)
class TraceEdge:
    """The edge from `source` into input slot `input_index` of `target`."""

    source: str
    target: str
    input_index: int
    is_loss_part: bool


@dataclass(frozen=True)
class ForwardStep:
    """The forward pass computes `node`'s value from its inputs' values (`operands`)."""

    step: int
    node: str
    value: float
    operands: list[float]


@dataclass(frozen=True)
class ChainTerm:
    """d output / d consumer * d consumer / d node, for one use of the node."""

    consumer: str
    input_index: int
    upstream_grad: float
    local_derivative: float
    product: float


@dataclass(frozen=True)
class BackwardStep:
    """`node`'s gradient is now known: the sum of its `terms` (1 for the output)."""

    step: int
    node: str
    grad: float
    terms: list[ChainTerm]


@dataclass(frozen=True)
class WeightChange:
    node: str
    label: str
    value: float
    grad: float
    new_value: float


@dataclass(frozen=True)
class UpdateStep:
    """One gradient-descent step: new_value = value - learning_rate * grad."""

    step: int
    learning_rate: float
    weights: list[WeightChange]
    loss: float
    new_loss: float


@dataclass(frozen=True)
class Trace:
    """The graph, its forward and backward steps, and an optional update step.

    `gradients` maps each trainable leaf's name to d output / d leaf.
    """

    expression: str
    nodes: list[TraceNode]
    edges: list[TraceEdge]
    output: str
    forward: list[ForwardStep]
    backward: list[BackwardStep]
    update: UpdateStep | None
    loss: float
    gradients: dict[str, float]


def trace_expression(
    expression: str = DEFAULT_EXPRESSION,
    leaves: Mapping[str, Leaf] = DEFAULT_LEAVES,
    learning_rate: float | None = DEFAULT_LEARNING_RATE,
) -> Trace:
    """Build the graph of `expression`, then record both passes node by node.

    The forward steps visit the operation nodes in topological order and the
    backward steps visit every node in reverse topological order, starting
    with d output / d output = 1. With a learning rate, a last step moves
    each trainable leaf against its gradient and evaluates the output again.
    Raises ExpressionError (a ValueError) with the position of the problem.
    """
    graph = build_graph(expression, leaves)
    loss_part = _loss_part(graph)
    nodes = [_trace_node(node, node in loss_part) for node in graph.order]
    edges = [
        TraceEdge(item.id, node.id, index, node in loss_part)
        for node in graph.order
        for index, item in enumerate(node.inputs)
    ]

    computed = [node for node in graph.order if node.op is not None]
    forward = [
        ForwardStep(index, node.id, node.data, [item.data for item in node.inputs])
        for index, node in enumerate(computed)
    ]
    terms = graph.backward()
    backward = [
        _backward_step(len(forward) + index, node, terms[node])
        for index, node in enumerate(reversed(graph.order))
    ]

    loss = graph.output.data
    gradients = {
        node.label: node.grad for node in graph.leaves if node.role == "trainable"
    }
    update = None
    if learning_rate is not None and gradients:
        update = _update_step(graph, learning_rate, len(forward) + len(backward))
    return Trace(
        expression=expression,
        nodes=nodes,
        edges=edges,
        output=graph.output.id,
        forward=forward,
        backward=backward,
        update=update,
        loss=loss,
        gradients=gradients,
    )


def _trace_node(node: Node, is_loss_part: bool) -> TraceNode:
    return TraceNode(
        id=node.id,
        label=node.label,
        role=node.role,
        op=node.op,
        inputs=[item.id for item in node.inputs],
        exponent=node.exponent,
        value=node.data if node.op is None else None,
        position=node.position,
        is_loss_part=is_loss_part,
    )


def _loss_part(graph: Graph) -> set[Node]:
    """Return the operation nodes that depend on a target leaf (or the output)."""
    depends_on_target: set[Node] = set()
    for node in graph.order:
        if node.role == "target" or any(
            item in depends_on_target for item in node.inputs
        ):
            depends_on_target.add(node)
    part = {node for node in depends_on_target if node.op is not None}
    return part or {graph.output}


def _backward_step(step: int, node: Node, terms: list[Contribution]) -> BackwardStep:
    chain_terms = [
        ChainTerm(
            consumer=term.consumer.id,
            input_index=term.input_index,
            upstream_grad=term.upstream_grad,
            local_derivative=term.local_grad,
            product=term.product,
        )
        for term in terms
    ]
    return BackwardStep(step, node.id, node.grad, chain_terms)


def _update_step(graph: Graph, learning_rate: float, step: int) -> UpdateStep:
    """Move each trainable leaf by -learning_rate * grad and recompute the output."""
    loss = graph.output.data
    weights = []
    for node in graph.leaves:
        if node.role != "trainable":
            continue
        new_value = node.data - learning_rate * node.grad
        if not math.isfinite(new_value):
            raise ExpressionError(
                f"The update step with learning rate {format_number(learning_rate)} "
                f"moves {node.label!r} to {format_number(new_value)}, which is not "
                "a finite number.",
                node.position,
                graph.source,
                node=node.id,
            )
        weights.append(
            WeightChange(node.id, node.label, node.data, node.grad, new_value)
        )
        node.data = new_value
    try:
        graph.forward()
    except ExpressionError as error:
        raise ExpressionError(
            f"After the update step with learning rate {format_number(learning_rate)}, "
            f"the output is undefined. {error.reason}",
            error.position,
            graph.source,
            node=error.node,
        ) from error
    return UpdateStep(step, learning_rate, weights, loss, graph.output.data)
