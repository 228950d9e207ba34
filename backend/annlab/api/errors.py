"""HTTP error bodies that stay valid JSON and name what was wrong."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from annlab.schemas.common import (
    FieldError,
    field_errors,
    json_safe,
    summarize_errors,
    truncate_input,
)


def _clean_detail(item: dict[str, Any]) -> dict[str, Any]:
    detail = {key: json_safe(value) for key, value in item.items() if key != "url"}
    # A 100 kB string sent by mistake should not come back as a 100 kB error.
    if "input" in detail:
        detail["input"] = truncate_input(detail["input"])
    return detail


def _describe_body_error(item: dict[str, Any]) -> str:
    """Explain an error about the whole request body rather than one field."""
    if item["type"] == "missing":
        return "The request body is missing: send the parameters as a JSON object."
    return (
        "The request body must be a JSON object sent with "
        "Content-Type: application/json."
    )


# Errors about the body as a whole: nothing arrived, or it is not an object.
_BODY_ERROR_TYPES = {"missing", "dict_type", "model_type", "model_attributes_type"}


def _describe(details: list[dict[str, Any]]) -> list[FieldError]:
    errors = []
    for item in details:
        if item["type"] == "json_invalid":
            # FastAPI puts the character position where a field name would be.
            position = item["loc"][-1]
            reason = (item.get("ctx") or {}).get("error", "invalid JSON")
            message = f"The body is not valid JSON: {reason} at character {position}."
            errors.append(FieldError(field="", message=message))
        elif list(item["loc"]) == ["body"] and item["type"] in _BODY_ERROR_TYPES:
            errors.append(FieldError(field="", message=_describe_body_error(item)))
        else:
            # The first location item names where the value came from (body,
            # query, path), so it is not part of the field name.
            errors.extend(field_errors([item], skip_prefix=1))
    return errors


async def handle_validation_error(
    request: Request, error: RequestValidationError
) -> JSONResponse:
    """Build the 422 response: FastAPI's usual `detail` list, a one-line
    `message`, and `errors` in the shape of a WebSocket error event's list.

    A NaN or infinite input is echoed as the string "nan" or "inf", because the
    standard handler would fail to encode it and answer 500 instead.
    """
    details = [_clean_detail(item) for item in error.errors()]
    errors = _describe(details)
    return JSONResponse(
        status_code=422,
        content={
            "detail": details,
            "message": summarize_errors(errors, "request"),
            "errors": [item.model_dump() for item in errors],
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, handle_validation_error)
