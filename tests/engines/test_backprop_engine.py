"""The scalar autograd engine: values, gradients, accumulation and domain errors."""

import math

import pytest
from annlab.engines.backprop import ExpressionError, Leaf, build_graph, trace_expression

TOLERANCE = 1e-12


def gradients_by_label(source, leaves):
    graph = build_graph(source, leaves)
    graph.backward()
    return graph, {node.label: node.grad for node in graph.order}


def test_default_example_values():
    trace = trace_expression()
    labels = {node.id: node.label for node in trace.nodes}
    values = {labels[step.node]: step.value for step in trace.forward}
    assert values["h1"] == pytest.approx(2.75, abs=TOLERANCE)
    assert values["y_hat"] == pytest.approx(-0.625, abs=TOLERANCE)
    assert values["loss"] == pytest.approx(36.300625, abs=TOLERANCE)
    assert trace.loss == pytest.approx(36.300625, abs=TOLERANCE)


def test_default_example_gradients():
    trace = trace_expression()
    labels = {node.id: node.label for node in trace.nodes}
    grads = {labels[step.node]: step.grad for step in trace.backward}
    expected = {
        "loss": 1.0,
        "y_hat": -12.05,
        "w2": -33.1375,
        "b2": -12.05,
        "h1": -6.025,
        "w1": -9.0375,
        "b1": -6.025,
    }
    for label, value in expected.items():
        assert grads[label] == pytest.approx(value, abs=TOLERANCE), label


def test_default_example_gradients_map_trainable_leaves():
    trace = trace_expression()
    assert set(trace.gradients) == {"w1", "b1", "w2", "b2"}
    assert trace.gradients["w1"] == pytest.approx(-9.0375, abs=TOLERANCE)
    assert trace.gradients["w2"] == pytest.approx(-33.1375, abs=TOLERANCE)


def test_node_used_twice_in_sum_accumulates():
    graph, grads = gradients_by_label("a + a", {"a": Leaf(3.0, "trainable")})
    assert graph.output.data == 6.0
    assert grads["a"] == 2.0


def test_node_used_twice_in_product_accumulates():
    graph, grads = gradients_by_label("x * x", {"x": Leaf(3.0, "trainable")})
    assert graph.output.data == 9.0
    assert grads["x"] == 6.0


def test_shared_intermediate_gets_every_contribution():
    source = "h = x*w\nloss = h*h + h"
    graph, grads = gradients_by_label(
        source, {"x": Leaf(2.0), "w": Leaf(3.0, "trainable")}
    )
    # loss = h^2 + h, so dloss/dh = 2h + 1 = 13 and dloss/dw = 13 * x = 26.
    assert graph.output.data == 42.0
    assert grads["h"] == 13.0
    assert grads["w"] == 26.0


def test_backward_twice_gives_same_gradients():
    graph, first = gradients_by_label("x * x + x", {"x": Leaf(1.5)})
    graph.backward()
    second = {node.label: node.grad for node in graph.order}
    assert second == first


def test_negative_base_integer_power():
    graph, grads = gradients_by_label("(-2)^(-3)", {})
    assert graph.output.data == -0.125
    assert grads["-2"] == -0.1875


def test_negative_leaf_integer_power():
    graph, grads = gradients_by_label("x^(-3)", {"x": Leaf(-2.0)})
    assert graph.output.data == -0.125
    assert grads["x"] == -0.1875


@pytest.mark.parametrize(
    ("source", "leaves", "node_label", "fragment"),
    [
        ("1/x", {"x": Leaf(0.0)}, "1/x", "divides by zero"),
        ("(-8)^(1/3)", {}, "(-8)^(1/3)", "fractional power"),
        ("x^0.5", {"x": Leaf(-4.0)}, "x^0.5", "fractional power"),
        ("x^(-1)", {"x": Leaf(0.0)}, "x^(-1)", "divides by zero"),
        ("x^0.5", {"x": Leaf(0.0)}, "x^0.5", "infinite"),
        ("x^200", {"x": Leaf(1e6)}, "x^200", "too large"),
        ("x*1e300*1e300", {"x": Leaf(1.0)}, "x*1e300*1e300", "too large for a float"),
    ],
)
def test_undefined_value_is_rejected_naming_node(source, leaves, node_label, fragment):
    with pytest.raises(ExpressionError) as caught:
        build_graph(source, leaves)
    error = caught.value
    assert fragment in str(error)
    assert error.node is not None
    assert f"Cannot compute {node_label} because" in str(error)
    assert error.position is not None


def test_undefined_value_names_assigned_node_with_its_text():
    with pytest.raises(ExpressionError) as caught:
        build_graph("h = 1/x\nloss = h*h", {"x": Leaf(0.0)})
    message = str(caught.value)
    assert "Cannot compute h = 1/x because it divides by zero" in message
    assert "(the divisor x is 0)" in message
    assert caught.value.node == "n2"
    assert "n2" not in message


def test_overflowing_gradient_is_rejected():
    # Every value is finite (the output is 1e300), but d output / d x is
    # 1e300 * 1e300, which overflows.
    graph = build_graph("x*1e300*1e300", {"x": Leaf(1e-300)})
    with pytest.raises(ExpressionError) as caught:
        graph.backward()
    message = str(caught.value)
    assert "gradient of the output with respect to x is too large" in message
    assert caught.value.node == "n0"


def test_sigmoid_is_stable_for_large_inputs():
    graph, grads = gradients_by_label("sigmoid(x)", {"x": Leaf(-1000.0)})
    assert graph.output.data == 0.0
    assert grads["x"] == 0.0
    graph, grads = gradients_by_label("sigmoid(x)", {"x": Leaf(1000.0)})
    assert graph.output.data == 1.0


def test_relu_derivative_at_zero_is_zero():
    graph, grads = gradients_by_label("relu(x)", {"x": Leaf(0.0)})
    assert graph.output.data == 0.0
    assert grads["x"] == 0.0


def test_squared_error_matches_power_form():
    leaves = {"p": Leaf(0.3, "trainable"), "t": Leaf(1.1, "target")}
    first, first_grads = gradients_by_label("squared_error(p, t)", leaves)
    second, second_grads = gradients_by_label("(p - t)^2", leaves)
    assert first.output.data == pytest.approx(second.output.data)
    assert first_grads["p"] == pytest.approx(second_grads["p"])
    assert first_grads["t"] == pytest.approx(second_grads["t"])


def test_division_gradients():
    graph, grads = gradients_by_label("a / b", {"a": Leaf(3.0), "b": Leaf(2.0)})
    assert graph.output.data == 1.5
    assert grads["a"] == 0.5
    assert grads["b"] == -0.75


def test_every_value_is_finite():
    trace = trace_expression("tanh(x) / (sigmoid(x) + 1)", {"x": Leaf(0.7)})
    numbers = [step.value for step in trace.forward]
    numbers += [step.grad for step in trace.backward]
    assert all(math.isfinite(number) for number in numbers)
