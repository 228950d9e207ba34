"""Backpropagation REST endpoints: trace, parse and parameters."""

import pytest
from annlab.schemas.backprop import BackpropTrace, ParseResult

DEFAULT_LEAVES = {
    "x1": {"value": 1.5, "role": "input"},
    "w1": {"value": 0.5, "role": "trainable"},
    "b1": {"value": 2.0, "role": "trainable"},
    "w2": {"value": 0.5, "role": "trainable"},
    "b2": {"value": -2.0, "role": "trainable"},
    "y": {"value": 5.4, "role": "target"},
}


def post_trace(client, body=None):
    if body is None:
        return client.post("/api/backprop/trace")
    return client.post("/api/backprop/trace", json=body)


def test_create_trace_without_body_is_default_example(client):
    response = post_trace(client)
    assert response.status_code == 200
    trace = BackpropTrace.model_validate(response.json())
    assert trace.loss == pytest.approx(36.300625)
    assert trace.gradients == pytest.approx(
        {"w1": -9.0375, "b1": -6.025, "w2": -33.1375, "b2": -12.05}
    )
    assert trace.params.leaves["w1"].role == "trainable"
    assert "loss = (y_hat - y)^2" in trace.params.expression


def test_create_trace_inline_expression_with_leaves(client):
    body = {
        "expression": "loss = (relu(x1*w1 + b1)*w2 + b2 - y)^2",
        "leaves": DEFAULT_LEAVES,
        "learning_rate": 0.05,
    }
    response = post_trace(client, body)
    assert response.status_code == 200
    trace = BackpropTrace.model_validate(response.json())
    assert trace.loss == pytest.approx(36.300625)
    assert trace.gradients["w1"] == pytest.approx(-9.0375)
    assert trace.update.learning_rate == 0.05
    assert trace.update.new_loss < trace.loss


def test_create_trace_new_values_for_default_expression(client):
    leaves = {**DEFAULT_LEAVES, "y": {"value": -0.625, "role": "target"}}
    trace = post_trace(client, {"leaves": leaves}).json()
    assert trace["loss"] == pytest.approx(0.0)
    assert trace["gradients"]["w1"] == pytest.approx(0.0)


def test_create_trace_nodes_edges_and_events(client):
    trace = post_trace(client, {"expression": "x * x", "leaves": {"x": {"value": 3}}})
    body = trace.json()
    assert [node["label"] for node in body["nodes"]] == ["x", "x * x"]
    assert [node["role"] for node in body["nodes"]] == ["input", "loss"]
    assert len(body["edges"]) == 2
    assert [event["type"] for event in body["forward"]] == ["forward"]
    assert [event["type"] for event in body["backward"]] == ["backward", "backward"]
    assert body["backward"][1]["grad"] == 6.0
    assert body["update"] is None
    assert body["gradients"] == {}


def test_create_trace_negative_base_power(client):
    body = post_trace(client, {"expression": "(-2)^(-3)"}).json()
    assert body["loss"] == -0.125
    base = next(node for node in body["nodes"] if node["label"] == "-2")
    step = next(event for event in body["backward"] if event["node"] == base["id"])
    assert step["grad"] == -0.1875


@pytest.mark.parametrize(
    ("body", "node_label", "fragment"),
    [
        (
            {"expression": "1/x", "leaves": {"x": {"value": 0}}},
            "1/x",
            "divides by zero",
        ),
        ({"expression": "(-8)^(1/3)"}, "(-8)^(1/3)", "not a real number"),
    ],
)
def test_create_trace_rejects_undefined_value_naming_node(
    client, body, node_label, fragment
):
    response = post_trace(client, body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "expression"]
    assert fragment in detail["msg"]
    assert f"Cannot compute {node_label} because" in detail["msg"]
    assert detail["ctx"]["node"] is not None
    assert detail["ctx"]["node"] not in detail["msg"]
    assert detail["ctx"]["position"] == 0
    assert "expression" in response.json()["message"]


