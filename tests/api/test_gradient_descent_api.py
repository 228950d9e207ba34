"""Gradient-descent REST trace and WebSocket stream."""

import json

import pytest
from annlab.schemas.common import ErrorEvent, PlayerStateEvent
from annlab.schemas.gradient_descent import (
    FrameEvent,
    GradientDescentTrace,
    NetworkEvent,
    SetupEvent,
)

TRACE_URL = "/api/gradient-descent/trace"
STREAM_URL = "/ws/gradient-descent"
EVENT_MODELS = {
    "state": PlayerStateEvent,
    "setup": SetupEvent,
    "frame": FrameEvent,
    "network": NetworkEvent,
    "error": ErrorEvent,
}


def reject_constant(token):
    raise ValueError(f"bare {token} token in JSON")


def parse_strict_json(text):
    """Parse JSON as a browser does: NaN and Infinity tokens are errors."""
    return json.loads(text, parse_constant=reject_constant)


def receive_event(websocket):
    """Read one event, parse it strictly and validate it against its schema."""
    payload = parse_strict_json(websocket.receive_text())
    return EVENT_MODELS[payload["type"]].model_validate(payload)


def receive_until(websocket, event_type, limit=1000):
    for _ in range(limit):
        event = receive_event(websocket)
        if event.type == event_type:
            return event
    raise AssertionError(f"No {event_type} event within {limit} events")


def receive_frames_until_finished(websocket):
    frames = []
    while True:
        event = receive_event(websocket)
        if event.type == "frame":
            frames.append(event)
        elif event.type == "state" and event.status == "finished":
            return frames


def test_create_trace_default_run_fits(client):
    response = client.post(TRACE_URL, json={})
    assert response.status_code == 200
    trace = GradientDescentTrace.model_validate(parse_strict_json(response.text))
    assert trace.params.learning_rate == 3e-3
    assert trace.sizes == [1, 16, 8, 1]
    assert (trace.batch_size, trace.steps_per_epoch) == (32, 40)
    assert len(trace.data.x) == 1280
    assert trace.data.total == 1280
    assert len(trace.frames) == 101
    assert [frame.index for frame in trace.frames] == list(range(101))
    assert not trace.final.diverged
    assert trace.final.diverged_at is None
    assert trace.final.loss == trace.frames[-1].loss
    assert trace.final.loss < trace.frames[0].loss / 100
    assert len(trace.frames[-1].curve) == len(trace.grid_x)
    assert len(trace.target_curve) == len(trace.grid_x)


def test_create_trace_frames_carry_weights(client):
    trace = client.post(
        TRACE_URL, json={"hidden_units_1": 3, "hidden_units_2": 2, "epochs": 10}
    ).json()
    assert trace["sizes"] == [1, 3, 2, 1]
    for frame in trace["frames"]:
        shapes = [
            (len(layer["weights"]), len(layer["weights"][0]), len(layer["biases"]))
            for layer in frame["layers"]
        ]
        assert shapes == [(1, 3, 3), (3, 2, 2), (2, 1, 1)]
    assert trace["frames"][0]["layers"][0]["biases"] == [0.0, 0.0, 0.0]
    assert trace["frames"][-1]["layers"] != trace["frames"][0]["layers"]


def test_create_trace_num_points_sample(client):
    full = client.post(TRACE_URL, json={"epochs": 10, "seed": 4}).json()
    sample = client.post(
        TRACE_URL, json={"epochs": 10, "seed": 4, "num_points": 50}
    ).json()
    assert sample["data"]["x"] == full["data"]["x"][:50]
    assert sample["data"]["y"] == full["data"]["y"][:50]
    assert sample["data"]["total"] == 1280
    assert sample["frames"] == full["frames"]
    empty = client.post(TRACE_URL, json={"epochs": 10, "num_points": 0}).json()
    assert empty["data"]["x"] == []


def test_create_trace_diverged_run_is_valid_json(client):
    response = client.post(TRACE_URL, json={"learning_rate": 10})
    assert response.status_code == 200
    body = parse_strict_json(response.text)
    assert "NaN" not in response.text
    assert "Infinity" not in response.text
    final = body["final"]
    assert final["diverged"] is True
    last = body["frames"][-1]
    assert final["diverged_at"] == {"epoch": last["epoch"], "step": last["step"]}
    assert last["diverged"] is True
    assert last["kind"] == "step"
    assert final["loss"] is None
    assert None in last["curve"] or None in last["step_losses"]
    GradientDescentTrace.model_validate(body)


def test_create_trace_minimum_rate_barely_moves(client):
    trace = client.post(TRACE_URL, json={"learning_rate": 1e-7, "num_points": 0}).json()
    assert trace["final"]["diverged"] is False
    assert trace["final"]["loss"] > 0.8 * trace["frames"][0]["loss"]


