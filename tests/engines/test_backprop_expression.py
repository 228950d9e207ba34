"""The expression language: precedence, labels, and errors with their positions."""

import pytest
from annlab.engines.backprop import (
    ExpressionError,
    Leaf,
    build_graph,
    free_and_assigned_names,
    parse_program,
)
from annlab.engines.backprop.expression import MAX_NESTING_DEPTH, MAX_OPERATIONS


def output_of(source, **values):
    leaves = {name: Leaf(value) for name, value in values.items()}
    return build_graph(source, leaves).output.data


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2*3", 7.0),
        ("(1 + 2)*3", 9.0),
        ("8 - 3 - 2", 3.0),
        ("8 / 4 / 2", 1.0),
        ("-2^2", -4.0),
        ("2^-1", 0.5),
        ("2^3^2", 512.0),
        ("2**3", 8.0),
        ("-(3 - 5)", 2.0),
        ("+3 * 2", 6.0),
        ("1.5e1 + .5", 15.5),
        ("relu(-3) + relu(3)", 3.0),
        ("squared_error(3, 1)", 4.0),
        ("a = 2*3; b = a + 1; b*a", 42.0),
        ("a = 2\n\nb = (a +\n 1)\nb", 3.0),
    ],
)
def test_expression_value(source, expected):
    assert output_of(source) == pytest.approx(expected)


def test_default_style_labels_and_roles():
    source = "h1 = x1*w1 + b1\ny_hat = h1*w2 + b2\nloss = (y_hat - y)^2"
    leaves = {
        "x1": Leaf(1.5, "input"),
        "w1": Leaf(0.5, "trainable"),
        "b1": Leaf(2.0, "trainable"),
        "w2": Leaf(0.5, "trainable"),
        "b2": Leaf(-2.0, "trainable"),
        "y": Leaf(5.4, "target"),
    }
    graph = build_graph(source, leaves)

    labels = [node.label for node in graph.order]
    assert labels == [
        "x1",
        "w1",
        "x1*w1",
        "b1",
        "h1",
        "w2",
        "h1*w2",
        "b2",
        "y_hat",
        "y",
        "y_hat - y",
        "loss",
    ]

    roles = {node.label: node.role for node in graph.order}
    assert roles["w1"] == "trainable"
    assert roles["y"] == "target"
    assert roles["x1"] == "input"
    assert roles["h1"] == "intermediate"
    assert roles["loss"] == "loss"
    assert [node.id for node in graph.nodes] == [f"n{i}" for i in range(12)]


def test_inline_expression_builds_same_values():
    leaves = {
        "x1": Leaf(1.5),
        "w1": Leaf(0.5, "trainable"),
        "b1": Leaf(2.0, "trainable"),
        "w2": Leaf(0.5, "trainable"),
        "b2": Leaf(-2.0, "trainable"),
        "y": Leaf(5.4, "target"),
    }
    graph = build_graph("loss = (relu(x1*w1 + b1)*w2 + b2 - y)^2", leaves)
    assert graph.output.data == pytest.approx(36.300625)
    assert graph.output.label == "loss"


def test_alias_adds_name_without_new_node():
    graph = build_graph("h = x\nloss = h*h", {"x": Leaf(3.0)})
    assert graph.output.data == 9.0
    assert [node.label for node in graph.order] == ["x", "loss"]


def test_names_lists_leaves_in_order_of_use():
    statements = parse_program("h = x*w + b\nloss = squared_error(h*v, y) + x")
    leaves, assigned = free_and_assigned_names(statements)
    assert leaves == ["x", "w", "b", "v", "y"]
    assert assigned == ["h", "loss"]


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("x $ y", 2, "Unexpected character '$'"),
        ("x + ", 4, "Expected a number, a name or '('"),
        ("(x + y", 6, "Expected ')' to close the '(' at line 1, column 1"),
        ("x + y)", 5, "Expected an operator or the end of the statement"),
        ("2x", 1, "Expected an operator"),
        ("relu(x", 6, "Expected ')'"),
        ("x *", 3, "found the end of the expression"),
        ("", 0, "empty"),
        (" ; \n ", 0, "empty"),
        ("1e999", 0, "too large"),
        ("x = ", 4, "Expected a number"),
    ],
)
def test_syntax_error_has_position(source, position, fragment):
    with pytest.raises(ExpressionError) as caught:
        parse_program(source)
    assert caught.value.position == position
    assert fragment in str(caught.value)
    assert caught.value.field == "expression"


