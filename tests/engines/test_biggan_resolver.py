"""Label to ImageNet class: names, synonyms, WordNet senses, suggestions, seeds."""

from pathlib import Path

import nltk
import pytest
from annlab.engines.biggan.classes import load_catalog
from annlab.engines.biggan.resolver import LabelResolver, NotACandidateError
from annlab.engines.biggan.wordnet import find_wordnet_folder, load_wordnet
from annlab.engines.biggan.wordnet_setup import prepare_wordnet

DOG_BREEDS = set(range(151, 269))
CATS = set(range(281, 288))
# ambulance, beach wagon, cab, convertible, jeep, limousine, minivan,
# Model T, racer, sports car
CARS = {407, 436, 468, 511, 609, 627, 656, 661, 751, 817}


def wordnet_search_paths(target: Path) -> list[Path]:
    """Build WordNet into `target` from Debian's files, or use one NLTK finds."""
    try:
        prepare_wordnet(target, allow_download=False)
        return [target]
    except FileNotFoundError as error:
        if find_wordnet_folder(nltk.data.path) is None:
            pytest.skip(f"No WordNet 3.0 to test with: {error}")
        return [Path(path) for path in nltk.data.path]


@pytest.fixture(scope="module")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> LabelResolver:
    wordnet = load_wordnet(wordnet_search_paths(tmp_path_factory.mktemp("nltk_data")))
    assert wordnet is not None
    return LabelResolver(load_catalog(), wordnet)


@pytest.fixture(scope="module")
def names_only() -> LabelResolver:
    return LabelResolver(load_catalog(), None)


def candidate_indices(resolution) -> list[int]:
    return [choice.index for choice in resolution.candidates]


# Names and synonyms


@pytest.mark.parametrize(
    ("label", "index"),
    [
        ("tabby", 281),
        ("golden retriever", 207),
        ("  Golden   RETRIEVER ", 207),
        ("golden_retriever", 207),
        ("grand piano", 579),
        ("jack-o'-lantern", 607),
    ],
)
def test_resolve_class_name(names_only: LabelResolver, label: str, index: int):
    result = names_only.resolve(label)

    assert result.found
    assert result.index == index
    assert result.method == "name"
    assert result.name == load_catalog()[index].name
    assert result.path == []


@pytest.mark.parametrize(
    ("label", "index", "name"),
    [
        ("puma", 286, "cougar"),
        ("hot dog", 934, "hotdog"),
        ("Siamese", 284, "Siamese cat"),
    ],
)
def test_resolve_synonym(names_only: LabelResolver, label: str, index: int, name: str):
    result = names_only.resolve(label)

    assert result.found
    assert result.method == "synonym"
    assert result.index == index
    assert result.name == name


def test_resolve_shared_name_lists_both_classes(names_only: LabelResolver):
    result = names_only.resolve("crane")

    assert result.method == "name"
    assert candidate_indices(result) == [134, 517]
    assert result.index == 134


# WordNet


def test_resolve_dog_gives_a_breed(resolver: LabelResolver):
    result = resolver.resolve("dog")

    assert result.found
    assert result.method == "hyponym"
    assert set(candidate_indices(result)) == DOG_BREEDS
    assert len(result.candidates) == 118
    assert result.index == result.candidates[0].index
    assert result.path[0].name == "dog.n.01"
    assert "genus Canis" in result.path[0].gloss
    assert result.path[-1].class_index == result.index
    assert result.wordnet_searched


def test_resolve_cat_gives_only_cats(resolver: LabelResolver):
    result = resolver.resolve("cat")

    assert result.method == "hyponym"
    assert set(candidate_indices(result)) == CATS
    for seed in range(40):
        assert resolver.resolve("cat", seed=seed).index in CATS


def test_resolve_car_gives_ten_cars(resolver: LabelResolver):
    result = resolver.resolve("car")

    assert result.method == "hyponym"
    assert set(candidate_indices(result)) == CARS


def test_resolve_mountain_gives_alp_or_volcano(resolver: LabelResolver):
    result = resolver.resolve("mountain")

    assert result.method == "hyponym"
    assert candidate_indices(result) == [970, 980]


def test_resolve_soap_bubble_through_hypernym(resolver: LabelResolver):
    result = resolver.resolve("soap bubble")

    assert result.found
    assert result.method == "hypernym"
    assert result.index == 971
    assert [step.name for step in result.path] == ["soap_bubble.n.01", "bubble.n.01"]


def test_resolve_multi_word_wordnet_label(resolver: LabelResolver):
    result = resolver.resolve("house cat")

    assert result.method == "hyponym"
    assert set(candidate_indices(result)) == {281, 282, 283, 284, 285}
    assert result.path[0].name == "domestic_cat.n.01"


def test_resolve_plural_through_wordnet_morphology(resolver: LabelResolver):
    assert set(candidate_indices(resolver.resolve("dogs"))) == DOG_BREEDS


def test_resolve_apple_finds_granny_smith(resolver: LabelResolver):
    result = resolver.resolve("apple")

    assert result.method == "hyponym"
    assert result.index == 948
    assert [step.name for step in result.path][-1] == "granny_smith.n.01"


@pytest.mark.parametrize("label", ["cake", "unicorn", "kitten"])
def test_resolve_wordnet_word_without_class(resolver: LabelResolver, label: str):
    result = resolver.resolve(label)

    assert not result.found
    assert result.index is None
    assert result.candidates == []
    assert f"'{label}'" in result.message
    assert 1 <= len(result.suggestions) <= 5