def test_create_trace_same_seed_same_frames(client):
    body = {"seed": 11, "epochs": 20, "learning_rate": 0.01}
    first = client.post(TRACE_URL, json=body)
    second = client.post(TRACE_URL, json=body)
    assert first.text == second.text


def test_create_trace_without_body_uses_defaults(client):
    response = client.post(TRACE_URL)
    assert response.status_code == 200
    params = response.json()["params"]
    assert params == {
        "seed": 0,
        "hidden_units_1": 16,
        "hidden_units_2": 8,
        "learning_rate": 3e-3,
        "epochs": 100,
    }


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"learning_rate": 11}, "learning_rate", "from 1e-07 to 10, got 11"),
        ({"learning_rate": 0}, "learning_rate", "from 1e-07 to 10"),
        ({"epochs": 9}, "epochs", "from 10 to 200, got 9"),
        ({"epochs": 201}, "epochs", "from 10 to 200"),
        ({"hidden_units_1": 0}, "hidden_units_1", "from 1 to 32, got 0"),
        ({"hidden_units_2": 33}, "hidden_units_2", "from 1 to 32, got 33"),
        ({"hidden_units_1": 2.5}, "hidden_units_1", "from 1 to 32, got 2.5"),
        ({"hidden_units_2": "16"}, "hidden_units_2", 'from 1 to 32, got "16"'),
        ({"epochs": True}, "epochs", "from 10 to 200, got true"),
        ({"learning_rate": "0.1"}, "learning_rate", 'from 1e-07 to 10, got "0.1"'),
        ({"num_points": 1281}, "num_points", "from 0 to 1280"),
        ({"seed": -1}, "seed", "from 0 to"),
        ({"momentum": 0.9}, "momentum", "Extra inputs"),
    ],
)
def test_create_trace_rejects_bad_value(client, body, field, fragment):
    response = client.post(TRACE_URL, json=body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", field]
    assert fragment in detail["msg"]
    assert field in response.json()["message"]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_create_trace_rejects_non_finite_rate(client, token):
    response = client.post(
        TRACE_URL,
        content=f'{{"learning_rate": {token}}}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    body = parse_strict_json(response.text)
    assert body["detail"][0]["loc"] == ["body", "learning_rate"]
    assert "from 1e-07 to 10" in body["detail"][0]["msg"]


def test_read_parameters_publishes_ranges(client):
    schema = client.get("/api/gradient-descent/parameters").json()
    rate = schema["properties"]["learning_rate"]
    assert (rate["minimum"], rate["maximum"], rate["default"]) == (1e-7, 10.0, 3e-3)
    assert rate["scale"] == "log"
    epochs = schema["properties"]["epochs"]
    assert (epochs["minimum"], epochs["maximum"], epochs["default"]) == (10, 200, 100)
    for name, default in (("hidden_units_1", 16), ("hidden_units_2", 8)):
        units = schema["properties"][name]
        assert (units["minimum"], units["maximum"], units["default"]) == (
            1,
            32,
            default,
        )


def test_stream_plays_frames_matching_trace(client):
    params = {"seed": 2, "epochs": 10}
    trace = client.post(TRACE_URL, json={**params, "num_points": 100}).json()
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(
            {
                "type": "start",
                "params": params,
                "num_points": 100,
                "steps_per_second": 1000,
            }
        )
        setup = receive_event(websocket)
        assert setup.type == "setup"
        assert setup.data.x == trace["data"]["x"]
        assert setup.grid_x == trace["grid_x"]
        assert receive_event(websocket).status == "playing"
        frames = receive_frames_until_finished(websocket)
    assert [frame.model_dump(mode="json") for frame in frames] == trace["frames"]


def test_stream_seek_takes_frame_index(client):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(
            {"type": "start", "autoplay": False, "params": {"epochs": 10}}
        )
        assert receive_event(websocket).type == "setup"
        first = receive_event(websocket)
        assert (first.type, first.index, first.kind) == ("frame", 0, "initial")
        state = receive_event(websocket)
        assert (state.status, state.index) == ("paused", 0)

        websocket.send_json({"type": "seek", "index": 5})
        frame = receive_event(websocket)
        assert (frame.index, frame.epoch) == (5, 5)
        state = receive_event(websocket)
        assert (state.status, state.index, state.num_events) == ("paused", 5, 6)

        websocket.send_json({"type": "seek", "index": 2})
        assert receive_event(websocket).index == 2
        assert receive_event(websocket).index == 2

        websocket.send_json({"type": "prev"})
        assert receive_event(websocket).index == 1
        assert receive_event(websocket).index == 1

        websocket.send_json({"type": "step"})
        assert receive_event(websocket).index == 2
        assert receive_event(websocket).index == 2

        # Seeking past the end stops at the last frame.
        websocket.send_json({"type": "seek", "index": 500})
        last = receive_event(websocket)
        assert (last.index, last.epoch) == (10, 10)
        state = receive_event(websocket)
        assert (state.index, state.is_complete) == (10, True)


def test_stream_pause_resume_and_stop(client):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(
            {"type": "start", "params": {"epochs": 200}, "steps_per_second": 50}
        )
        receive_until(websocket, "frame")
        websocket.send_json({"type": "pause"})
        paused = receive_until(websocket, "state")
        assert paused.status == "paused"

        websocket.send_json({"type": "speed", "steps_per_second": 200})
        state = receive_event(websocket)
        assert (state.status, state.steps_per_second) == ("paused", 200)

        websocket.send_json({"type": "resume"})
        assert receive_until(websocket, "state").status == "playing"
        assert receive_until(websocket, "frame").index == paused.index + 1

        websocket.send_json({"type": "stop"})
        assert receive_until(websocket, "state").status == "stopped"
        websocket.send_json({"type": "step"})
        state = receive_event(websocket)
        assert (state.type, state.status) == ("state", "stopped")


def test_stream_preview_answers_at_once(client):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(
            {"type": "preview", "hidden_units_1": 4, "hidden_units_2": 3}
        )
        network = receive_event(websocket)
        assert network.type == "network"
        assert network.sizes == [1, 4, 3, 1]
        assert network.num_parameters == 4 + 4 + 12 + 3 + 3 + 1

        websocket.send_json(
            {"type": "start", "autoplay": False, "params": {"epochs": 10}}
        )
        receive_until(websocket, "state")
        websocket.send_json({"type": "preview", "hidden_units_1": 32})
        network = receive_event(websocket)
        assert network.sizes == [1, 32, 8, 1]

        # The run is untouched: the next step is frame 1 of the original network.
        websocket.send_json({"type": "step"})
        frame = receive_event(websocket)
        assert frame.index == 1
        assert len(frame.layers[0].weights[0]) == 16


def test_stream_diverged_run_sends_null(client):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(
            {
                "type": "start",
                "params": {"learning_rate": 10},
                "num_points": 0,
                "steps_per_second": 1000,
            }
        )
        frames = receive_frames_until_finished(websocket)
    last = frames[-1]
    assert last.diverged
    assert last.kind == "step"
    assert not any(frame.diverged for frame in frames[:-1])
    assert last.step_losses[-1] is None or None in last.curve


def test_stream_restart_sends_new_setup(client):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(
            {"type": "start", "autoplay": False, "params": {"epochs": 10}}
        )
        receive_until(websocket, "state")
        websocket.send_json(
            {
                "type": "start",
                "autoplay": False,
                "params": {"epochs": 10, "hidden_units_1": 2},
            }
        )
        setup = receive_event(websocket)
        assert setup.sizes == [1, 2, 8, 1]
        frame = receive_event(websocket)
        assert frame.index == 0
        assert len(frame.layers[0].weights[0]) == 2


@pytest.mark.parametrize(
    ("message", "field", "fragment"),
    [
        (
            {"type": "start", "params": {"learning_rate": 20}},
            "params.learning_rate",
            "from 1e-07 to 10, got 20",
        ),
        ({"type": "start", "params": {"epochs": 5}}, "params.epochs", "from 10 to 200"),
        ({"type": "start", "num_points": -1}, "num_points", "from 0 to 1280"),
        (
            {"type": "preview", "hidden_units_1": 40},
            "hidden_units_1",
            "from 1 to 32, got 40",
        ),
        ({"type": "seek", "index": -1}, "index", "from 0 to"),
        (
            {"type": "speed", "steps_per_second": 0},
            "steps_per_second",
            "from 0.1 to 1000",
        ),
    ],
)
def test_stream_error_names_field(client, message, field, fragment):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json(message)
        error = receive_event(websocket)
        assert error.type == "error"
        assert error.errors[0].field == field
        assert fragment in error.errors[0].message
        # The connection stays open and still serves a run.
        websocket.send_json({"type": "preview"})
        assert receive_event(websocket).sizes == [1, 16, 8, 1]


def test_stream_control_before_start_is_error(client):
    with client.websocket_connect(STREAM_URL) as websocket:
        websocket.send_json({"type": "step"})
        error = receive_event(websocket)
        assert 'Send "start" before "step"' in error.message
        websocket.send_text("not json")
        assert "not valid JSON" in receive_event(websocket).message
        websocket.send_json({"type": "jump"})
        assert receive_event(websocket).type == "error"
        websocket.send_json(
            {"type": "start", "autoplay": False, "params": {"epochs": 10}}
        )
        assert receive_event(websocket).type == "setup"
