"""Backpropagation WebSocket: one step per `next`, and prev, reset, auto, pause."""

import pytest
from annlab.schemas.backprop import (
    BackwardEvent,
    ExpressionErrorEvent,
    ForwardEvent,
    GraphEvent,
    UpdateEvent,
)
from annlab.schemas.common import PlayerStateEvent

EVENT_MODELS = {
    "state": PlayerStateEvent,
    "graph": GraphEvent,
    "forward": ForwardEvent,
    "backward": BackwardEvent,
    "update": UpdateEvent,
    "error": ExpressionErrorEvent,
}
# The default example: 6 forward steps, 12 backward steps and the update.
NUM_DEFAULT_STEPS = 19


def receive_event(websocket):
    """Read one event and validate it against its schema."""
    payload = websocket.receive_json()
    return EVENT_MODELS[payload["type"]].model_validate(payload)


def start(websocket, params=None):
    message = {"type": "start"}
    if params is not None:
        message["params"] = params
    websocket.send_json(message)
    graph = receive_event(websocket)
    assert graph.type == "graph"
    state = receive_event(websocket)
    assert (state.status, state.index) == ("paused", -1)
    return graph


def send_next(websocket):
    websocket.send_json({"type": "next"})
    event = receive_event(websocket)
    state = receive_event(websocket)
    assert state.type == "state"
    return event, state


def test_start_sends_graph_then_waits(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        graph = start(websocket)
        assert graph.num_steps == NUM_DEFAULT_STEPS
        assert len(graph.nodes) == 12
        assert graph.nodes[-1].id == graph.output
        leaf_values = {
            node.label: node.value for node in graph.nodes if node.op is None
        }
        assert leaf_values["w1"] == 0.5
        assert all(node.value is None for node in graph.nodes if node.op is not None)


def test_next_steps_through_forward_then_backward(client):
    trace = client.post("/api/backprop/trace").json()
    expected = trace["forward"] + trace["backward"] + [trace["update"]]
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        for index, expected_event in enumerate(expected):
            event, state = send_next(websocket)
            assert event.model_dump() == expected_event
            assert state.index == index
        # Past the end, next sends only the state.
        websocket.send_json({"type": "next"})
        state = receive_event(websocket)
        assert (state.type, state.index) == ("state", NUM_DEFAULT_STEPS - 1)
        assert state.is_complete


def test_last_step_gives_w1_gradient(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        graph = start(websocket)
        labels = {node.id: node.label for node in graph.nodes}
        gradients = {}
        for _ in range(NUM_DEFAULT_STEPS):
            event, _ = send_next(websocket)
            if event.type == "backward":
                gradients[labels[event.node]] = event.grad
        assert gradients["w1"] == pytest.approx(-9.0375)
        assert event.type == "update"


def test_prev_resends_earlier_step(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        for _ in range(3):
            send_next(websocket)
        websocket.send_json({"type": "prev"})
        event = receive_event(websocket)
        assert (event.type, event.step) == ("forward", 1)
        assert receive_event(websocket).index == 1


def test_prev_from_first_step_goes_back_to_start(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        send_next(websocket)
        websocket.send_json({"type": "prev"})
        assert receive_event(websocket).type == "graph"
        state = receive_event(websocket)
        assert (state.status, state.index) == ("paused", -1)
        event, state = send_next(websocket)
        assert (event.step, state.index) == (0, 0)


def test_reset_returns_to_before_first_step(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        for _ in range(5):
            send_next(websocket)
        websocket.send_json({"type": "reset"})
        assert receive_event(websocket).type == "graph"
        state = receive_event(websocket)
        assert (state.index, state.num_events) == (-1, 0)
        event, _ = send_next(websocket)
        assert event.step == 0


def test_auto_plays_to_end_then_finishes(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        websocket.send_json({"type": "auto", "steps_per_second": 1000})
        state = receive_event(websocket)
        assert (state.status, state.steps_per_second) == ("playing", 1000)
        steps = []
        while (event := receive_event(websocket)).type != "state":
            steps.append(event.step)
        assert steps == list(range(NUM_DEFAULT_STEPS))
        assert event.status == "finished"


def test_pause_stops_auto_play(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        websocket.send_json({"type": "auto", "steps_per_second": 20})
        assert receive_event(websocket).status == "playing"
        assert receive_event(websocket).type == "forward"
        websocket.send_json({"type": "pause"})
        while (event := receive_event(websocket)).type != "state":
            pass
        assert event.status == "paused"
        assert event.index < NUM_DEFAULT_STEPS - 1
        # Paused: next sends exactly the following step.
        step, state = send_next(websocket)
        assert step.step == event.index + 1
        assert state.index == event.index + 1


def test_bad_expression_error_has_position(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        websocket.send_json(
            {"type": "start", "params": {"expression": "x * (y", "leaves": {}}}
        )
        error = receive_event(websocket)
        assert error.type == "error"
        assert error.position == 6
        assert error.column == 7
        assert error.errors[0].field == "params.expression"
        assert "Expected ')'" in error.message

        websocket.send_json(
            {
                "type": "start",
                "params": {"expression": "1/x", "leaves": {"x": {"value": 0}}},
            }
        )
        error = receive_event(websocket)
        assert error.node is not None
        assert "divides by zero" in error.message

        # The connection stays open and a valid start still works.
        graph = start(websocket, {"expression": "a + a", "leaves": {"a": {"value": 1}}})
        assert graph.num_steps == 3


def test_tiny_divisor_error_keeps_connection_open(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        for expression, leaves in [
            ("loss = 1/x", {"x": {"value": 1e-200}}),
            ("loss = x/y", {"x": {"value": 1}, "y": {"value": 1e-170}}),
            ("loss = x/1e-300/1e-300", {"x": {"value": 1}}),
        ]:
            websocket.send_json(
                {
                    "type": "start",
                    "params": {"expression": expression, "leaves": leaves},
                }
            )
            error = receive_event(websocket)
            assert error.type == "error"
            assert error.node is not None
            assert error.line == 1
            assert "Cannot compute" in error.message
            assert "too large for a float" in error.message
            assert error.errors[0].field == "params.expression"

        graph = start(websocket, {"expression": "a + a", "leaves": {"a": {"value": 1}}})
        assert graph.num_steps == 3


def test_failed_start_keeps_previous_stream(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        start(websocket)
        send_next(websocket)
        websocket.send_json({"type": "start", "params": {"expression": "q +"}})
        assert receive_event(websocket).type == "error"
        event, state = send_next(websocket)
        assert (event.step, state.index) == (1, 1)


def test_invalid_messages_get_error(client):
    with client.websocket_connect("/ws/backprop") as websocket:
        websocket.send_json({"type": "next"})
        assert 'Send "start" before "next"' in receive_event(websocket).message

        websocket.send_text("not json")
        assert "not valid JSON" in receive_event(websocket).message

        websocket.send_json({"type": "jump"})
        assert receive_event(websocket).type == "error"

        websocket.send_json({"type": "start", "params": {"learning_rate": 20}})
        error = receive_event(websocket)
        assert error.errors[0].field == "params.learning_rate"
        assert "from 1e-06 to 10, got 20" in error.errors[0].message

        websocket.send_json({"type": "auto", "steps_per_second": 0})
        assert receive_event(websocket).errors[0].field == "steps_per_second"

        start(websocket)
