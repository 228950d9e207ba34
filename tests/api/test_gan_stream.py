"""GAN runs on a live server: WebSocket viewers, and recovery after a crash."""

import asyncio
import json
import time

import httpx
import pytest
import websockets
from annlab.engines.gan.fashion_mnist import DEBIAN_DIR, FILE_NAMES
from annlab.schemas.common import ErrorEvent
from annlab.schemas.gan import GanEpochEvent, GanProgressEvent, GanStatusEvent

pytestmark = pytest.mark.skipif(
    not all((DEBIAN_DIR / name).is_file() for name in FILE_NAMES),
    reason="Debian's dataset-fashion-mnist package is not installed",
)

QUICK = {"batch_size": 32, "batches_per_epoch": 3, "test_batches": 1, "device": "cpu"}
EVENT_MODELS = {
    "progress": GanProgressEvent,
    "epoch": GanEpochEvent,
    "status": GanStatusEvent,
    "error": ErrorEvent,
}
WAIT_SECONDS = 120.0


@pytest.fixture
def teacher(settings):
    """Authorization header with the token that live servers of the tests use."""
    return {"Authorization": f"Bearer {settings.teacher_token}"}


def create_run(server, teacher, **params):
    response = httpx.post(
        f"{server.url}/api/gan/runs", json={**QUICK, **params}, headers=teacher
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def read_run(server, run_id):
    return httpx.get(f"{server.url}/api/gan/runs/{run_id}").json()


def wait_for_run(server, run_id, statuses, min_epochs=0):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run = read_run(server, run_id)
        if run["status"] in statuses and run["epochs_done"] >= min_epochs:
            return run
        time.sleep(0.1)
    raise AssertionError(
        f"Run {run_id}: {run['status']} after {run['epochs_done']} epochs"
    )


async def watch(url, start_reading=None, seconds_per_message=0.0):
    """Read events until the run's final status; return them and the finish time.

    With `start_reading`, the viewer connects at once but reads nothing until
    that asyncio.Event is set, like a browser tab that stalls.
    """
    events = []
    async with websockets.connect(url) as websocket:
        if start_reading is not None:
            await asyncio.wait_for(start_reading.wait(), WAIT_SECONDS)
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                payload = json.loads(await websocket.recv())
                event = EVENT_MODELS[payload["type"]].model_validate(payload)
                events.append(event)
                if event.type == "status" and event.status in ("finished", "failed"):
                    return events, time.monotonic()
                await asyncio.sleep(seconds_per_message)


def durable(events):
    return [
        (event.type, event.status if event.type == "status" else event.epoch)
        for event in events
        if event.type != "progress"
    ]


def test_two_viewers_one_late_one_slow(live_server, teacher, run_async):
    run_id = create_run(live_server, teacher, epochs=4)
    url = f"{live_server.ws_url}/ws/gan/runs/{run_id}"

    async def scenario():
        fast_finished = asyncio.Event()

        async def fast_viewer():
            result = await watch(url)
            fast_finished.set()
            return result

        fast = asyncio.create_task(fast_viewer())
        while read_run(live_server, run_id)["epochs_done"] < 1:
            await asyncio.sleep(0.05)
        # Joins late, then reads nothing until the fast viewer has seen the end.
        slow = asyncio.create_task(
            watch(url, start_reading=fast_finished, seconds_per_message=0.05)
        )
        return await fast, await slow

    (fast_events, fast_done), (slow_events, slow_done) = run_async(scenario())

    expected = [
        ("status", "queued"),
        ("status", "running"),
        ("epoch", 1),
        ("epoch", 2),
        ("epoch", 3),
        ("epoch", 4),
        ("status", "finished"),
    ]
    assert durable(fast_events) == expected
    # The late viewer first receives the history, so it misses nothing either.
    assert durable(slow_events) == expected
    assert slow_events[2].type == "epoch"
    # The run and the fast viewer reached the end while the slow one read nothing.
    assert fast_done < slow_done

    progress = [event for event in fast_events if event.type == "progress"]
    assert progress, "no progress events"
    for event in progress:
        assert 1 <= event.batch <= event.batches_per_epoch == 3
        assert event.epochs == 4
    positions = [(event.epoch, event.batch) for event in progress]
    assert positions == sorted(positions)

    epoch_urls = [event.sample_url for event in fast_events if event.type == "epoch"]
    for sample_url in epoch_urls:
        assert httpx.get(f"{live_server.url}{sample_url}").status_code == 200


def test_viewer_of_finished_run_gets_history(live_server, teacher, run_async):
    run_id = create_run(live_server, teacher, epochs=2)
    wait_for_run(live_server, run_id, {"finished"})

    events, _ = run_async(watch(f"{live_server.ws_url}/ws/gan/runs/{run_id}"))

    # A run that no one watched since it ended is replayed from the database:
    # its epochs, then its current status.
    assert durable(events) == [("epoch", 1), ("epoch", 2), ("status", "finished")]
    assert events[-1].epoch == 2
    assert events[-1].device.startswith("cpu")


def test_viewer_of_unknown_run_gets_error(live_server, run_async):
    async def scenario():
        async with websockets.connect(
            f"{live_server.ws_url}/ws/gan/runs/000000000000"
        ) as ws:
            message = json.loads(await ws.recv())
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await ws.recv()
            return message, closed.value.rcvd.code

    message, code = run_async(scenario())

    assert message["type"] == "error"
    assert "not found" in message["message"]
    assert code == 4404


def test_viewer_messages_get_read_only_error(live_server, teacher, run_async):
    run_id = create_run(live_server, teacher, epochs=1)
    wait_for_run(live_server, run_id, {"finished"})
    # The run has ended, so after its history the stream sends only replies.
    messages = ["garbage", json.dumps({"type": "stop"}), b"\x00\xffbinary", "again"]

    async def scenario():
        async with websockets.connect(
            f"{live_server.ws_url}/ws/gan/runs/{run_id}"
        ) as ws:
            history = [json.loads(await ws.recv()) for _ in range(2)]
            replies = []
            for message in messages:
                await ws.send(message)
                async with asyncio.timeout(WAIT_SECONDS):
                    replies.append(json.loads(await ws.recv()))
            return history, replies

    history, replies = run_async(scenario())

    assert [event["type"] for event in history] == ["epoch", "status"]
    # One reply per message, so the binary frame left the connection open.
    assert len(replies) == len(messages)
    for reply in replies:
        error = ErrorEvent.model_validate(reply)
        assert "read-only" in error.message
        assert "teacher token" in error.message
        assert "/api/gan/runs/{id}/stop" in error.message
    assert read_run(live_server, run_id)["status"] == "finished"


def test_killed_server_run_resumes(start_live_server, tmp_path, teacher):
    data_dir = tmp_path / "shared-data"
    first = start_live_server(data_dir=data_dir)
    run_id = create_run(first, teacher, epochs=4, batches_per_epoch=2)
    wait_for_run(first, run_id, {"running"}, min_epochs=1)

    first.process.kill()
    first.process.wait()
    second = start_live_server(data_dir=data_dir)

    interrupted = read_run(second, run_id)
    assert interrupted["status"] == "interrupted"
    assert interrupted["epochs_done"] >= 1
    assert "unfinished at start-up" in second.log()

    response = httpx.post(f"{second.url}/api/gan/runs/{run_id}/resume", headers=teacher)
    assert response.status_code == 200
    finished = wait_for_run(second, run_id, {"finished"})
    assert [epoch["epoch"] for epoch in finished["epochs"]] == list(range(1, 5))
