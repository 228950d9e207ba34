"""The packaged list of the 1000 ImageNet classes."""

import importlib.util
import json
from pathlib import Path

import pytest
from annlab.engines.biggan.classes import (
    ClassCatalog,
    load_catalog,
    normalize_label,
    parse_classes,
)
from annlab.engines.biggan.wordnet import load_wordnet
from annlab.engines.biggan.wordnet_setup import prepare_wordnet
from pytorch_pretrained_biggan.utils import IMAGENET

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
CLASSES_FILE = REPOSITORY_ROOT / "backend" / "annlab" / "data" / "imagenet_classes.json"
BUILD_SCRIPT = REPOSITORY_ROOT / "scripts" / "build_imagenet_classes.py"


def test_catalog_matches_package_offsets():
    catalog = load_catalog()

    assert len(catalog) == 1000
    for item in catalog.classes:
        assert IMAGENET[item.offset] == item.index
        assert item.wnid == f"n{item.offset:08d}"


def test_catalog_names_are_readable():
    catalog = load_catalog()

    for item in catalog.classes:
        assert "_" not in item.name
        assert item.synonyms[0] == item.name
        assert item.gloss
    assert catalog[207].name == "golden retriever"
    assert catalog[208].name == "Labrador retriever"
    assert catalog[971].name == "bubble"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Golden_Retriever", "golden retriever"),
        ("  soap \t bubble ", "soap bubble"),
        ("curly-coated retriever", "curly coated retriever"),
        ("", ""),
    ],
)
def test_normalize_label(text: str, expected: str):
    assert normalize_label(text) == expected


def test_catalog_rejects_unordered_records():
    records = json.loads(CLASSES_FILE.read_text())[:3]
    records[0], records[1] = records[1], records[0]

    with pytest.raises(ValueError, match="ordered by index"):
        ClassCatalog(parse_classes(records))


def test_build_script_reproduces_committed_file(tmp_path: Path):
    try:
        prepare_wordnet(tmp_path / "nltk_data", allow_download=False)
    except FileNotFoundError as error:
        pytest.skip(f"Debian's WordNet files are not installed: {error}")
    wordnet = load_wordnet([tmp_path / "nltk_data"])
    spec = importlib.util.spec_from_file_location(
        "build_imagenet_classes", BUILD_SCRIPT
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    text = script.format_rows(script.build_rows(wordnet))

    assert text == CLASSES_FILE.read_text(encoding="utf-8")
