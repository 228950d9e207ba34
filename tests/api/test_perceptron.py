"""Perceptron REST trace and WebSocket stream."""

import asyncio
import json

import pytest
import websockets
from annlab.schemas.common import ErrorEvent, PlayerStateEvent
from annlab.schemas.perceptron import (
    DatasetEvent,
    DoneEvent,
    PerceptronTrace,
    StepEvent,
)

EVENT_MODELS = {
    "state": PlayerStateEvent,
    "dataset": DatasetEvent,
    "step": StepEvent,
    "done": DoneEvent,
    "error": ErrorEvent,
}


def receive_event(websocket):
    """Read one event and validate it against its schema."""
    payload = websocket.receive_json()
    return EVENT_MODELS[payload["type"]].model_validate(payload)


def receive_until(websocket, event_type, limit=5000):
    for _ in range(limit):
        event = receive_event(websocket)
        if event.type == event_type:
            return event
    raise AssertionError(f"No {event_type} event within {limit} events")


def test_create_trace_returns_every_step(client):
    response = client.post(
        "/api/perceptron/trace", json={"dataset": "linear", "seed": 1, "epochs": 50}
    )
    assert response.status_code == 200
    trace = PerceptronTrace.model_validate(response.json())
    assert len(trace.points) == 30
    assert trace.feature_names == ["bias", "x1", "x2"]
    assert len(trace.steps) == trace.final.num_steps
    assert trace.steps[-1].weights == trace.final.weights
    assert [step.step for step in trace.steps] == list(range(1, len(trace.steps) + 1))
    first = trace.steps[0]
    assert first.sample == pytest.approx([1.0, trace.points[0].x1, trace.points[0].x2])


def test_create_trace_fills_dataset_defaults(client):
    params = client.post("/api/perceptron/trace", json={"dataset": "xor"}).json()[
        "params"
    ]
    assert params["data_std"] == 0.1
    assert params["bias"] is False
    params = client.post("/api/perceptron/trace", json={}).json()["params"]
    assert params["data_std"] == 0.8
    assert params["bias"] is True


