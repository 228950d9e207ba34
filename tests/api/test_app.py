"""Health, OpenAPI and the single-page app's routes."""

import pytest
from annlab.schemas.common import FieldError


def test_read_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"]


def test_openapi_page_lists_lessons(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/perceptron/trace" in paths


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/perceptron",
        "/gradient-descent",
        "/backprop",
        "/playground",
        "/gan",
        "/biggan",
    ],
)
def test_lesson_paths_serve_the_app(live_server, path):
    import httpx

    response = httpx.get(f"{live_server.url}{path}")
    assert response.status_code == 200
    assert '<div id="app"' in response.text or '<main id="app"' in response.text


def test_unknown_api_path_is_404_not_page(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_static_path_outside_build_is_not_served(client):
    response = client.get("/../pyproject.toml")
    assert "annlab" not in response.text or response.status_code == 404


def test_validator_error_is_json_422():
    from annlab.api.errors import install_error_handlers
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from pydantic import BaseModel, field_validator

    class Body(BaseModel):
        name: str

        @field_validator("name")
        @classmethod
        def reject_blank(cls, value: str) -> str:
            if not value.strip():
                raise ValueError("name must not be blank")
            return value

    app = FastAPI()
    install_error_handlers(app)

    @app.post("/echo")
    def echo(body: Body) -> Body:
        return body

    response = TestClient(app).post("/echo", json={"name": "  "})
    assert response.status_code == 422
    assert "name must not be blank" in response.json()["message"]
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_get_on_post_endpoint_is_405(client):
    response = client.get("/api/perceptron/trace")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_malformed_json_names_position(client):
    response = client.post(
        "/api/perceptron/trace",
        content='{"epochs": 3,,}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert "not valid JSON" in message
    assert "at character 13" in message


def test_long_input_is_truncated_in_422(client):
    response = client.post("/api/perceptron/trace", json={"dataset": "x" * 100_000})
    assert response.status_code == 422
    assert len(response.content) < 2_000
    assert response.json()["detail"][0]["loc"] == ["body", "dataset"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"bias": "maybe"}, 'bias: must be true or false, got "maybe"'),
        ({"dataset": "circle"}, "dataset: must be 'linear' or 'xor', got \"circle\""),
        ({"momentum": 0.9}, "momentum: is not a known field, got 0.9"),
        ({"epochs": 5000}, "epochs: must be from 1 to 1000, got 5000"),
    ],
)
def test_422_message_names_field_and_value(client, body, expected):
    response = client.post("/api/perceptron/trace", json=body)
    assert response.status_code == 422
    assert response.json()["message"] == f"Invalid request. {expected}"


def test_422_message_names_missing_field(client):
    response = client.post("/api/biggan/resolve", json={})
    assert response.status_code == 422
    assert response.json()["message"] == "Invalid request. label: is required"


def test_body_sent_as_text_is_explained(client):
    response = client.post(
        "/api/perceptron/trace",
        content='{"epochs": 2}',
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Invalid request. The request body must be a JSON object sent with "
        "Content-Type: application/json."
    )


def test_missing_body_is_explained(client):
    response = client.post("/api/biggan/samples")
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Invalid request. The request body is missing: "
        "send the parameters as a JSON object."
    )


def test_sample_path_with_bad_epoch_is_explained(client):
    response = client.get("/api/gan/runs/000000000000/samples/abc.png")
    assert response.status_code == 422
    assert response.json()["message"] == (
        'Invalid request. epoch: must be a whole number, got "abc"'
    )


def test_422_errors_list_matches_socket_shape(client):
    response = client.post("/api/perceptron/trace", json={"epochs": 0, "bias": 2})
    assert response.status_code == 422
    errors = [FieldError.model_validate(item) for item in response.json()["errors"]]
    assert [error.field for error in errors] == ["epochs", "bias"]
    assert errors[0].message == "must be from 1 to 1000, got 0"
    assert errors[1].message == "must be true or false, got 2"
    assert errors[1].input == 2
