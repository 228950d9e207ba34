"""Event hub: history for late viewers, coalescing for slow ones, threads and limits."""

import asyncio
import threading

import pytest
from annlab.runs.hub import Hub, SubscriptionOverflow


async def take(subscription, count, timeout=5.0):
    events = []
    for _ in range(count):
        events.append(await asyncio.wait_for(anext(subscription), timeout))
    return events


def make_hub(history=None, **options):
    stored = history or {}
    return Hub(
        asyncio.get_running_loop(),
        lambda channel: list(stored.get(channel, [])),
        **options,
    )


def test_late_viewer_gets_history_then_live(run_async):
    async def scenario():
        hub = make_hub()
        hub.open_channel("run")
        hub.publish("run", "queued", durable=True)
        hub.publish("run", "progress 1", durable=False)
        hub.publish("run", "epoch 1", durable=True)
        hub.publish("run", "progress 2", durable=False)
        hub.publish("run", "progress 3", durable=False)

        late = hub.subscribe("run")
        assert await take(late, 3) == ["queued", "epoch 1", "progress 3"]

        hub.publish("run", "epoch 2", durable=True)
        assert await take(late, 1) == ["epoch 2"]
        late.close()

    run_async(scenario())


def test_slow_viewer_progress_coalesced_durable_kept(run_async):
    async def scenario():
        hub = make_hub()
        hub.open_channel("run")
        slow = hub.subscribe("run")
        fast = hub.subscribe("run")

        received_fast = []
        for epoch in (1, 2):
            for batch in range(1, 51):
                hub.publish("run", f"progress {epoch}.{batch}", durable=False)
                received_fast += await take(fast, 1)
            hub.publish("run", f"epoch {epoch}", durable=True)
            received_fast += await take(fast, 1)
        hub.publish("run", "finished", durable=True)

        # The slow viewer reads only now: one progress event per gap survives.
        assert await take(slow, 5) == [
            "progress 1.50",
            "epoch 1",
            "progress 2.50",
            "epoch 2",
            "finished",
        ]
        assert len(received_fast) == 102
        assert received_fast[-1] == "epoch 2"
        slow.close()
        fast.close()

    run_async(scenario())


def test_publish_from_thread_wakes_viewer(run_async):
    async def scenario():
        hub = make_hub()
        hub.open_channel("run")
        viewer = hub.subscribe("run")

        def produce():
            for index in range(20):
                hub.publish("run", index, durable=True)

        waiting = asyncio.create_task(take(viewer, 20))
        await asyncio.sleep(0.05)
        producer = threading.Thread(target=produce)
        producer.start()
        assert await waiting == list(range(20))
        producer.join()
        viewer.close()

    run_async(scenario())


def test_viewers_are_independent(run_async):
    async def scenario():
        hub = make_hub()
        hub.open_channel("a")
        hub.open_channel("b")
        viewer_a = hub.subscribe("a")
        viewer_b = hub.subscribe("b")
        hub.publish("a", "for a", durable=True)
        hub.publish("b", "for b", durable=True)

        assert await take(viewer_a, 1) == ["for a"]
        assert await take(viewer_b, 1) == ["for b"]
        assert hub.viewer_count("a") == 1
        viewer_a.close()
        assert hub.viewer_count("a") == 0

    run_async(scenario())


def test_backlog_over_limit_cuts_viewer_off(run_async):
    async def scenario():
        hub = make_hub(max_backlog=5)
        hub.open_channel("run")
        stalled = hub.subscribe("run")
        for index in range(6):
            hub.publish("run", index, durable=True)

        with pytest.raises(SubscriptionOverflow, match="more than 5 events behind"):
            await take(stalled, 1)
        # A new viewer is not affected.
        fresh = hub.subscribe("run")
        assert await take(fresh, 6) == list(range(6))
        stalled.close()
        fresh.close()

    run_async(scenario())


def test_close_ends_iteration(run_async):
    async def scenario():
        hub = make_hub()
        hub.open_channel("run")
        viewer = hub.subscribe("run")
        hub.publish("run", "last", durable=True)
        hub.close()
        hub.publish("run", "ignored", durable=True)

        received = [event async for event in viewer]
        assert received == ["last"]
        after_close = [event async for event in hub.subscribe("run")]
        assert after_close == ["last"]

    run_async(scenario())


def test_released_channel_reloads_history(run_async):
    async def scenario():
        stored = {"run": ["epoch 1 (stored)", "finished (stored)"]}
        hub = make_hub(stored)
        viewer = hub.subscribe("run")
        assert await take(viewer, 2) == stored["run"]
        viewer.close()

        # Without viewers or an open job the channel is dropped, so the next
        # viewer sees the store's current history.
        stored["run"] = ["epoch 1 (stored)", "epoch 2 (stored)", "finished (stored)"]
        again = hub.subscribe("run")
        assert await take(again, 3) == stored["run"]
        again.close()

    run_async(scenario())


def test_open_channel_kept_without_viewers(run_async):
    async def scenario():
        stored = {"run": ["from store"]}
        hub = make_hub(stored)
        hub.open_channel("run")
        hub.publish("run", "live", durable=True)
        stored["run"] = ["changed store"]

        viewer = hub.subscribe("run")
        assert await take(viewer, 2) == ["from store", "live"]
        viewer.close()

        hub.release_channel("run")
        fresh = hub.subscribe("run")
        assert await take(fresh, 1) == ["changed store"]
        fresh.close()

    run_async(scenario())