def test_syntax_error_first_line_names_line():
    with pytest.raises(ExpressionError) as caught:
        parse_program("loss = (x * w")
    assert str(caught.value).startswith("Line 1, column 14: Expected ')'")


def test_syntax_error_at_line_break_says_end_of_line():
    with pytest.raises(ExpressionError) as caught:
        parse_program("h1 = x1*w1 + \nloss = h1^2")
    error = caught.value
    assert (error.line, error.column) == (1, 14)
    assert "found the end of the line." in str(error)
    assert "\n" not in str(error)
    assert "'\\n'" not in str(error)


def test_syntax_error_second_line_position():
    with pytest.raises(ExpressionError) as caught:
        parse_program("h = x*w\nloss = h + * 2")
    error = caught.value
    assert (error.line, error.column, error.position) == (2, 12, 19)
    assert "Line 2, column 12:" in str(error)


@pytest.mark.parametrize(
    ("source", "leaves", "position", "fragment"),
    [
        ("x * z", {"x": 1.0}, 4, "Unknown name 'z'"),
        ("exp(x)", {"x": 1.0}, 0, "Unknown function 'exp'"),
        ("relu(x, x)", {"x": 1.0}, 0, "relu takes 1 argument, got 2"),
        ("squared_error(x)", {"x": 1.0}, 0, "takes 2 arguments, got 1"),
        ("x^y", {"x": 1.0, "y": 2.0}, 2, "exponent must be a constant"),
        ("x^relu(2)", {"x": 1.0}, 2, "exponent must be a constant"),
        ("x^(1/0)", {"x": 1.0}, 3, "divides by zero"),
        ("h = x\nh = x\nh", {"x": 1.0}, 6, "'h' is assigned twice"),
        ("x = 2\nx", {"x": 1.0}, 0, "given as a leaf and also assigned"),
        ("relu = 2\nrelu", {}, 0, "is a function"),
        ("relu + 1", {}, 0, "Call it with an argument"),
        ("loss = h*2\nh = x\nloss", {"x": 1.0}, 7, "used before it is assigned"),
        ("h = x*2\nx*3", {"x": 1.0}, 0, "'h' is assigned but never used"),
        ("x*2\nx*3", {"x": 1.0}, 0, "never used"),
        ("loss = x", {"x": 1.0}, 7, "must be computed by at least one operation"),
    ],
)
def test_build_error_has_position(source, leaves, position, fragment):
    with pytest.raises(ExpressionError) as caught:
        build_graph(source, {name: Leaf(value) for name, value in leaves.items()})
    assert fragment in str(caught.value)
    assert caught.value.position == position


def test_unused_leaf_names_leaves_field():
    with pytest.raises(ExpressionError) as caught:
        build_graph("x * 2", {"x": Leaf(1.0), "z": Leaf(2.0)})
    assert caught.value.field == "leaves.z"
    assert "'z' is not used" in str(caught.value)


def test_too_deep_nesting_is_rejected():
    source = "(" * (MAX_NESTING_DEPTH + 1) + "x" + ")" * (MAX_NESTING_DEPTH + 1)
    with pytest.raises(ExpressionError, match="nested more than"):
        parse_program(source)


def test_allowed_nesting_builds():
    depth = MAX_NESTING_DEPTH - 1
    source = "(" * depth + "x" + ")" * depth
    assert output_of(source + "*2", x=1.0) == 2.0
    # A minus and a parenthesis are one level each.
    depth = MAX_NESTING_DEPTH // 2 - 1
    source = "-(" * depth + "x" + ")" * depth
    assert output_of(source, x=1.0) == (-1.0) ** depth


def test_too_many_operations_is_rejected():
    source = "+".join(["x"] * (MAX_OPERATIONS + 2))
    with pytest.raises(ExpressionError, match=f"more than {MAX_OPERATIONS} operations"):
        parse_program(source)


def test_longest_operation_chain_builds():
    source = "+".join(["x"] * (MAX_OPERATIONS + 1))
    assert output_of(source, x=1.0) == MAX_OPERATIONS + 1
