"""PlayerSession: message handling, run replacement, rejection and run logging."""

import logging
import re
from typing import Literal

import pytest
from annlab.schemas.common import (
    ErrorEvent,
    EventModel,
    ParamsModel,
    PlayerStateEvent,
    client_message_adapter,
)
from annlab.streaming.session import PlayerSession, RunEvents
from fastapi import FastAPI, WebSocket
from fastapi.testclient import TestClient

SESSION_LOGGER = "annlab.streaming.session"


class NumberEvent(EventModel):
    type: Literal["number"] = "number"
    run: str
    value: int


class SetupEvent(EventModel):
    type: Literal["setup"] = "setup"
    run: str


class StartMessage(ParamsModel):
    type: Literal["start"]
    label: str = "a"
    count: int = 3
    steps_per_second: float = 1000.0
    autoplay: bool = False


class PingMessage(ParamsModel):
    """A lesson message that the session below does not handle."""

    type: Literal["ping"]


class CountingSession(PlayerSession):
    """Plays `count` numbers after one setup event and rejects a negative count."""

    lesson_name = "Counting"
    client_messages = client_message_adapter(StartMessage, PingMessage)

    def create_run(self, message: StartMessage) -> RunEvents:
        if message.count < 0:
            raise ValueError(f"count must not be negative, got {message.count}")
        events = (
            NumberEvent(run=message.label, value=value)
            for value in range(message.count)
        )
        return RunEvents(events, setup=[SetupEvent(run=message.label)])


EVENT_MODELS = {
    "number": NumberEvent,
    "setup": SetupEvent,
    "state": PlayerStateEvent,
    "error": ErrorEvent,
}


@pytest.fixture
def session_client():
    app = FastAPI()

    @app.websocket("/ws/counting")
    async def stream_counting(websocket: WebSocket) -> None:
        await CountingSession(websocket).serve()

    with TestClient(app) as test_client:
        yield test_client


def receive_event(websocket):
    payload = websocket.receive_json()
    return EVENT_MODELS[payload["type"]].model_validate(payload)


def start_paused(websocket, label="a", count=3):
    """Start a run without autoplay and return its setup, first event and state."""
    websocket.send_json({"type": "start", "label": label, "count": count})
    return receive_event(websocket), receive_event(websocket), receive_event(websocket)


def test_start_sends_setup_then_first_event(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        setup, first, state = start_paused(websocket)
        assert setup == SetupEvent(run="a")
        assert first == NumberEvent(run="a", value=0)
        assert (state.status, state.index, state.num_events) == ("paused", 0, 1)


def test_autoplay_plays_every_event(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        websocket.send_json({"type": "start", "count": 4, "autoplay": True})
        assert receive_event(websocket).type == "setup"
        assert receive_event(websocket).status == "playing"
        values = []
        while (event := receive_event(websocket)).type == "number":
            values.append(event.value)
        assert values == [0, 1, 2, 3]
        assert event.status == "finished"


def test_prev_never_resends_setup(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        start_paused(websocket)
        websocket.send_json({"type": "step"})
        assert receive_event(websocket).value == 1
        assert receive_event(websocket).index == 1
        websocket.send_json({"type": "prev"})
        assert receive_event(websocket) == NumberEvent(run="a", value=0)
        assert receive_event(websocket).index == 0
        websocket.send_json({"type": "prev"})
        assert receive_event(websocket) == NumberEvent(run="a", value=0)
        assert receive_event(websocket).index == 0


def test_control_before_start_is_error(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        for message_type in ("pause", "step", "ping"):
            websocket.send_json({"type": message_type})
            error = receive_event(websocket)
            assert error.type == "error"
            assert error.message == f'Send "start" before "{message_type}".'


def test_invalid_messages_keep_connection_open(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        websocket.send_text("{not json")
        assert "not valid JSON" in receive_event(websocket).message

        websocket.send_json(["start"])
        assert '"type" field' in receive_event(websocket).message

        websocket.send_json({"type": "jump"})
        assert receive_event(websocket).type == "error"

        websocket.send_json({"type": "start", "count": "many"})
        error = receive_event(websocket)
        assert error.errors[0].field == "count"

        _, first, _ = start_paused(websocket)
        assert first.value == 0


def test_unhandled_lesson_message_is_error(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        start_paused(websocket)
        websocket.send_json({"type": "ping"})
        error = receive_event(websocket)
        assert error.type == "error"
        assert error.message == 'Unsupported message "ping".'


def test_second_start_replaces_run(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        start_paused(websocket, label="a")
        websocket.send_json({"type": "step"})
        receive_event(websocket)
        receive_event(websocket)

        setup, first, state = start_paused(websocket, label="b", count=2)
        assert setup.run == "b"
        assert first == NumberEvent(run="b", value=0)
        assert (state.index, state.num_events) == (0, 1)

        websocket.send_json({"type": "step"})
        assert receive_event(websocket) == NumberEvent(run="b", value=1)
        state = receive_event(websocket)
        assert state.index == 1


def test_rejected_start_keeps_current_run(session_client):
    with session_client.websocket_connect("/ws/counting") as websocket:
        start_paused(websocket, label="a")
        websocket.send_json({"type": "start", "label": "b", "count": -1})
        error = receive_event(websocket)
        assert error.type == "error"
        assert error.message == "count must not be negative, got -1"

        websocket.send_json({"type": "step"})
        assert receive_event(websocket) == NumberEvent(run="a", value=1)
        assert receive_event(websocket).index == 1


def test_runs_logged_with_short_ids(session_client, caplog):
    caplog.set_level(logging.INFO, logger=SESSION_LOGGER)
    with session_client.websocket_connect("/ws/counting") as websocket:
        start_paused(websocket, label="a")
        websocket.send_json({"type": "start", "count": -1})
        receive_event(websocket)
        start_paused(websocket, label="b", count=1)

    lines = [
        record.getMessage()
        for record in caplog.records
        if record.name == SESSION_LOGGER
    ]
    assert len(lines) == 5
    pattern = re.compile(r"Counting run ([0-9a-f]{8}) (started|rejected|ended): (.*)")
    matches = [pattern.fullmatch(line) for line in lines]
    assert all(matches), lines
    kinds = [match[2] for match in matches]
    assert kinds == ["started", "rejected", "ended", "started", "ended"]

    run_ids = [match[1] for match in matches]
    assert run_ids[0] == run_ids[2]
    assert run_ids[3] == run_ids[4]
    assert len({run_ids[0], run_ids[1], run_ids[3]}) == 3

    assert '"label":"a"' in matches[0][3]
    assert matches[2][3] == "stopped after 1 events"
    assert matches[4][3] == "stopped after 1 events"
