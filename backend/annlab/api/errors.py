"""HTTP error bodies that stay valid JSON and name what was wrong."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from annlab.schemas.common import field_errors, json_safe, summarize_errors


async def handle_validation_error(
    request: Request, error: RequestValidationError
) -> JSONResponse:
    """Answer 422 with FastAPI's usual `detail` list plus a one-line `message`.

    A NaN or infinite input is echoed as the string "nan" or "inf", because the
    standard handler would fail to encode it and answer 500 instead.
    """
    details = [
        {key: json_safe(value) for key, value in item.items() if key != "url"}
        for item in error.errors()
    ]
    # The first location item says where the value came from (body, query, path).
    message = summarize_errors(field_errors(details, skip_prefix=1), "request")
    return JSONResponse(
        status_code=422,
        content={"detail": details, "message": message},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, handle_validation_error)
