"""Pieces shared by every lesson's parameter and event models."""

import json
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
)
from pydantic_core import PydanticCustomError, core_schema

# Every event and parameter set carries this, so stored runs and clients can
# tell which shape of message they hold.
SCHEMA_VERSION = 1


class ParamsModel(BaseModel):
    """Base of parameter models: unknown fields, NaN and infinity are rejected."""

    # Strict: "0.1" is not a float, true is not an integer, 3.5 is not an
    # integer. JSON integers are still accepted for float fields.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class EventModel(BaseModel):
    """Base of event and response models sent to clients."""

    model_config = ConfigDict(extra="forbid")


def _finite_or_none(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


# A float that is sent as null when it is NaN or infinite: browsers' JSON.parse
# rejects the bare NaN and Infinity tokens that Python's json module writes.
JsonFloat = Annotated[
    float | None, PlainSerializer(_finite_or_none, return_type=float | None)
]


# Longest text of a rejected input echoed back in an error message.
MAX_ECHOED_INPUT_CHARS = 200


def _truncate(text: str) -> str:
    if len(text) <= MAX_ECHOED_INPUT_CHARS:
        return text
    return f"{text[:MAX_ECHOED_INPUT_CHARS]}... ({len(text)} characters)"


def truncate_input(value: Any) -> Any:
    """Shorten a long string, or the text of a large JSON value, for an error body."""
    if isinstance(value, str):
        return _truncate(value)
    if isinstance(value, dict | list):
        text = json.dumps(value)
        return value if len(text) <= MAX_ECHOED_INPUT_CHARS else _truncate(text)
    return value


def _describe_input(value: Any) -> str:
    """Write a rejected input as the client sent it: JSON where possible."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return _truncate(text)


def _format_number(value: float) -> str:
    text = f"{value:g}"
    # %g keeps 6 significant digits; a whole number it would round, such as a
    # seed limit of 2147483647 (2.14748e+09), is written in full.
    if float(text) != value and float(value).is_integer():
        return str(int(value))
    return text


@dataclass(frozen=True)
class Within:
    """Bounds for a number field, used as `Annotated[float, Within(1e-4, 1.0)]`.

    Unlike `Field(ge=..., le=...)`, a rejected value, NaN included, gets one
    message with the whole allowed range: "must be from 0.0001 to 1, got 5".
    The bounds also appear in the JSON schema as `minimum` and `maximum`.
    """

    minimum: float
    maximum: float

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Floats accept NaN here so that the range check can reject it with the
        # same message as any other out-of-range value.
        inner = (
            core_schema.float_schema(allow_inf_nan=True, strict=True)
            if source is float
            else handler(source)
        )
        checked = core_schema.no_info_after_validator_function(self._check, inner)
        kind = "a whole number" if source is int else "a number"
        return core_schema.no_info_wrap_validator_function(
            lambda value, validate: self._explain_type_error(value, validate, kind),
            checked,
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        json_schema = handler(schema)
        json_schema.update(minimum=self.minimum, maximum=self.maximum)
        return json_schema

    def _explain_type_error(
        self, value: Any, validate: ValidatorFunctionWrapHandler, kind: str
    ) -> Any:
        """Validate `value`; a value of the wrong type gets the range message too."""
        try:
            return validate(value)
        except ValidationError as error:
            if any(item["type"] == "out_of_range" for item in error.errors()):
                raise
            raise PydanticCustomError(
                "invalid_number",
                "must be {kind} from {minimum} to {maximum}, got {value}",
                {
                    "kind": kind,
                    "minimum": _format_number(self.minimum),
                    "maximum": _format_number(self.maximum),
                    "value": _describe_input(value),
                },
            ) from None

    def _check(self, value: float) -> float:
        if not self.minimum <= value <= self.maximum:
            raise PydanticCustomError(
                "out_of_range",
                "must be from {minimum} to {maximum}, got {value}",
                {
                    "minimum": _format_number(self.minimum),
                    "maximum": _format_number(self.maximum),
                    "value": value,
                },
            )
        return value


class FieldError(EventModel):
    """One rejected value: the field's dotted path, the reason and the value sent."""

    field: str
    message: str
    input: Any = None


class ErrorEvent(EventModel):
    """Sent on a WebSocket when a client message is invalid; the socket stays open."""

    type: Literal["error"] = "error"
    message: str
    errors: list[FieldError] = []


def json_safe(value: Any) -> Any:
    """Make `value` encodable as strict JSON, at any depth.

    NaN and infinite floats become their names ("nan", "inf"), and objects that
    JSON has no type for, such as the exception a validator raised, become
    their text.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# Expected value of each pydantic type error. Pydantic's own messages
# ("Input should be a valid boolean") leave out the value that was sent.
_EXPECTED_BY_ERROR_TYPE = {
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "string_type": "must be a string",
    "dict_type": "must be a JSON object",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "list_type": "must be a list",
    "extra_forbidden": "is not a known field",
}


def describe_error(item: dict[str, Any]) -> str:
    """Write one pydantic error as "must be ..., got <value>", or keep its message.

    Messages that already name the value, such as the range messages of
    `Within`, are kept as they are.
    """
    kind = item["type"]
    if kind == "missing":
        return "is required"
    sent = _describe_input(item.get("input"))
    if kind == "literal_error":
        return f"must be {item['ctx']['expected']}, got {sent}"
    if kind in _EXPECTED_BY_ERROR_TYPE:
        return f"{_EXPECTED_BY_ERROR_TYPE[kind]}, got {sent}"
    # A validator's own message ("value_error") is kept as it is written.
    if "input" in item and kind != "value_error" and "got" not in item["msg"]:
        return f"{item['msg']}, got {sent}"
    return item["msg"]


def field_errors(
    errors: list[dict[str, Any]], skip_prefix: int = 0
) -> list[FieldError]:
    """Turn pydantic error dicts into FieldErrors, dropping `skip_prefix` path items."""
    return [
        FieldError(
            field=".".join(str(part) for part in item["loc"][skip_prefix:]),
            message=describe_error(item),
            input=truncate_input(json_safe(item.get("input"))),
        )
        for item in errors
    ]


def summarize_errors(errors: list[FieldError], subject: str = "message") -> str:
    """Join errors into one line: "Invalid message. learning_rate: must be ..."."""
    parts = [
        f"{item.field}: {item.message}" if item.field else item.message
        for item in errors
    ]
    return " ".join([f"Invalid {subject}.", "; ".join(parts)]).strip()


def error_event_from_validation(
    error: ValidationError, skip_prefix: int = 0
) -> ErrorEvent:
    """Build the `error` event that answers an invalid WebSocket message."""
    errors = field_errors(error.errors(include_url=False), skip_prefix)
    return ErrorEvent(message=summarize_errors(errors), errors=errors)


# Controls shared by every lesson whose stream is played by a StepPlayer.
# A lesson adds its own `start` message, which carries its parameter model.
MIN_STEPS_PER_SECOND = 0.1
MAX_STEPS_PER_SECOND = 1000.0
DEFAULT_STEPS_PER_SECOND = 5.0


class PauseMessage(ParamsModel):
    type: Literal["pause"]


class ResumeMessage(ParamsModel):
    type: Literal["resume"]


class StepMessage(ParamsModel):
    """Send the next event, then stay paused."""

    type: Literal["step"]


class PrevMessage(ParamsModel):
    """Go back one event and send it again, then stay paused."""

    type: Literal["prev"]


class SeekMessage(ParamsModel):
    """Jump to an event already produced and send it, then stay paused."""

    type: Literal["seek"]
    index: Annotated[int, Within(0, 10_000_000)]


class SpeedMessage(ParamsModel):
    type: Literal["speed"]
    steps_per_second: Annotated[
        float, Within(MIN_STEPS_PER_SECOND, MAX_STEPS_PER_SECOND)
    ]


class StopMessage(ParamsModel):
    type: Literal["stop"]


CONTROL_MESSAGES = (
    PauseMessage,
    ResumeMessage,
    StepMessage,
    PrevMessage,
    SeekMessage,
    SpeedMessage,
    StopMessage,
)


def client_message_adapter(*lesson_messages: type[ParamsModel]) -> TypeAdapter:
    """Build the validator of a lesson's WebSocket messages.

    The union holds the lesson's own messages (at least `start`) and the shared
    controls, told apart by their `type` field.
    """
    union = Union[(*lesson_messages, *CONTROL_MESSAGES)]  # noqa: UP007
    return TypeAdapter(Annotated[union, Field(discriminator="type")])


PlayerStatus = Literal["playing", "paused", "finished", "stopped"]


class PlayerStateEvent(EventModel):
    """Sent whenever playback changes: after start, pause, resume, seek, speed and stop.

    `index` is the position of the last event sent (-1 before the first), and
    `num_events` how many events exist so far (more may follow while playing).
    """

    type: Literal["state"] = "state"
    status: PlayerStatus
    index: int
    num_events: int
    is_complete: bool
    steps_per_second: float
