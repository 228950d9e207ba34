"""The 1000 ImageNet classes that BigGAN draws, with names and synonyms.

The list is read from `annlab/data/imagenet_classes.json`, which
scripts/build_imagenet_classes.py generates from WordNet 3.0, so that class
names and synonyms can be matched without WordNet.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

NUM_CLASSES = 1000

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_label(text: str) -> str:
    """Fold case and treat runs of spaces, underscores and hyphens as one space."""
    return _SEPARATORS.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class ImageNetClass:
    """One ImageNet class: its index in BigGAN's class vector and its WordNet synset."""

    index: int
    offset: int  # WordNet 3.0 noun offset
    wnid: str  # "n" + the offset in 8 digits, as ImageNet names its folders
    name: str  # the synset's first lemma, underscores as spaces
    synonyms: tuple[str, ...]  # every lemma of the synset, the name first
    gloss: str  # the synset's definition


class ClassCatalog:
    """Look-ups over the class list: by index, by WordNet offset, by name or synonym."""

    def __init__(self, classes: list[ImageNetClass]) -> None:
        if [item.index for item in classes] != list(range(len(classes))):
            raise ValueError("Class records must be ordered by index 0, 1, 2, ...")
        self.classes = classes
        self.by_offset = {item.offset: item for item in classes}
        self._by_name: dict[str, list[int]] = {}
        self._by_synonym: dict[str, list[int]] = {}
        for item in classes:
            self._by_name.setdefault(normalize_label(item.name), []).append(item.index)
            for synonym in item.synonyms:
                key = normalize_label(synonym)
                indices = self._by_synonym.setdefault(key, [])
                if item.index not in indices:
                    indices.append(item.index)

    def __len__(self) -> int:
        return len(self.classes)

    def __getitem__(self, index: int) -> ImageNetClass:
        return self.classes[index]

    def match_name(self, label: str) -> list[int]:
        """Return the classes whose name equals the label, normalized (usually one)."""
        return list(self._by_name.get(normalize_label(label), []))

    def match_synonym(self, label: str) -> list[int]:
        """Return the classes that list the label among their synonyms."""
        return list(self._by_synonym.get(normalize_label(label), []))

    def synonym_keys(self) -> list[str]:
        """Return every normalized name and synonym, for fuzzy matching."""
        return list(self._by_synonym)


def parse_classes(records: list[dict]) -> list[ImageNetClass]:
    return [
        ImageNetClass(
            index=record["index"],
            offset=record["offset"],
            wnid=record["wnid"],
            name=record["name"],
            synonyms=tuple(record["synonyms"]),
            gloss=record["gloss"],
        )
        for record in records
    ]


@cache
def load_catalog() -> ClassCatalog:
    """Read the packaged class list once per process."""
    data_file = resources.files("annlab") / "data" / "imagenet_classes.json"
    text = data_file.read_text(encoding="utf-8")
    classes = parse_classes(json.loads(text))
    if len(classes) != NUM_CLASSES:
        raise ValueError(
            f"Expected {NUM_CLASSES} ImageNet classes, found {len(classes)}"
        )
    return ClassCatalog(classes)
