"""StepPlayer: playback order, pause, step, seek and lazy pulling."""

import asyncio
from typing import Literal

from annlab.schemas.common import EventModel, PlayerStateEvent
from annlab.streaming.player import StepPlayer


class NumberEvent(EventModel):
    type: Literal["number"] = "number"
    value: int


class Recorder:
    def __init__(self):
        self.events = []

    async def __call__(self, event):
        self.events.append(event)

    def values(self):
        return [event.value for event in self.events if event.type == "number"]

    def states(self):
        return [event for event in self.events if isinstance(event, PlayerStateEvent)]


def numbers(count, pulled=None):
    for value in range(count):
        if pulled is not None:
            pulled.append(value)
        yield NumberEvent(value=value)


def test_play_sends_all_events_then_finishes(run_async):
    async def scenario():
        recorder = Recorder()
        player = StepPlayer(numbers(5), recorder, steps_per_second=1000)
        await player.play()
        await player._play_task
        return recorder, player

    recorder, player = run_async(scenario())
    assert recorder.values() == [0, 1, 2, 3, 4]
    assert player.status == "finished"
    assert recorder.states()[-1].is_complete is True
    assert recorder.states()[-1].num_events == 5


def test_step_pulls_lazily(run_async):
    async def scenario():
        pulled = []
        recorder = Recorder()
        player = StepPlayer(numbers(100, pulled), recorder)
        await player.step()
        await player.step()
        return pulled, recorder

    pulled, recorder = run_async(scenario())
    assert pulled == [0, 1]
    assert recorder.values() == [0, 1]


def test_seek_and_prev_resend_history(run_async):
    async def scenario():
        recorder = Recorder()
        player = StepPlayer(numbers(10), recorder)
        for _ in range(4):
            await player.step()
        await player.prev()
        await player.seek(0)
        await player.seek(7)
        await player.seek(50)
        return recorder, player

    recorder, player = run_async(scenario())
    assert recorder.values() == [0, 1, 2, 3, 2, 0, 7, 9]
    assert player.index == 9
    assert player.is_complete is True


def test_pause_stops_sending(run_async):
    async def scenario():
        recorder = Recorder()
        player = StepPlayer(numbers(1000), recorder, steps_per_second=200)
        await player.play()
        await asyncio.sleep(0.05)
        await player.pause()
        count = len(recorder.values())
        await asyncio.sleep(0.1)
        return count, recorder, player

    count, recorder, player = run_async(scenario())
    assert 0 < count < 1000
    assert len(recorder.values()) == count
    assert player.status == "paused"


def test_stop_ignores_later_steps(run_async):
    async def scenario():
        recorder = Recorder()
        player = StepPlayer(numbers(10), recorder)
        await player.step()
        await player.stop()
        await player.step()
        await player.play()
        return recorder, player

    recorder, player = run_async(scenario())
    assert recorder.values() == [0]
    assert player.status == "stopped"


def failing_after(count):
    yield from numbers(count)
    raise ValueError("loss is not finite")


def test_engine_failure_sends_error_and_stops(run_async):
    async def scenario():
        recorder = Recorder()
        player = StepPlayer(failing_after(2), recorder, steps_per_second=1000)
        await player.play()
        await player._play_task
        return recorder, player

    recorder, player = run_async(scenario())
    assert recorder.values() == [0, 1]
    errors = [event for event in recorder.events if event.type == "error"]
    assert len(errors) == 1
    assert "loss is not finite" in errors[0].message
    assert player.status == "stopped"
    assert recorder.states()[-1].status == "stopped"


def test_step_past_end_stays_finished(run_async):
    async def scenario():
        recorder = Recorder()
        player = StepPlayer(numbers(2), recorder)
        for _ in range(4):
            await player.step()
        return recorder, player

    recorder, player = run_async(scenario())
    assert recorder.values() == [0, 1]
    assert player.status == "finished"
    assert recorder.states()[-1].status == "finished"
