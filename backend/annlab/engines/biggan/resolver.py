"""Resolve free text ("dog", "soap bubble") to one of the 1000 ImageNet classes.

The search order:

1. The class names, then their synonyms (case-, space-, underscore- and
   hyphen-insensitive). These need no WordNet.
2. WordNet noun senses of the label, most common sense first. A sense whose
   WordNet 3.0 offset is a class is taken directly ("direct"). Otherwise
   every class in the sense's hyponym tree is a candidate ("hyponym"), in
   depth-first order with each synset's hyponyms sorted by offset, which is
   their order in WordNet's data file. The first sense with a result wins.
3. When no sense has a class in itself or below it, the nearest hypernyms that
   are classes ("hypernym"), senses again in order.

Several candidates (the seven cats for "cat") are returned together. Without a
seed the first one is chosen. A seed picks one of them at random, so that
"dog" yields many breeds, and a caller may name the candidate to take instead.
The WordNet path always ends at the chosen class. A label that matches nothing
gets up to five close class names as suggestions.
"""

import difflib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from annlab.engines.biggan.classes import ClassCatalog, normalize_label

logger = logging.getLogger(__name__)

Method = Literal["index", "name", "synonym", "direct", "hyponym", "hypernym", "random"]

MAX_SUGGESTIONS = 5
# difflib similarity ratio below which a class name is not offered as a suggestion.
SUGGESTION_CUTOFF = 0.6


@dataclass(frozen=True)
class SynsetStep:
    """One WordNet synset on the way from the label to the class."""

    name: str  # NLTK's synset name, such as "dog.n.01"
    lemmas: tuple[str, ...]
    gloss: str
    offset: int
    class_index: int | None  # the ImageNet class this synset is, if any


@dataclass(frozen=True)
class ClassChoice:
    index: int
    name: str


@dataclass
class Resolution:
    """The outcome of resolving one label, found or not."""

    label: str
    found: bool
    message: str
    index: int | None = None
    name: str | None = None
    method: Method | None = None
    path: list[SynsetStep] = field(default_factory=list)
    candidates: list[ClassChoice] = field(default_factory=list)
    suggestions: list[ClassChoice] = field(default_factory=list)
    wordnet_searched: bool = False


class NotACandidateError(ValueError):
    """Raised when the requested class is not among the label's candidates."""

    def __init__(self, label: str, candidate: int, indices: list[int]) -> None:
        shown = " ".join(label.split())
        super().__init__(
            f"class {candidate} is not among the {len(indices)} candidates of "
            f"'{shown}'. Pick one of the candidates that resolving '{shown}' "
            "returns, or leave candidate unset."
        )
        self.candidate = candidate


def pick_candidate(count: int, seed: int | None) -> int:
    """Return the chosen candidate's position: 0 without a seed, else a seeded draw."""
    if seed is None or count <= 1:
        return 0
    return int(np.random.default_rng(seed).integers(count))


def choose_index(
    label: str, indices: list[int], seed: int | None, candidate: int | None
) -> int:
    """Return `candidate` if it is one of `indices`, else the seed's pick among them.

    Raises NotACandidateError when `candidate` is given but not in `indices`.
    """
    if candidate is None:
        return indices[pick_candidate(len(indices), seed)]
    if candidate not in indices:
        raise NotACandidateError(label, candidate, indices)
    return candidate


