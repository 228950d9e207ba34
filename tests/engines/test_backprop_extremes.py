"""The engine at extreme values: each float failure is an ExpressionError on a node.

A trace either succeeds with finite numbers only, or raises ExpressionError
with a position, a node id and a message that names the node by its text.
ZeroDivisionError, OverflowError and non-finite values must never escape.
"""

import itertools
import math
import re

import pytest
from annlab.engines.backprop import (
    ExpressionError,
    Leaf,
    free_and_assigned_names,
    parse_program,
    trace_expression,
)
from annlab.engines.backprop.value import format_number

# Subnormal, tiny, huge, zero and ordinary values, with both signs.
EXTREME_VALUES = [
    0.0,
    -0.0,
    5e-324,
    1e-320,
    -1e-320,
    1e-200,
    -1e-170,
    1.0,
    -1.0,
    1e154,
    1e308,
    -1e308,
]

# One expression per operation, and compositions that square, divide twice
# or divide by a result that underflows.
EXPRESSIONS = [
    "x + y",
    "x - y",
    "x * y",
    "x / y",
    "-x * y",
    "x^2 + y",
    "x^(-1) + y",
    "x^(-3) * y",
    "x^0.5 + y",
    "x^1.5 * y",
    "x^99999999999 + y",
    "relu(x) * y",
    "sigmoid(x) / y",
    "tanh(x) * y",
    "squared_error(x, y)",
    "1/(x*y)",
    "x/y/y",
    "(x*y)^(-2)",
    "1/sigmoid(x) + y",
    "x/1e-300/1e-300 + y",
]

NODE_ID = re.compile(r"\bn\d+\b")


def trace_numbers(trace):
    """Yield every number that a trace reports."""
    for step in trace.forward:
        yield step.value
        yield from step.operands
    for step in trace.backward:
        yield step.grad
        for term in step.terms:
            yield term.upstream_grad
            yield term.local_derivative
            yield term.product
    if trace.update is not None:
        yield trace.update.loss
        yield trace.update.new_loss
        for change in trace.update.weights:
            yield change.value
            yield change.grad
            yield change.new_value
    yield trace.loss
    yield from trace.gradients.values()


def leaves_for(expression, x, y):
    names, _ = free_and_assigned_names(parse_program(expression))
    values = {"x": x, "y": y}
    return {name: Leaf(values[name], "trainable") for name in names}


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_extreme_values_trace_or_reject(expression):
    for x, y in itertools.product(EXTREME_VALUES, repeat=2):
        leaves = leaves_for(expression, x, y)
        try:
            trace = trace_expression(expression, leaves, learning_rate=10.0)
        except ExpressionError as error:
            case = f"{expression} at x={x}, y={y}: {error}"
            assert error.position is not None, case
            assert error.field == "expression", case
            assert error.node is not None, case
            assert not NODE_ID.search(str(error)), case
            continue
        numbers = list(trace_numbers(trace))
        case = f"{expression} at x={x}, y={y}"
        assert all(math.isfinite(number) for number in numbers), case


@pytest.mark.parametrize(
    ("expression", "leaves", "fragment"),
    [
        # 1/x is 1e200, but d(1/x)/dx = -1/x^2 overflows.
        (
            "loss = 1/x",
            {"x": 1e-200},
            "Cannot compute loss = 1/x because its derivative with respect to x "
            "at x = 1e-200 is too large for a float.",
        ),
        # y*y underflows to 0 although y is not 0.
        ("loss = x/y", {"x": 1.0, "y": 1e-170}, "with respect to y at y = 1e-170"),
        ("loss = x/1e-300/1e-300", {"x": 1.0}, "Cannot compute x/1e-300 because"),
        (
            "loss = 1/(x*x)",
            {"x": 1e-200},
            "because it divides by zero. The divisor x*x is 0 only because its "
            "exact value is closer to 0 than the smallest float",
        ),
        (
            "loss = (x*x)^(-1)",
            {"x": 1e-200},
            "The base x*x is 0 only because its exact value is closer to 0",
        ),
        ("loss = 1/(x - x)", {"x": 2.0}, "(the divisor x - x is 0)"),
        ("loss = x/1e-400", {"x": 2.0}, "(the number 1e-400 rounds to 0)"),
        ("loss = x/0.0", {"x": 2.0}, "because it divides by zero."),
        ("loss = 1/sigmoid(x)", {"x": -1000.0}, "The divisor sigmoid(x) is 0 only"),
        ("loss = x*1e300*1e300", {"x": 2.0}, "the result is too large for a float"),
    ],
)
def test_float_failure_is_rejected_naming_node(expression, leaves, fragment):
    with pytest.raises(ExpressionError) as caught:
        trace_expression(expression, {name: Leaf(v) for name, v in leaves.items()})
    error = caught.value
    assert fragment in str(error)
    assert error.node is not None
    assert error.line == 1
    assert not NODE_ID.search(str(error))


def test_power_overflow_message_keeps_typed_digits():
    with pytest.raises(ExpressionError) as caught:
        trace_expression("loss = x^99999999999", {"x": Leaf(1.0000001, "trainable")})
    message = str(caught.value)
    assert "Cannot compute loss = x^99999999999 because" in message
    assert "1.0000001^99999999999 is too large for a float" in message


def test_fractional_power_of_negative_base_message():
    with pytest.raises(ExpressionError) as caught:
        trace_expression("loss = (-8)^(1/3)", {})
    message = str(caught.value)
    assert "the negative base -8 raised to the fractional power" in message
    assert "0.333333333333 is not a real number" in message


def test_update_step_leaving_domain_is_rejected():
    # d(x^0.5)/dx is 5e159 at x = 1e-320, so the update step moves x far
    # below 0, where the square root is not a real number.
    with pytest.raises(ExpressionError) as caught:
        trace_expression("loss = x^0.5", {"x": Leaf(1e-320, "trainable")}, 10.0)
    error = caught.value
    assert "After the update step with learning rate 10" in str(error)
    assert error.node is not None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-2.5, "-2.5"),
        (1.0000001, "1.0000001"),
        (99999999999.0, "99999999999"),
        (1e308, "1e308"),
        (-1e308, "-1e308"),
        (1e-5, "1e-5"),
        (1e-200, "1e-200"),
        (5e-324, "5e-324"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333333333"),
    ],
)
def test_format_number_is_readable(value, text):
    assert format_number(value) == text
