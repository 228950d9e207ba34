"""Fan events of long-running jobs out to any number of viewers.

Events go to named channels (one per run). Each channel keeps its history, so
a viewer that subscribes late first receives every event so far, then live
ones. Every viewer has its own queue, so a slow viewer delays nobody else:

- a durable event (an epoch's results, a status change) is always delivered;
- a transient event (progress) replaces a transient event still waiting at
  the end of that viewer's queue, and the history keeps only the newest one
  published since the last durable event.

A viewer whose backlog of durable events passes `max_backlog` is cut off
rather than let its queue grow without bound.

`publish` may be called from any thread. Subscriptions are consumed on the
event loop given to the hub.
"""

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

# NOTE: Sized to hold the whole history of a 500-epoch run several times over.
DEFAULT_MAX_BACKLOG = 10_000


@dataclass
class _Entry:
    event: Any
    durable: bool


@dataclass
class _Channel:
    history: list[_Entry]
    subscriptions: set["Subscription"] = field(default_factory=set)
    pinned: bool = False


class SubscriptionOverflow(Exception):
    """A viewer fell so far behind that its backlog passed the hub's limit."""


class Subscription:
    """One viewer's queue on a channel; iterate it with `async for`.

    Iteration ends when the hub closes. It raises SubscriptionOverflow when
    the viewer fell too far behind. Leave with `close()` or `async with`.
    """

    def __init__(self, hub: "Hub", channel: str, history: list[_Entry]) -> None:
        self._hub = hub
        self.channel = channel
        self._queue: deque[_Entry] = deque(history)
        self._wakeup = asyncio.Event()
        self._closed = False
        self._overflowed = False

    def __aiter__(self) -> "Subscription":
        return self

    async def __anext__(self) -> Any:
        while True:
            with self._hub._lock:
                if self._overflowed:
                    raise SubscriptionOverflow(
                        f"Viewer of {self.channel} fell more than "
                        f"{self._hub.max_backlog} events behind."
                    )
                if self._queue:
                    return self._queue.popleft().event
                if self._closed:
                    raise StopAsyncIteration
                self._wakeup.clear()
            await self._wakeup.wait()

    async def __aenter__(self) -> "Subscription":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._hub._unsubscribe(self)

    def _offer(self, entry: _Entry) -> None:
        """Queue `entry`; the caller holds the hub's lock."""
        if not entry.durable and self._queue and not self._queue[-1].durable:
            self._queue[-1] = entry
        else:
            self._queue.append(entry)
            if len(self._queue) > self._hub.max_backlog:
                self._queue.clear()
                self._overflowed = True
        self._hub._wake(self)

    def _end(self) -> None:
        """Mark the stream finished; the caller holds the hub's lock."""
        self._closed = True
        self._hub._wake(self)


class Hub:
    """Channels of events with history, fed from any thread.

    `load_history(channel)` returns the durable events of a channel that has
    no history in memory yet (for example a run finished by an earlier server
    process). It is called with the hub's lock held, so it must not publish.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        load_history: Callable[[str], list[Any]],
        max_backlog: int = DEFAULT_MAX_BACKLOG,
    ) -> None:
        self._loop = loop
        self._load_history = load_history
        self.max_backlog = max_backlog
        self._lock = threading.Lock()
        self._channels: dict[str, _Channel] = {}
        self._closed = False

    def open_channel(self, channel: str) -> None:
        """Keep `channel` and its history in memory until `release_channel`.

        A job opens its channel before it publishes anything, so the history
        loaded for a new channel can never repeat one of its live events.
        """
        with self._lock:
            self._channel(channel).pinned = True

    def release_channel(self, channel: str) -> None:
        """Let `channel` be dropped once its last viewer leaves."""
        with self._lock:
            state = self._channels.get(channel)
            if state is None:
                return
            state.pinned = False
            self._drop_if_unused(channel, state)

    def publish(self, channel: str, event: Any, durable: bool) -> None:
        """Send `event` to every viewer of `channel` and add it to the history."""
        entry = _Entry(event, durable)
        with self._lock:
            if self._closed:
                return
            state = self._channel(channel)
            if durable:
                if state.history and not state.history[-1].durable:
                    state.history.pop()
                state.history.append(entry)
            elif state.history and not state.history[-1].durable:
                state.history[-1] = entry
            else:
                state.history.append(entry)
            for subscription in state.subscriptions:
                subscription._offer(entry)
            self._drop_if_unused(channel, state)

    def subscribe(self, channel: str) -> Subscription:
        """Start a viewer's queue, filled first with the channel's history."""
        with self._lock:
            state = self._channel(channel)
            subscription = Subscription(self, channel, list(state.history))
            if self._closed:
                subscription._end()
            else:
                state.subscriptions.add(subscription)
            return subscription

    def viewer_count(self, channel: str) -> int:
        with self._lock:
            state = self._channels.get(channel)
            return len(state.subscriptions) if state is not None else 0

    def close(self) -> None:
        """End every subscription; later publishes are ignored."""
        with self._lock:
            self._closed = True
            for state in self._channels.values():
                for subscription in state.subscriptions:
                    subscription._end()
                state.subscriptions.clear()

    def _channel(self, channel: str) -> _Channel:
        state = self._channels.get(channel)
        if state is None:
            history = [_Entry(event, True) for event in self._load_history(channel)]
            state = self._channels[channel] = _Channel(history)
        return state

    def _unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            subscription._closed = True
            state = self._channels.get(subscription.channel)
            if state is None:
                return
            state.subscriptions.discard(subscription)
            self._drop_if_unused(subscription.channel, state)

    def _drop_if_unused(self, channel: str, state: _Channel) -> None:
        if not state.pinned and not state.subscriptions:
            del self._channels[channel]

    def _wake(self, subscription: Subscription) -> None:
        try:
            self._loop.call_soon_threadsafe(subscription._wakeup.set)
        except RuntimeError:
            # The loop has closed during shutdown; nobody is waiting any more.
            logger.debug(
                "Event loop closed; viewer of %s not woken", subscription.channel
            )