class LabelResolver:
    """Resolves labels against a class catalog and, when given, a WordNet reader."""

    def __init__(self, catalog: ClassCatalog, wordnet=None) -> None:
        self.catalog = catalog
        self.wordnet = wordnet
        self._tree_cache: dict[int, tuple[list[int], dict[int, object]]] = {}

    @property
    def wordnet_available(self) -> bool:
        return self.wordnet is not None

    # Public entry points

    def resolve(
        self, label: str, seed: int | None = None, candidate: int | None = None
    ) -> Resolution:
        """Resolve one label, explaining in the message why nothing matched if so.

        Any text is accepted: an empty or unknown label gives a not-found result.
        `candidate`, a class index, takes that class in place of the seed's pick.
        Raises NotACandidateError when the label is found but `candidate` is not
        among its candidates.
        """
        if not normalize_label(label):
            return Resolution(
                label=label,
                found=False,
                message="The label is empty. Type a word such as 'soap bubble'.",
            )

        for method, matcher in (
            ("name", self.catalog.match_name),
            ("synonym", self.catalog.match_synonym),
        ):
            indices = matcher(label)
            if indices:
                index = choose_index(label, indices, seed, candidate)
                return self._found(label, method, indices, index, path=[])

        if self.wordnet is not None:
            try:
                result = self._search_wordnet(label)
            except (LookupError, OSError, ValueError) as error:
                logger.exception("WordNet search failed for label %r", label)
                return self._not_found(label, f"The WordNet search failed: {error}.")
            if result is not None:
                method, indices, paths = result
                index = choose_index(label, indices, seed, candidate)
                resolution = self._found(label, method, indices, index, paths[index])
                resolution.wordnet_searched = True
                return resolution
        return self._not_found(label)

    def resolve_many(
        self, labels: Iterable[str], seed: int | None = None
    ) -> list[Resolution]:
        """Resolve each label on its own, so one bad label never affects another."""
        return [self.resolve(label, seed) for label in labels]

    def resolve_index(self, index: int) -> Resolution:
        """Describe a class chosen by index (0-999)."""
        if not 0 <= index < len(self.catalog):
            raise ValueError(
                f"Class index must be from 0 to {len(self.catalog) - 1}, got {index}"
            )
        item = self.catalog[index]
        return Resolution(
            label=item.name,
            found=True,
            message=f"Class {index} chosen by its index.",
            index=index,
            name=item.name,
            method="index",
            candidates=[ClassChoice(index, item.name)],
        )

    def random_class(self, seed: int) -> Resolution:
        """Pick one of the classes with a generator seeded by `seed`."""
        index = int(np.random.default_rng(seed).integers(len(self.catalog)))
        item = self.catalog[index]
        return Resolution(
            label=item.name,
            found=True,
            message=f"Random class {index} '{item.name}', drawn with seed {seed}.",
            index=index,
            name=item.name,
            method="random",
            candidates=[ClassChoice(index, item.name)],
        )

    def suggest(self, label: str, limit: int = MAX_SUGGESTIONS) -> list[ClassChoice]:
        """Return up to `limit` classes whose names or synonyms look like the label.

        Classes whose name contains the label as a whole word come first, then
        the closest spellings by difflib's similarity ratio.
        """
        text = normalize_label(label)
        if not text:
            return []
        keys = self.catalog.synonym_keys()
        containing = [key for key in keys if f" {text} " in f" {key} "]
        close = difflib.get_close_matches(
            text, keys, n=limit * 3, cutoff=SUGGESTION_CUTOFF
        )

        choices: list[ClassChoice] = []
        seen: set[int] = set()
        for key in [*containing, *close]:
            for index in self.catalog.match_synonym(key):
                if index not in seen:
                    seen.add(index)
                    choices.append(ClassChoice(index, self.catalog[index].name))
        return choices[:limit]

    # Building results

    def _found(
        self,
        label: str,
        method: Method,
        indices: list[int],
        index: int,
        path: list[SynsetStep],
    ) -> Resolution:
        name = self.catalog[index].name
        return Resolution(
            label=label,
            found=True,
            message=self._describe(label, method, index, len(indices)),
            index=index,
            name=name,
            method=method,
            path=path,
            candidates=[ClassChoice(i, self.catalog[i].name) for i in indices],
        )

    def _describe(self, label: str, method: Method, index: int, count: int) -> str:
        name = self.catalog[index].name
        label = " ".join(label.split())
        if method == "name":
            text = f"'{label}' is the name of class {index}."
        elif method == "synonym":
            text = f"'{label}' is another name for class {index} '{name}'."
        elif method == "direct":
            text = f"In WordNet, this sense of '{label}' is class {index} '{name}'."
        elif method == "hyponym":
            text = f"In WordNet, class {index} '{name}' is a kind of '{label}'."
        else:
            text = (
                f"In WordNet, no class is a '{label}' or a kind of one; class {index} "
                f"'{name}' is the nearest broader term."
            )
        if count > 1:
            text += f" It is one of {count} candidates."
        return text

    def _not_found(self, label: str, reason: str | None = None) -> Resolution:
        suggestions = self.suggest(label)
        shown = " ".join(label.split())
        if reason is None:
            if self.wordnet is None:
                reason = (
                    f"No class name or synonym matches '{shown}'. The WordNet search "
                    "is off because WordNet was not found, so only the 1000 class "
                    "names and their synonyms were compared."
                )
            else:
                reason = (
                    f"No ImageNet class matches '{shown}': it is not a class name or "
                    "synonym, and no WordNet sense of it, nor anything narrower or "
                    "broader, is a class."
                )
        if suggestions:
            reason += (
                " Close class names: " + ", ".join(c.name for c in suggestions) + "."
            )
        return Resolution(
            label=label,
            found=False,
            message=reason,
            suggestions=suggestions,
            wordnet_searched=self.wordnet is not None,
        )

    # WordNet search

    def _lookup_synsets(self, label: str) -> list:
        """Return the label's noun synsets, trying the text as typed and normalized."""
        forms = [
            label.strip().replace(" ", "_"),
            normalize_label(label).replace(" ", "_"),
        ]
        for form in dict.fromkeys(forms):
            synsets = self.wordnet.synsets(form, pos="n")
            if synsets:
                return synsets
        return []

    def _step(self, synset) -> SynsetStep:
        class_item = self.catalog.by_offset.get(synset.offset())
        return SynsetStep(
            name=synset.name(),
            lemmas=tuple(lemma.replace("_", " ") for lemma in synset.lemma_names()),
            gloss=synset.definition(),
            offset=synset.offset(),
            class_index=class_item.index if class_item else None,
        )

    def _search_wordnet(
        self, label: str
    ) -> tuple[Method, list[int], dict[int, list[SynsetStep]]] | None:
        synsets = self._lookup_synsets(label)
        for synset in synsets:
            class_item = self.catalog.by_offset.get(synset.offset())
            if class_item is not None:
                return (
                    "direct",
                    [class_item.index],
                    {class_item.index: [self._step(synset)]},
                )
            indices, parents = self._hyponym_classes(synset)
            if indices:
                paths = {
                    index: self._chain(index, parents, synset) for index in indices
                }
                return "hyponym", indices, paths
        for synset in synsets:
            found = self._nearest_hypernym_classes(synset)
            if found:
                indices, parents = found
                paths = {
                    index: self._chain(index, parents, synset) for index in indices
                }
                return "hypernym", indices, paths
        return None

    def _hyponym_classes(self, root) -> tuple[list[int], dict[int, object]]:
        """Return the classes below `root` depth-first, and each synset's parent.

        Hyponyms and instance hyponyms are visited sorted by offset. A synset
        reached twice (WordNet allows several hypernyms) is visited once.
        """
        cached = self._tree_cache.get(root.offset())
        if cached is not None:
            return cached
        indices: list[int] = []
        parents: dict[int, object] = {}
        visited = {root.offset()}
        stack = [root]
        while stack:
            synset = stack.pop()
            children = sorted(
                synset.hyponyms() + synset.instance_hyponyms(), key=lambda s: s.offset()
            )
            unseen = [child for child in children if child.offset() not in visited]
            for child in unseen:
                visited.add(child.offset())
                parents[child.offset()] = synset
            if synset is not root:
                class_item = self.catalog.by_offset.get(synset.offset())
                if class_item is not None:
                    indices.append(class_item.index)
            # Reversed, so that the lowest offset is popped, and so visited, first.
            stack.extend(reversed(unseen))
        self._tree_cache[root.offset()] = (indices, parents)
        return indices, parents

    def _nearest_hypernym_classes(
        self, root
    ) -> tuple[list[int], dict[int, object]] | None:
        """Return the classes among the nearest hypernyms that are classes."""
        parents: dict[int, object] = {}
        visited = {root.offset()}
        level = [root]
        while level:
            next_level = []
            for synset in level:
                for parent in sorted(
                    synset.hypernyms() + synset.instance_hypernyms(),
                    key=lambda s: s.offset(),
                ):
                    if parent.offset() in visited:
                        continue
                    visited.add(parent.offset())
                    parents[parent.offset()] = synset
                    next_level.append(parent)
            indices = [
                self.catalog.by_offset[synset.offset()].index
                for synset in next_level
                if synset.offset() in self.catalog.by_offset
            ]
            if indices:
                return indices, parents
            level = next_level
        return None

    def _chain(self, index: int, parents: dict[int, object], root) -> list[SynsetStep]:
        """Return the synsets from `root` to the class `index`, following `parents`."""
        offsets = []
        offset = self.catalog[index].offset
        while offset != root.offset():
            offsets.append(offset)
            offset = parents[offset].offset()
        steps = [self._step(root)]
        for step_offset in reversed(offsets):
            steps.append(
                self._step(self.wordnet.synset_from_pos_and_offset("n", step_offset))
            )
        return steps