def test_create_trace_xor_needs_product_feature(client):
    plain = client.post(
        "/api/perceptron/trace", json={"dataset": "xor", "epochs": 100}
    ).json()
    lifted = client.post(
        "/api/perceptron/trace",
        json={"dataset": "xor", "epochs": 100, "feature_engineering": True},
    ).json()
    assert plain["final"]["accuracy"] < 1.0
    assert plain["final"]["converged"] is False
    assert lifted["final"]["accuracy"] == 1.0
    assert lifted["feature_names"] == ["x1", "x2", "x1*x2"]


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"learning_rate": 5}, "learning_rate", "from 0.0001 to 1, got 5"),
        ({"learning_rate": 0}, "learning_rate", "from 0.0001 to 1"),
        ({"data_std": 0.01}, "data_std", "from 0.1 to 1"),
        ({"epochs": 0}, "epochs", "from 1 to 1000, got 0"),
        ({"epochs": 1001}, "epochs", "from 1 to 1000"),
        ({"epochs": "many"}, "epochs", 'whole number from 1 to 1000, got "many"'),
        ({"epochs": True}, "epochs", "whole number from 1 to 1000, got true"),
        ({"epochs": 2.5}, "epochs", "whole number from 1 to 1000, got 2.5"),
        ({"epochs": 1e308}, "epochs", "whole number from 1 to 1000"),
        (
            {"learning_rate": "0.1"},
            "learning_rate",
            'number from 0.0001 to 1, got "0.1"',
        ),
        ({"bias": 1}, "bias", "valid boolean"),
        ({"feature_engineering": "yes"}, "feature_engineering", "valid boolean"),
        ({"dataset": "moons"}, "dataset", "'linear' or 'xor'"),
        ({"init": "normal"}, "init", "'uniform' or 'zero'"),
        ({"seed": -1}, "seed", "from 0 to"),
        ({"momentum": 0.9}, "momentum", "Extra inputs"),
    ],
)
def test_create_trace_rejects_bad_value(client, body, field, fragment):
    response = client.post("/api/perceptron/trace", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", field]
    assert fragment in detail["msg"]
    assert field in response.json()["message"]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_create_trace_rejects_non_finite_rate(client, token):
    response = client.post(
        "/api/perceptron/trace",
        content=f'{{"learning_rate": {token}}}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"] == ["body", "learning_rate"]
    assert "from 0.0001 to 1" in body["detail"][0]["msg"]


def test_read_parameters_publishes_ranges(client):
    schema = client.get("/api/perceptron/parameters").json()
    rate = schema["properties"]["learning_rate"]
    assert (rate["minimum"], rate["maximum"], rate["default"]) == (0.0001, 1.0, 0.001)
    assert rate["scale"] == "log"
    assert schema["properties"]["data_std"]["dataset_defaults"] == {
        "linear": 0.8,
        "xor": 0.1,
    }


def test_stream_plays_to_done_matching_trace(client):
    params = {"dataset": "linear", "seed": 4, "epochs": 20}
    trace = client.post("/api/perceptron/trace", json=params).json()
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_json(
            {"type": "start", "params": params, "steps_per_second": 1000}
        )
        assert receive_event(websocket).status == "playing"
        assert receive_event(websocket).type == "dataset"
        steps = []
        while (event := receive_event(websocket)).type == "step":
            steps.append(event)
        assert event.type == "done"
        assert event.final.weights == trace["final"]["weights"]
        assert len(steps) == len(trace["steps"])
        assert receive_event(websocket).status == "finished"


def test_stream_pause_stops_and_step_sends_one(client):
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_json(
            {"type": "start", "autoplay": False, "params": {"epochs": 5}}
        )
        assert receive_event(websocket).type == "dataset"
        state = receive_event(websocket)
        assert (state.status, state.index) == ("paused", 0)

        websocket.send_json({"type": "step"})
        step = receive_event(websocket)
        assert (step.type, step.step) == ("step", 1)
        state = receive_event(websocket)
        assert (state.status, state.index) == ("paused", 1)

        # While paused nothing arrives: a speed change answers with state only.
        websocket.send_json({"type": "speed", "steps_per_second": 500})
        state = receive_event(websocket)
        assert (state.type, state.index, state.steps_per_second) == ("state", 1, 500)

        websocket.send_json({"type": "step"})
        assert receive_event(websocket).step == 2
        assert receive_event(websocket).index == 2


def test_stream_prev_and_seek_resend_earlier_steps(client):
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_json(
            {"type": "start", "autoplay": False, "params": {"epochs": 5}}
        )
        receive_until(websocket, "state")
        for _ in range(3):
            websocket.send_json({"type": "step"})
            receive_until(websocket, "state")
        websocket.send_json({"type": "prev"})
        assert receive_event(websocket).step == 2
        assert receive_event(websocket).index == 2
        websocket.send_json({"type": "seek", "index": 0})
        assert receive_event(websocket).type == "dataset"
        assert receive_event(websocket).index == 0


def test_stream_pause_then_resume(client):
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_json(
            {
                "type": "start",
                "params": {"epochs": 50, "dataset": "xor"},
                "steps_per_second": 50,
            }
        )
        receive_until(websocket, "step")
        websocket.send_json({"type": "pause"})
        paused = receive_until(websocket, "state")
        assert paused.status == "paused"
        websocket.send_json({"type": "resume"})
        assert receive_until(websocket, "state").status == "playing"
        next_step = receive_until(websocket, "step")
        # The dataset is event 0, so step n is event n: play resumes right after.
        assert next_step.step == paused.index + 1
        websocket.send_json({"type": "stop"})
        assert receive_until(websocket, "state").status == "stopped"


def test_stream_error_keeps_connection_open(client):
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_text("not json")
        assert "not valid JSON" in receive_event(websocket).message

        websocket.send_json({"type": "jump"})
        error = receive_event(websocket)
        assert error.type == "error"

        websocket.send_json({"type": "start", "params": {"learning_rate": 2}})
        error = receive_event(websocket)
        assert error.errors[0].field == "params.learning_rate"
        assert "from 0.0001 to 1, got 2" in error.errors[0].message

        websocket.send_json({"type": "speed", "steps_per_second": 0})
        assert receive_event(websocket).errors[0].field == "steps_per_second"

        websocket.send_json({"type": "pause"})
        assert 'Send "start" before "pause"' in receive_event(websocket).message

        websocket.send_json(
            {"type": "start", "params": {"epochs": 1}, "steps_per_second": 1000}
        )
        assert receive_until(websocket, "done").final.num_epochs == 1


def test_streams_of_two_clients_are_independent(live_server, run_async):
    async def collect(params):
        async with websockets.connect(
            f"{live_server.ws_url}/ws/perceptron"
        ) as websocket:
            await websocket.send(
                json.dumps(
                    {"type": "start", "params": params, "steps_per_second": 1000}
                )
            )
            while True:
                event = json.loads(await asyncio.wait_for(websocket.recv(), timeout=30))
                if event["type"] == "done":
                    return event["final"]

    async def both():
        return await asyncio.gather(
            collect({"dataset": "linear", "seed": 1, "epochs": 30}),
            collect({"dataset": "xor", "feature_engineering": True, "epochs": 30}),
        )

    linear, xor = run_async(both())
    assert len(linear["weights"]) == 3
    assert len(xor["weights"]) == 3
    assert xor["accuracy"] == 1.0


def test_stream_binary_frame_keeps_connection_open(client):
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_bytes(b"\x00\x01")
        assert "Binary messages" in receive_event(websocket).message
        websocket.send_json(
            {"type": "start", "params": {"epochs": 1}, "autoplay": False}
        )
        assert receive_event(websocket).type == "dataset"


def test_stream_rejects_string_number(client):
    with client.websocket_connect("/ws/perceptron") as websocket:
        websocket.send_json({"type": "start", "params": {"epochs": "5"}})
        error = receive_event(websocket)
        assert error.errors[0].field == "params.epochs"
        assert 'whole number from 1 to 1000, got "5"' in error.errors[0].message