@pytest.mark.parametrize("label", ["xyzzy", "qwrtplk zzv"])
def test_resolve_unknown_word(resolver: LabelResolver, label: str):
    result = resolver.resolve(label)

    assert not result.found
    assert result.index is None
    assert "No ImageNet class matches" in result.message
    assert len(result.suggestions) <= 5


@pytest.mark.parametrize("label", ["", "   ", "_"])
def test_resolve_empty_label(resolver: LabelResolver, label: str):
    result = resolver.resolve(label)

    assert not result.found
    assert "empty" in result.message
    assert result.suggestions == []


def test_suggestions_offer_close_spelling(resolver: LabelResolver):
    result = resolver.resolve("golden retreiver")

    assert not result.found
    assert result.suggestions[0].index == 207


def test_resolve_many_keeps_each_result(resolver: LabelResolver):
    labels = ["dog", "xyzzy", "", "tabby", "unicorn", "soap bubble"]
    results = resolver.resolve_many(labels)

    assert [result.label for result in results] == labels
    assert [result.found for result in results] == [
        True,
        False,
        False,
        True,
        False,
        True,
    ]
    assert results[0].index in DOG_BREEDS
    assert results[3].index == 281
    assert results[5].index == 971
    for bad in (results[1], results[2], results[4]):
        assert bad.index is None
        assert bad.candidates == []


def test_seed_picks_among_candidates(resolver: LabelResolver):
    picks = {resolver.resolve("dog", seed=seed).index for seed in range(30)}

    assert len(picks) > 10
    assert picks <= DOG_BREEDS
    assert (
        resolver.resolve("dog", seed=7).index == resolver.resolve("dog", seed=7).index
    )


def test_resolve_without_seed_takes_first_candidate(resolver: LabelResolver):
    result = resolver.resolve("dog")

    assert result.index == resolver.resolve("dog").index
    assert result.index == result.candidates[0].index


def first_seed_off_default(resolver: LabelResolver, label: str) -> int:
    """Return the smallest seed whose pick for `label` is not the first candidate."""
    default = resolver.resolve(label).index
    for seed in range(100):
        if resolver.resolve(label, seed=seed).index != default:
            return seed
    raise AssertionError(f"No seed below 100 picks another class for {label!r}")


def test_seeded_pick_path_ends_at_chosen_class(resolver: LabelResolver):
    catalog = load_catalog()
    seed = first_seed_off_default(resolver, "dog")
    result = resolver.resolve("dog", seed=seed)
    chosen = catalog[result.index]

    assert result.index != result.candidates[0].index
    assert result.path[0].name == "dog.n.01"
    assert result.path[-1].class_index == result.index
    assert result.path[-1].offset == chosen.offset
    assert result.path[-1].gloss == chosen.gloss
    assert chosen.name in result.message


def test_resolve_chosen_candidate_path(resolver: LabelResolver):
    catalog = load_catalog()
    result = resolver.resolve("dog", seed=7, candidate=208)
    lemmas = [step.lemmas[0] for step in result.path]

    assert result.index == 208
    assert result.name == "Labrador retriever"
    assert result.method == "hyponym"
    assert len(result.candidates) == 118
    assert lemmas[0] == "dog"
    assert lemmas[-1] == "Labrador retriever"
    assert "retriever" in lemmas[1:-1]
    assert result.path[-1].class_index == 208
    assert result.path[-1].gloss == catalog[208].gloss


def test_resolve_chosen_candidate_by_name(names_only: LabelResolver):
    result = names_only.resolve("crane", candidate=517)

    assert result.index == 517
    assert candidate_indices(result) == [134, 517]


def test_resolve_rejects_class_outside_candidates(resolver: LabelResolver):
    expected = "class 281 is not among the 118 candidates of 'dog'"
    with pytest.raises(NotACandidateError, match=expected):
        resolver.resolve("dog", candidate=281)


def test_resolve_unknown_label_ignores_candidate(resolver: LabelResolver):
    result = resolver.resolve("xyzzy", candidate=208)

    assert not result.found
    assert result.index is None


# Without WordNet


def test_names_only_resolver_reports_wordnet_off(names_only: LabelResolver):
    result = names_only.resolve("dog")

    assert not names_only.wordnet_available
    assert not result.found
    assert "WordNet search is off" in result.message
    assert not result.wordnet_searched


def test_names_only_resolver_still_matches_synonyms(names_only: LabelResolver):
    result = names_only.resolve("mountain lion")

    assert result.found
    assert result.index == 286


# Index and random picks


def test_resolve_index_describes_class(names_only: LabelResolver):
    result = names_only.resolve_index(207)

    assert result.found
    assert result.method == "index"
    assert result.name == "golden retriever"


def test_resolve_index_rejects_out_of_range(names_only: LabelResolver):
    with pytest.raises(ValueError, match="0 to 999, got 1000"):
        names_only.resolve_index(1000)


def test_random_class_is_seeded(names_only: LabelResolver):
    first = names_only.random_class(seed=11)
    again = names_only.random_class(seed=11)
    others = {names_only.random_class(seed=seed).index for seed in range(20)}

    assert first.index == again.index
    assert first.method == "random"
    assert first.name == load_catalog()[first.index].name
    assert len(others) > 15
