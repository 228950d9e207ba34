"""The perceptron lesson's WebSocket session: the dataset, then one event per step."""

from annlab.lessons.perceptron import stream_events
from annlab.schemas.perceptron import StartMessage, client_messages
from annlab.streaming.session import PlayerSession, RunEvents


class PerceptronSession(PlayerSession):
    """Plays the dataset event, one step event per sample presented, then done."""

    lesson_name = "Perceptron"
    client_messages = client_messages

    def create_run(self, message: StartMessage) -> RunEvents:
        return RunEvents(stream_events(message.params))
