"""Scalar graph nodes and the operations that compute them.

Each operation gives its output from the input values, and its local
derivatives (d output / d input, one per input) from the same input values and
the output. The backward pass multiplies those stored local derivatives by the
upstream gradient, so it never recomputes the forward pass.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

LEAF_ROLES = ("input", "target", "trainable")

# Above this length, the exact shortest form of a float is float noise such as
# 0.30000000000000004, so format_number rounds it to 12 significant digits.
_MAX_EXACT_NUMBER_LENGTH = 14


def format_number(value: float) -> str:
    """Write a float for a message: 1.0000001, 99999999999, 1e-200, 1e308.

    Uses Python's shortest exact form where it is short, and 12 significant
    digits otherwise, so a typed value reads back as typed.
    """
    if value == 0:
        return "0"
    text = repr(float(value))
    if len(text) > _MAX_EXACT_NUMBER_LENGTH:
        text = f"{value:.12g}"
    text = text.removesuffix(".0")
    # 1e+308 -> 1e308 and 1e-05 -> 1e-5.
    return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", text)


class DomainError(ValueError):
    """An operation is undefined, or not finite, at its input values."""


@dataclass(eq=False)
class Node:
    """One scalar of the graph: a leaf (`op` is None) or an operation's output.

    `local_grads[k]` is d data / d inputs[k] at the current input values, and
    `grad` is d output / d data once the backward pass has reached this node.
    `label` is the assigned or leaf name, or else the node's source text, and
    `text` is always the source text.
    """

    data: float
    op: str | None = None
    inputs: tuple["Node", ...] = ()
    label: str = ""
    text: str = ""
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
    # d(a/b)/da = 1/b and d(a/b)/db = -a/b^2. The second is computed as
    # -(a/b)/b, because b*b underflows to 0 for |b| below about 1e-162.
    return (1.0 / divisor, -output / divisor)


def _operand_text(value: float) -> str:
    text = format_number(value)
    return f"({text})" if value < 0 else text


def _power_text(base: float, exponent: float) -> str:
    return f"{_operand_text(base)}^{_operand_text(exponent)}"


def _check_power_domain(base: float, exponent: float) -> None:
    if base < 0 and not float(exponent).is_integer():
        raise DomainError(
            f"the negative base {format_number(base)} raised to the fractional "
            f"power {format_number(exponent)} is not a real number"
        )
    if base == 0 and exponent < 0:
        raise DomainError(
            f"0 raised to the negative power {format_number(exponent)} divides by zero"
        )
    if base == 0 and 0 < exponent < 1:
        raise DomainError(
            f"the derivative of x^{_operand_text(exponent)} is infinite at x = 0"
        )


def _power(values: tuple[float, ...], exponent: float | None) -> float:
    (base,) = values
    _check_power_domain(base, exponent)
    try:
        return base**exponent
    except OverflowError as error:
        raise DomainError(
            f"{_power_text(base, exponent)} is too large for a float"
        ) from error


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
            f"the derivative of x^{_operand_text(exponent)} at "
            f"x = {format_number(base)} is too large for a float"
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


# The smallest positive float is the subnormal 2^-1074, about 4.9e-324.
_UNDERFLOW_NOTE = (
    "its exact value is closer to 0 than the smallest float (about 5e-324)"
)


def evaluate(op: str, values: tuple[float, ...], exponent: float | None) -> float:
    """Apply operation `op` to `values`, converting arithmetic errors to DomainError."""
    try:
        return OPERATIONS[op].forward(values, exponent)
    except ZeroDivisionError as error:
        raise DomainError("it divides by zero") from error
    except OverflowError as error:
        raise DomainError("the result is too large for a float") from error


def _local_derivatives(node: Node, values: tuple[float, ...], output: float):
    try:
        return OPERATIONS[node.op].derivatives(values, output, node.exponent)
    except ZeroDivisionError as error:
        raise DomainError("its derivative divides by zero") from error
    except OverflowError as error:
        raise DomainError("its derivative is too large for a float") from error


def _underflowed_to_zero(node: Node) -> bool:
    """Return True if `node` is 0 only because it underflowed below the smallest float.

    A product, quotient or power of non-zero numbers is never exactly 0, and
    neither is a sigmoid or the square of a non-zero difference.
    """
    if node.data != 0 or node.op is None:
        return False
    values = [item.data for item in node.inputs]
    match node.op:
        case "mul":
            return all(value != 0 for value in values)
        case "div" | "pow":
            return values[0] != 0
        case "sigmoid":
            return True
        case "squared_error":
            return values[0] != values[1]
    return False


def _zero_divisor_reason(divisor: Node) -> str:
    if divisor.role == "constant":
        mantissa = re.split("[eE]", divisor.label)[0]
        if re.search("[1-9]", mantissa):
            return f"it divides by zero (the number {divisor.label} rounds to 0)"
        return "it divides by zero"
    if _underflowed_to_zero(divisor):
        return (
            f"it divides by zero. The divisor {divisor.label} is 0 only because "
            f"{_UNDERFLOW_NOTE}"
        )
    return f"it divides by zero (the divisor {divisor.label} is 0)"


def compute(node: Node) -> None:
    """Set `node.data` and `node.local_grads` from its inputs' current data.

    Raises DomainError if the result or a local derivative is undefined or
    not a finite float, including where Python raises ZeroDivisionError or
    OverflowError. The reason names the input involved where there is one.
    """
    values = tuple(item.data for item in node.inputs)
    if node.op == "div" and values[1] == 0:
        raise DomainError(_zero_divisor_reason(node.inputs[1]))
    try:
        output = evaluate(node.op, values, node.exponent)
    except DomainError as error:
        base = node.inputs[0]
        if node.op == "pow" and _underflowed_to_zero(base):
            raise DomainError(
                f"{error}. The base {base.label} is 0 only because {_UNDERFLOW_NOTE}"
            ) from error
        raise
    if not math.isfinite(output):
        raise DomainError("the result is too large for a float")

    local_grads = _local_derivatives(node, values, output)
    for item, local_grad in zip(node.inputs, local_grads, strict=True):
        if math.isfinite(local_grad):
            continue
        reason = f"its derivative with respect to {item.label}"
        if item.role != "constant":
            reason += f" at {item.label} = {format_number(item.data)}"
        raise DomainError(f"{reason} is too large for a float")
    node.data = float(output)
    node.local_grads = tuple(float(item) for item in local_grads)
