"""Run the backpropagation engine for a parameter model and produce its events."""

from typing import Any

from annlab.engines import backprop
from annlab.schemas.backprop import (
    BackpropParams,
    BackpropTrace,
    ExpressionErrorEvent,
    GraphEvent,
    ParseRequest,
    ParseResult,
)
from annlab.schemas.common import EventModel, FieldError


def _run(params: BackpropParams) -> backprop.Trace:
    leaves = {
        name: backprop.Leaf(leaf.value, leaf.role)
        for name, leaf in params.leaves.items()
    }
    return backprop.trace_expression(params.expression, leaves, params.learning_rate)


def build_trace(params: BackpropParams) -> BackpropTrace:
    """Return the graph, every forward and backward step and the update step.

    Raises backprop.ExpressionError for an expression that cannot be built.
    """
    trace = _run(params)
    fields = {**vars(trace), "params": params}
    del fields["expression"]
    return BackpropTrace.model_validate(fields, from_attributes=True)


def build_stream(params: BackpropParams) -> tuple[GraphEvent, list[EventModel]]:
    """Return the graph event and the steps to play after it, in order."""
    trace = build_trace(params)
    steps: list[EventModel] = [*trace.forward, *trace.backward]
    if trace.update is not None:
        steps.append(trace.update)
    graph = GraphEvent(
        params=params,
        nodes=trace.nodes,
        edges=trace.edges,
        output=trace.output,
        num_steps=len(steps),
    )
    return graph, steps


def parse_names(expression: str) -> ParseResult:
    """List the leaves an expression needs and the names it assigns."""
    statements = backprop.parse_program(expression)
    leaves, assigned = backprop.free_and_assigned_names(statements)
    return ParseResult(leaves=leaves, assigned=assigned)


def error_detail(
    error: backprop.ExpressionError, params: BackpropParams | ParseRequest
) -> list[dict]:
    """Describe `error` as pydantic-style error dicts, for an HTTP 422 body.

    As in a validation error, `loc` names the field and `input` the value
    rejected; `ctx` adds the position, line, column and node.
    """
    field_path = error.field.split(".")
    if field_path[0] == "leaves":
        value: Any = params.leaves[field_path[1]].model_dump()
    else:
        value = params.expression
    return [
        {
            "type": "invalid_expression",
            "loc": ["body", *field_path],
            "msg": str(error),
            "input": value,
            "ctx": _error_context(error),
        }
    ]


def error_event(error: backprop.ExpressionError) -> ExpressionErrorEvent:
    """Describe `error` as the `error` event of a WebSocket stream."""
    return ExpressionErrorEvent(
        message=str(error),
        errors=[FieldError(field=f"params.{error.field}", message=str(error))],
        **_error_context(error),
    )


def _error_context(error: backprop.ExpressionError) -> dict[str, Any]:
    return {
        "position": error.position,
        "line": error.line,
        "column": error.column,
        "node": error.node,
    }
