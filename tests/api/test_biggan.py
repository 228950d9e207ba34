"""The BigGAN REST API against a local worker process with a tiny random model."""

import base64
import io
import time
from collections.abc import Iterator

import numpy as np
import pytest
from annlab.core.settings import Settings
from annlab.engines.biggan.tiny_model import save_random_model
from annlab.engines.biggan.wordnet_setup import prepare_wordnet
from annlab.main import create_app
from fastapi.testclient import TestClient
from PIL import Image

DOG_BREEDS = set(range(151, 269))
READY_TIMEOUT_S = 90.0


def wait_until_settled(client: TestClient) -> dict:
    """Poll the status until the model and WordNet have finished loading."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        status = client.get("/api/biggan/status").json()
        model_done = (
            status["model"] is not None and status["model"]["state"] != "loading"
        )
        if model_done and status["wordnet"]["state"] != "loading":
            return status
        time.sleep(0.2)
    raise AssertionError(f"BigGAN did not finish loading: {status}")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("biggan-api")
    try:
        prepare_wordnet(folder / "data" / "nltk_data", allow_download=False)
    except FileNotFoundError as error:
        pytest.skip(f"Debian's WordNet files are not installed: {error}")
    settings = Settings(
        data_dir=folder / "data",
        biggan_model=str(save_random_model(folder / "tiny")),
        biggan_device="cpu",
        teacher_token="test-teacher-token",
    )
    with pytest.MonkeyPatch.context() as patch:
        # Tiny forward passes run fastest on one thread on a shared machine.
        patch.setenv("OMP_NUM_THREADS", "1")
        with TestClient(create_app(settings)) as test_client:
            wait_until_settled(test_client)
            yield test_client


def decode(png_base64: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(png_base64))))


def samples(client: TestClient, **body):
    return client.post("/api/biggan/samples", json=body)


# Status and classes


def test_status_reports_local_worker_ready(client: TestClient):
    status = client.get("/api/biggan/status").json()

    assert status["worker"]["mode"] == "local"
    assert status["worker"]["reachable"] is True
    assert status["worker"]["url"].startswith("http://127.0.0.1:")
    assert status["model"]["state"] == "ready"
    assert status["model"]["device"] == "cpu"
    assert status["model"]["image_size"] == 32
    assert status["wordnet"]["state"] == "on"
    assert status["default_label"] == "soap bubble"


def test_classes_lists_1000(client: TestClient):
    classes = client.get("/api/biggan/classes").json()["classes"]

    assert len(classes) == 1000
    assert classes[207]["name"] == "golden retriever"
    assert classes[207]["wnid"] == "n02099601"


# Resolve


def test_resolve_dog_through_wordnet(client: TestClient):
    response = client.post("/api/biggan/resolve", json={"label": "dog"})
    body = response.json()

    assert response.status_code == 200
    assert body["found"] is True
    assert body["method"] == "hyponym"
    assert body["index"] in DOG_BREEDS
    assert len(body["candidates"]) == 118
    assert body["path"][0]["name"] == "dog.n.01"
    assert body["path"][0]["gloss"]
    assert body["gloss"]


def test_resolve_seed_picks_another_candidate(client: TestClient):
    picks = {
        client.post("/api/biggan/resolve", json={"label": "dog", "seed": seed}).json()[
            "index"
        ]
        for seed in range(8)
    }

    assert len(picks) > 3
    assert picks <= DOG_BREEDS


def resolve(client: TestClient, **body) -> dict:
    response = client.post("/api/biggan/resolve", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_resolve_seeded_pick_describes_chosen_class(client: TestClient):
    classes = client.get("/api/biggan/classes").json()["classes"]
    default = resolve(client, label="dog")["index"]
    body = next(
        result
        for result in (resolve(client, label="dog", seed=seed) for seed in range(100))
        if result["index"] != default
    )

    assert body["path"][0]["name"] == "dog.n.01"
    assert body["path"][-1]["class_index"] == body["index"]
    assert body["path"][-1]["gloss"] == classes[body["index"]]["gloss"]
    assert body["gloss"] == classes[body["index"]]["gloss"]


def test_resolve_chosen_candidate_path_and_gloss(client: TestClient):
    classes = client.get("/api/biggan/classes").json()["classes"]
    body = resolve(client, label="dog", seed=7, candidate=208)
    lemmas = [step["lemmas"][0] for step in body["path"]]

    assert body["index"] == 208
    assert body["name"] == "Labrador retriever"
    assert body["method"] == "hyponym"
    assert lemmas[0] == "dog"
    assert lemmas[-1] == "Labrador retriever"
    assert body["path"][-1]["class_index"] == 208
    assert body["path"][-1]["gloss"] == classes[208]["gloss"]
    assert body["gloss"] == classes[208]["gloss"]


def test_resolve_rejects_class_outside_candidates(client: TestClient):
    response = client.post(
        "/api/biggan/resolve", json={"label": "dog", "candidate": 281}
    )
    body = response.json()

    assert response.status_code == 422
    assert body["detail"][0]["loc"] == ["body", "candidate"]
    assert body["detail"][0]["input"] == 281
    assert "class 281 is not among the 118 candidates of 'dog'" in body["message"]


def test_resolve_rejects_candidate_out_of_range(client: TestClient):
    response = client.post(
        "/api/biggan/resolve", json={"label": "dog", "candidate": 1000}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "candidate"]


@pytest.mark.parametrize("label", ["xyzzy", "unicorn", "cake"])
def test_resolve_unknown_label_is_404_with_message(client: TestClient, label: str):
    response = client.post("/api/biggan/resolve", json={"label": label})
    detail = response.json()["detail"]

    assert response.status_code == 404
    assert f"'{label}'" in detail["message"]
    assert detail["resolution"]["found"] is False
    assert len(detail["resolution"]["suggestions"]) <= 5


def test_resolve_unknown_label_offers_suggestions(client: TestClient):
    detail = client.post(
        "/api/biggan/resolve", json={"label": "golden retreiver"}
    ).json()["detail"]

    assert detail["resolution"]["suggestions"][0] == {
        "index": 207,
        "name": "golden retriever",
    }


@pytest.mark.parametrize(
    ("label", "field"), [("", "label"), ("   ", "label"), ("x" * 101, "label")]
)
def test_resolve_rejects_bad_label(client: TestClient, label: str, field: str):
    response = client.post("/api/biggan/resolve", json={"label": label})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_resolve_batch_gives_each_label_its_result(client: TestClient):
    labels = ["dog", "xyzzy", "", "tabby", "soap bubble"]
    body = client.post("/api/biggan/resolve/batch", json={"labels": labels}).json()

    assert body["wordnet"] is True
    assert [result["label"] for result in body["results"]] == labels
    assert [result["found"] for result in body["results"]] == [
        True,
        False,
        False,
        True,
        True,
    ]
    assert body["results"][1]["index"] is None
    assert body["results"][2]["index"] is None
    assert body["results"][3]["index"] == 281
    assert body["results"][4]["index"] == 971


def test_resolve_batch_unknown_label_has_suggestions(client: TestClient):
    # The page resolves typed words this way, so a typo is a result, not a 404.
    response = client.post(
        "/api/biggan/resolve/batch", json={"labels": ["golden retreiver"], "seed": 3}
    )
    result = response.json()["results"][0]

    assert response.status_code == 200
    assert result["found"] is False
    assert "'golden retreiver'" in result["message"]
    assert result["suggestions"][0] == {"index": 207, "name": "golden retriever"}


def test_resolve_batch_rejects_empty_list(client: TestClient):
    response = client.post("/api/biggan/resolve/batch", json={"labels": []})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "labels"]


def test_random_label_is_seeded(client: TestClient):
    first = client.get("/api/biggan/random-label", params={"seed": 9}).json()
    again = client.get("/api/biggan/random-label", params={"seed": 9}).json()
    unseeded = client.get("/api/biggan/random-label").json()

    assert first == again
    assert first["seed"] == 9
    assert first["resolution"]["method"] == "random"
    assert 0 <= first["resolution"]["index"] <= 999
    assert 0 <= unseeded["seed"]


# Samples


def test_samples_returns_images_of_resolved_class(client: TestClient):
    response = samples(client, label="dog", seed=40, count=3)
    body = response.json()

    assert response.status_code == 200
    assert body["resolution"]["index"] in DOG_BREEDS
    assert body["seed"] == 40
    assert [image["seed"] for image in body["images"]] == [40, 41, 42]
    assert (body["width"], body["height"]) == (32, 32)
    for image in body["images"]:
        assert decode(image["png_base64"]).shape == (32, 32, 3)
    assert body["timings"]["forward_ms"] > 0
    assert body["timings"]["total_ms"] >= body["timings"]["worker_ms"]
    assert len(body["timings"]["batch_sizes"]) == 3


def test_samples_same_seed_same_image(client: TestClient):
    first = samples(client, class_index=207, seed=5).json()["images"][0]["png_base64"]
    second = samples(client, class_index=207, seed=5).json()["images"][0]["png_base64"]
    other = samples(client, class_index=207, seed=6).json()["images"][0]["png_base64"]

    assert first == second
    assert first != other


def test_samples_without_seed_report_reusable_seed(client: TestClient):
    body = samples(client, label="tabby").json()
    again = samples(client, label="tabby", seed=body["seed"]).json()

    assert again["images"][0]["png_base64"] == body["images"][0]["png_base64"]


def test_samples_by_class_index(client: TestClient):
    body = samples(client, class_index=971, seed=1).json()

    assert body["resolution"]["method"] == "index"
    assert body["resolution"]["name"] == "bubble"


def test_samples_png_for_single_image(client: TestClient):
    response = client.post(
        "/api/biggan/samples",
        json={"label": "soap bubble", "seed": 3},
        headers={"Accept": "image/png"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-class-index"] == "971"
    assert response.headers["x-seed"] == "3"
    assert np.asarray(Image.open(io.BytesIO(response.content))).shape == (32, 32, 3)


def test_samples_png_with_count_is_406(client: TestClient):
    response = client.post(
        "/api/biggan/samples",
        json={"label": "dog", "count": 2},
        headers={"Accept": "image/png"},
    )

    assert response.status_code == 406
    assert "count" in response.json()["detail"]["message"]


def test_samples_unknown_label_is_404(client: TestClient):
    response = samples(client, label="xyzzy")

    assert response.status_code == 404
    assert "xyzzy" in response.json()["detail"]["message"]


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        (
            {"label": "dog", "truncation": 0},
            "truncation",
            "must be from 0.02 to 1, got 0",
        ),
        (
            {"label": "dog", "truncation": 1.5},
            "truncation",
            "must be from 0.02 to 1, got 1.5",
        ),
        ({"label": "dog", "count": 17}, "count", "must be from 1 to 16, got 17"),
        ({"label": "dog", "count": 0}, "count", "must be from 1 to 16, got 0"),
        ({"label": "dog", "seed": -1}, "seed", "must be from 0 to 2147483647, got -1"),
        ({"class_index": 1000}, "class_index", "must be from 0 to 999, got 1000"),
    ],
)
def test_samples_rejects_out_of_range(
    client: TestClient, body: dict, field: str, text: str
):
    response = samples(client, **body)
    error = response.json()

    assert response.status_code == 422
    assert error["detail"][0]["loc"] == ["body", field]
    assert text in error["detail"][0]["msg"]
    assert field in error["message"]


@pytest.mark.parametrize("body", [{}, {"label": "dog", "class_index": 3}])
def test_samples_needs_exactly_one_target(client: TestClient, body: dict):
    response = samples(client, **body)

    assert response.status_code == 422
    assert "exactly one of label and class_index" in response.json()["message"]


def test_samples_rejects_unknown_field(client: TestClient):
    response = samples(client, label="dog", truncaton=0.5)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "truncaton"]


# Interpolation


def test_interpolate_between_two_labels(client: TestClient):
    response = client.post(
        "/api/biggan/interpolate",
        json={
            "start": {"label": "tabby", "seed": 1},
            "end": {"class_index": 971, "seed": 2},
            "steps": 5,
            "truncation": 0.5,
        },
    )
    body = response.json()

    assert response.status_code == 200
    assert [image["t"] for image in body["images"]] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert body["start"]["index"] == 281
    assert body["end"]["index"] == 971
    assert (body["start_seed"], body["end_seed"]) == (1, 2)
    start = samples(client, class_index=281, seed=1, truncation=0.5).json()["images"][0]
    end = samples(client, class_index=971, seed=2, truncation=0.5).json()["images"][0]
    first = decode(body["images"][0]["png_base64"]).astype(int)
    last = decode(body["images"][-1]["png_base64"]).astype(int)
    assert np.abs(first - decode(start["png_base64"])).max() <= 1
    assert np.abs(last - decode(end["png_base64"])).max() <= 1


@pytest.mark.parametrize("steps", [1, 11])
def test_interpolate_rejects_steps_out_of_range(client: TestClient, steps: int):
    response = client.post(
        "/api/biggan/interpolate",
        json={"start": {"label": "dog"}, "end": {"label": "cat"}, "steps": steps},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "steps"]
    assert f"must be from 2 to 10, got {steps}" in response.json()["detail"][0]["msg"]


def test_interpolate_unknown_end_label_is_404(client: TestClient):
    response = client.post(
        "/api/biggan/interpolate",
        json={"start": {"label": "dog"}, "end": {"label": "xyzzy"}},
    )

    assert response.status_code == 404
    assert "xyzzy" in response.json()["detail"]["message"]
