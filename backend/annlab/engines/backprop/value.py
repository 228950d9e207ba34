"""Scalar graph nodes and the operations that compute them.

Each operation gives its output from the input values, and its local
derivatives (d output / d input, one per input) from the same input values and
the output. The backward pass multiplies those stored local derivatives by the
upstream gradient, so it never recomputes the forward pass.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

LEAF_ROLES = ("input", "target", "trainable")


class DomainError(ValueError):
    """An operation is undefined, or not finite, at its input values."""


@dataclass(eq=False)
class Node:
    """One scalar of the graph: a leaf (`op` is None) or an operation's output.

    `local_grads[k]` is d data / d inputs[k] at the current input values, and
    `grad` is d output / d data once the backward pass has reached this node.
    """

    data: float
    op: str | None = None
    inputs: tuple["Node", ...] = ()
    label: str = ""
    role: str = "intermediate"
    exponent: float | None = None
    grad: float = 0.0
    local_grads: tuple[float, ...] = ()
    id: str = ""
    position: int = 0

    def __repr__(self) -> str:
        return f"Node({self.label!r}, data={self.data}, grad={self.grad})"


@dataclass(frozen=True)
class Operation:
    """An operation's forward rule and its local derivatives.

    `forward(values, exponent)` returns the output, and `derivatives(values,
    output, exponent)` returns d output / d value for each input. Both raise
    DomainError where the operation or its derivative is undefined.
    """

    name: str
    arity: int
    forward: Callable[[tuple[float, ...], float | None], float]
    derivatives: Callable[[tuple[float, ...], float, float | None], tuple[float, ...]]


def _divide(values: tuple[float, ...], exponent: float | None) -> float:
    numerator, divisor = values
    if divisor == 0:
        raise DomainError("it divides by zero")
    return numerator / divisor


def _divide_derivatives(values, output, exponent):
    numerator, divisor = values
    # d(a/b)/da = 1/b and d(a/b)/db = -a/b^2
    return (1.0 / divisor, -numerator / (divisor * divisor))


def _check_power_domain(base: float, exponent: float) -> None:
    if base < 0 and not float(exponent).is_integer():
        raise DomainError(
            f"a negative base ({base:g}) raised to the fractional power "
            f"{exponent:g} is not a real number"
        )
    if base == 0 and exponent < 0:
        raise DomainError(
            f"0 raised to the negative power {exponent:g} divides by zero"
        )
    if base == 0 and 0 < exponent < 1:
        raise DomainError(f"the derivative of x^{exponent:g} is infinite at x = 0")


def _power(values: tuple[float, ...], exponent: float | None) -> float:
    (base,) = values
    _check_power_domain(base, exponent)
    try:
        return base**exponent
    except OverflowError as error:
        raise DomainError(f"{base:g}^{exponent:g} is too large for a float") from error


def _power_derivatives(values, output, exponent):
    (base,) = values
    # d(x^p)/dx = p * x^(p - 1). The cases p = 0 and p = 1 are written out so
    # that a base of 0 does not produce 0 * inf.
    if exponent == 0:
        return (0.0,)
    if exponent == 1:
        return (1.0,)
    try:
        return (exponent * base ** (exponent - 1),)
    except OverflowError as error:
        raise DomainError(
            f"the derivative of {base:g}^{exponent:g} is too large for a float"
        ) from error


def _sigmoid(values: tuple[float, ...], exponent: float | None) -> float:
    (x,) = values
    # Two algebraically equal forms, each of which only ever calls exp on a
    # non-positive number, so neither overflows.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    exp_x = math.exp(x)
    return exp_x / (1.0 + exp_x)


def _squared_error(values: tuple[float, ...], exponent: float | None) -> float:
    prediction, target = values
    difference = prediction - target
    return difference * difference


def _squared_error_derivatives(values, output, exponent):
    prediction, target = values
    return (2.0 * (prediction - target), -2.0 * (prediction - target))


OPERATIONS: dict[str, Operation] = {
    operation.name: operation
    for operation in (
        Operation("add", 2, lambda v, p: v[0] + v[1], lambda v, out, p: (1.0, 1.0)),
        Operation("sub", 2, lambda v, p: v[0] - v[1], lambda v, out, p: (1.0, -1.0)),
        Operation("mul", 2, lambda v, p: v[0] * v[1], lambda v, out, p: (v[1], v[0])),
        Operation("div", 2, _divide, _divide_derivatives),
        Operation("neg", 1, lambda v, p: -v[0], lambda v, out, p: (-1.0,)),
        Operation("pow", 1, _power, _power_derivatives),
        # The derivative of ReLU at exactly 0 is taken as 0, as PyTorch does.
        Operation(
            "relu",
            1,
            lambda v, p: max(0.0, v[0]),
            lambda v, out, p: (1.0 if v[0] > 0 else 0.0,),
        ),
        Operation("sigmoid", 1, _sigmoid, lambda v, out, p: (out * (1.0 - out),)),
        Operation(
            "tanh",
            1,
            lambda v, p: math.tanh(v[0]),
            lambda v, out, p: (1.0 - out * out,),
        ),
        Operation("squared_error", 2, _squared_error, _squared_error_derivatives),
    )
}

# Operations written as a call in an expression, such as relu(x).
FUNCTIONS = ("relu", "sigmoid", "tanh", "squared_error")


def compute(node: Node) -> None:
    """Set `node.data` and `node.local_grads` from its inputs' current data.

    Raises DomainError if the result or a local derivative is undefined or
    not a finite float.
    """
    operation = OPERATIONS[node.op]
    values = tuple(item.data for item in node.inputs)
    output = operation.forward(values, node.exponent)
    if not math.isfinite(output):
        raise DomainError("the result is too large for a float")
    local_grads = operation.derivatives(values, output, node.exponent)
    if not all(math.isfinite(item) for item in local_grads):
        raise DomainError("a local derivative is too large for a float")
    node.data = float(output)
    node.local_grads = tuple(float(item) for item in local_grads)