@pytest.mark.parametrize(
    ("expression", "leaves", "node_text"),
    [
        ("loss = 1/x", {"x": 1e-200}, "loss = 1/x"),
        ("loss = x/y", {"x": 1.0, "y": 1e-170}, "loss = x/y"),
        ("loss = x/1e-300/1e-300", {"x": 1.0}, "x/1e-300"),
        ("loss = 1/(x*x)", {"x": 1e-200}, "loss = 1/(x*x)"),
        ("loss = (x*x)^(-1)", {"x": 1e-200}, "loss = (x*x)^(-1)"),
        ("loss = x^99999999999", {"x": 1.0000001}, "loss = x^99999999999"),
        ("loss = x*1e300*1e300", {"x": 2.0}, "loss = x*1e300*1e300"),
        ("loss = x^(-0.5)*0", {"x": 1e-300}, "x^(-0.5)"),
        ("loss = 1/sigmoid(x)", {"x": -1000.0}, "loss = 1/sigmoid(x)"),
    ],
)
def test_create_trace_rejects_float_failure_naming_node(
    client, expression, leaves, node_text
):
    body = {
        "expression": expression,
        "leaves": {
            name: {"value": value, "role": "trainable"}
            for name, value in leaves.items()
        },
    }
    response = post_trace(client, body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "invalid_expression"
    assert detail["loc"] == ["body", "expression"]
    assert detail["msg"].startswith("Line 1, column ")
    assert f"Cannot compute {node_text} because" in detail["msg"]
    assert detail["ctx"]["node"] is not None
    assert detail["ctx"]["node"] not in detail["msg"]


@pytest.mark.parametrize(
    ("expression", "position", "fragment"),
    [
        ("x + (y", 6, "Expected ')'"),
        ("x # 2", 2, "Unexpected character '#'"),
        ("x * q", 4, "Unknown name 'q'"),
        ("foo(x)", 0, "Unknown function 'foo'"),
        ("x ^ x", 4, "exponent must be a constant"),
    ],
)
def test_create_trace_rejects_bad_expression_with_position(
    client, expression, position, fragment
):
    response = post_trace(
        client, {"expression": expression, "leaves": {"x": {"value": 1}}}
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "invalid_expression"
    assert detail["loc"] == ["body", "expression"]
    assert detail["input"] == expression
    assert detail["ctx"]["position"] == position
    assert detail["ctx"]["column"] == position + 1
    assert fragment in detail["msg"]


@pytest.mark.parametrize(
    ("body", "location", "fragment"),
    [
        ({"learning_rate": 11}, ["body", "learning_rate"], "from 1e-06 to 10, got 11"),
        ({"learning_rate": 0}, ["body", "learning_rate"], "from 1e-06 to 10"),
        (
            {"leaves": {**DEFAULT_LEAVES, "w1": {"value": 2e6, "role": "trainable"}}},
            ["body", "leaves", "w1", "value"],
            "from -1e+06 to 1e+06",
        ),
        (
            {"leaves": {**DEFAULT_LEAVES, "w1": {"value": 1, "role": "weight"}}},
            ["body", "leaves", "w1", "role"],
            "'input', 'target' or 'trainable'",
        ),
        ({"expression": ""}, ["body", "expression"], "at least 1 character"),
        ({"expression": "x" * 2001}, ["body", "expression"], "at most 2000"),
        (
            {"leaves": {"1x": {"value": 1}}},
            ["body", "leaves", "1x", "[key]"],
            "pattern",
        ),
        ({"momentum": 0.9}, ["body", "momentum"], "Extra inputs"),
    ],
)
def test_create_trace_rejects_bad_value(client, body, location, fragment):
    response = post_trace(client, body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == location
    assert fragment in detail["msg"]


def test_create_trace_rejects_unused_leaf(client):
    leaves = {**DEFAULT_LEAVES, "z": {"value": 1.0}}
    response = post_trace(client, {"leaves": leaves})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "leaves", "z"]
    assert detail["input"] == {"value": 1.0, "role": "input"}
    assert "not used" in detail["msg"]


@pytest.mark.parametrize("token", ["NaN", "Infinity"])
def test_create_trace_rejects_non_finite_leaf(client, token):
    response = client.post(
        "/api/backprop/trace",
        content=f'{{"expression": "x*2", "leaves": {{"x": {{"value": {token}}}}}}}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "leaves", "x", "value"]


def test_parse_lists_leaves_and_assigned_names(client):
    response = client.post(
        "/api/backprop/parse", json={"expression": "h = x*w\nloss = h*h + y"}
    )
    assert response.status_code == 200
    result = ParseResult.model_validate(response.json())
    assert result.leaves == ["x", "w", "y"]
    assert result.assigned == ["h", "loss"]


def test_parse_rejects_syntax_error_with_position(client):
    response = client.post("/api/backprop/parse", json={"expression": "h = x*\nh"})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["ctx"]["position"] == 6
    assert (detail["ctx"]["line"], detail["ctx"]["column"]) == (1, 7)


def test_read_parameters_publishes_defaults(client):
    schema = client.get("/api/backprop/parameters").json()
    rate = schema["properties"]["learning_rate"]
    assert rate["default"] == 0.01
    assert schema["properties"]["leaves"]["default"]["w1"] == {
        "value": 0.5,
        "role": "trainable",
    }
    assert "loss = (y_hat - y)^2" in schema["properties"]["expression"]["default"]


def test_openapi_lists_backprop_paths(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/backprop/trace" in paths
    assert "/api/backprop/parse" in paths
