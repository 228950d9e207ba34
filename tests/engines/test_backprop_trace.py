"""The trace: graph, step order, chain-rule terms and the update step."""

import pytest
from annlab.engines.backprop import ExpressionError, Leaf, trace_expression


def test_steps_are_numbered_in_stream_order():
    trace = trace_expression()
    steps = [step.step for step in trace.forward + trace.backward]
    assert steps == list(range(len(steps)))
    assert trace.update.step == len(steps)


def test_forward_visits_operations_inputs_first():
    trace = trace_expression()
    nodes = {node.id: node for node in trace.nodes}
    computed = set()
    for step in trace.forward:
        node = nodes[step.node]
        assert node.op is not None
        for item in node.inputs:
            assert nodes[item].op is None or item in computed
        computed.add(step.node)
    assert computed == {node.id for node in trace.nodes if node.op is not None}


def test_forward_operands_are_input_values():
    trace = trace_expression()
    nodes = {node.id: node for node in trace.nodes}
    values = {node.id: node.value for node in trace.nodes if node.value is not None}
    for step in trace.forward:
        assert step.operands == [values[item] for item in nodes[step.node].inputs]
        values[step.node] = step.value


def test_backward_visits_each_node_once():
    trace = trace_expression()
    first = trace.backward[0]
    assert first.node == trace.output
    assert first.grad == 1.0
    assert first.terms == []
    assert sorted(step.node for step in trace.backward) == sorted(
        node.id for node in trace.nodes
    )


def test_backward_terms_multiply_known_gradients():
    trace = trace_expression()
    known = {}
    for step in trace.backward:
        for term in step.terms:
            # The consumer's gradient was complete before this node's step.
            assert term.upstream_grad == known[term.consumer]
            assert term.product == term.upstream_grad * term.local_derivative
        if step.terms:
            assert step.grad == pytest.approx(sum(term.product for term in step.terms))
        known[step.node] = step.grad


def test_w2_term_uses_h1_value():
    trace = trace_expression()
    labels = {node.id: node.label for node in trace.nodes}
    step = next(item for item in trace.backward if labels[item.node] == "w2")
    (term,) = step.terms
    assert labels[term.consumer] == "h1*w2"
    assert term.upstream_grad == pytest.approx(-12.05)
    assert term.local_derivative == pytest.approx(2.75)
    assert term.product == pytest.approx(-33.1375)


def test_repeated_input_has_two_terms():
    trace = trace_expression("a + a", {"a": Leaf(3.0, "trainable")}, None)
    (leaf,) = [node for node in trace.nodes if node.label == "a"]
    step = next(item for item in trace.backward if item.node == leaf.id)
    assert [term.input_index for term in step.terms] == [0, 1]
    assert step.grad == 2.0
    edges = [(edge.source, edge.input_index) for edge in trace.edges]
    assert edges == [(leaf.id, 0), (leaf.id, 1)]


def test_loss_part_covers_target_comparison():
    trace = trace_expression()
    in_loss_part = {node.label for node in trace.nodes if node.is_loss_part}
    assert in_loss_part == {"y_hat - y", "loss"}
    loss_edges = {
        (edge.source, edge.target) for edge in trace.edges if edge.is_loss_part
    }
    labels = {node.id: node.label for node in trace.nodes}
    assert {(labels[a], labels[b]) for a, b in loss_edges} == {
        ("y_hat", "y_hat - y"),
        ("y", "y_hat - y"),
        ("y_hat - y", "loss"),
    }


def test_loss_part_without_target_is_output():
    trace = trace_expression("x * x + 1", {"x": Leaf(2.0, "trainable")}, None)
    assert [node.label for node in trace.nodes if node.is_loss_part] == ["x * x + 1"]


def test_update_step_moves_weights_against_gradient():
    trace = trace_expression(learning_rate=0.01)
    update = trace.update
    assert update.learning_rate == 0.01
    changes = {change.label: change for change in update.weights}
    assert set(changes) == {"w1", "b1", "w2", "b2"}
    assert changes["w1"].new_value == pytest.approx(0.5 + 0.01 * 9.0375)
    assert changes["w2"].new_value == pytest.approx(0.5 + 0.01 * 33.1375)
    assert update.loss == pytest.approx(36.300625)
    # Recompute the output by hand at the new weights.
    w1, b1 = changes["w1"].new_value, changes["b1"].new_value
    w2, b2 = changes["w2"].new_value, changes["b2"].new_value
    expected = ((1.5 * w1 + b1) * w2 + b2 - 5.4) ** 2
    assert update.new_loss == pytest.approx(expected)
    assert update.new_loss < update.loss


def test_no_learning_rate_means_no_update():
    assert trace_expression(learning_rate=None).update is None


def test_no_trainable_leaf_means_no_update():
    trace = trace_expression("x * 2", {"x": Leaf(1.0, "input")}, 0.1)
    assert trace.update is None
    assert trace.gradients == {}


def test_update_into_undefined_value_is_rejected():
    # d/dx (1/x + x^2) = -1 + 2 = 1 at x = 1, so a learning rate of 1 moves x
    # to 0, where 1/x is undefined.
    with pytest.raises(ExpressionError) as caught:
        trace_expression("1/x + x^2", {"x": Leaf(1.0, "trainable")}, 1.0)
    assert "After the update step" in str(caught.value)
    assert caught.value.node is not None


def test_trace_is_deterministic():
    assert trace_expression() == trace_expression()
