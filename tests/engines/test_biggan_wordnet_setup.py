"""Building NLTK's WordNet folder from Debian's packages and lexnames(5WN)."""

from pathlib import Path

import pytest
from annlab.engines.biggan.wordnet import find_wordnet_folder, load_wordnet
from annlab.engines.biggan.wordnet_setup import (
    DATABASE_FILES,
    DEBIAN_WORDNET_DIR,
    build_from_debian,
    find_lexnames_manual,
    format_lexnames,
    is_wordnet_folder,
    parse_lexnames_manual,
    prepare_wordnet,
    read_manual_page,
)

MANUAL_PAGE = find_lexnames_manual()
needs_debian_wordnet = pytest.mark.skipif(
    MANUAL_PAGE is None or not (DEBIAN_WORDNET_DIR / "data.noun").is_file(),
    reason="Debian's wordnet-base and wordnet-sense-index are not installed",
)

# A cut-down page in the manual's troff layout, for the parser's error paths.
SMALL_PAGE = """.SS Syntactic Category
.nf
\\fB1\\fP\tNOUN
\\fB2\\fP\tVERB
.fi
.TS
\\fBFile Number\\fP\t\\fBName\\fP\t\\fBContents\\fP
00\tnoun.Tops\tunique beginner for nouns
01\tverb.body\tverbs of grooming
.TE
"""


@needs_debian_wordnet
def test_parse_lexnames_manual_lists_45_files():
    rows = parse_lexnames_manual(read_manual_page(MANUAL_PAGE))

    assert len(rows) == 45
    assert [number for number, _, _ in rows] == list(range(45))
    by_name = {name: category for _, name, category in rows}
    assert by_name["adj.all"] == 3
    assert by_name["adj.pert"] == 3
    assert by_name["adv.all"] == 4
    assert by_name["noun.Tops"] == 1
    assert by_name["noun.animal"] == 1
    assert by_name["verb.weather"] == 2
    assert by_name["adj.ppl"] == 3
    assert rows[5] == (5, "noun.animal", 1)


@needs_debian_wordnet
def test_format_lexnames_matches_nltk_layout():
    text = format_lexnames(parse_lexnames_manual(read_manual_page(MANUAL_PAGE)))
    lines = text.splitlines()

    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3"
    assert lines[44] == "44\tadj.ppl\t3"
    assert text.endswith("\n")


def test_parse_lexnames_rejects_incomplete_page():
    with pytest.raises(ValueError, match="numbered 0 to 44"):
        parse_lexnames_manual(SMALL_PAGE)


def test_parse_lexnames_rejects_unknown_category():
    lines = [f"{number:02d}\tnoun.x{number}\tcontents" for number in range(44)]
    page = SMALL_PAGE.replace("01\tverb.body\tverbs of grooming", "\n".join(lines[1:]))
    page += "44\tfoo.bar\tcontents\n"
    with pytest.raises(ValueError, match="foo.bar"):
        parse_lexnames_manual(page)


@needs_debian_wordnet
def test_build_from_debian_creates_complete_folder(tmp_path: Path):
    corpus_dir = build_from_debian(tmp_path)

    assert corpus_dir == tmp_path / "corpora" / "wordnet"
    assert is_wordnet_folder(corpus_dir)
    for name in DATABASE_FILES:
        copied = corpus_dir / name
        assert not copied.is_symlink()
        assert copied.stat().st_nlink == 1
        assert copied.stat().st_size == (DEBIAN_WORDNET_DIR / name).stat().st_size
    assert len((corpus_dir / "lexnames").read_text().splitlines()) == 45


@needs_debian_wordnet
def test_build_from_debian_twice_changes_nothing(tmp_path: Path):
    corpus_dir = build_from_debian(tmp_path)
    before = {path.name: path.stat().st_mtime_ns for path in corpus_dir.iterdir()}

    build_from_debian(tmp_path)

    after = {path.name: path.stat().st_mtime_ns for path in corpus_dir.iterdir()}
    assert after == before


@needs_debian_wordnet
def test_build_from_debian_replaces_damaged_copy(tmp_path: Path):
    corpus_dir = build_from_debian(tmp_path)
    (corpus_dir / "noun.exc").write_text("damaged\n")

    build_from_debian(tmp_path)

    assert (corpus_dir / "noun.exc").read_bytes() == (
        DEBIAN_WORDNET_DIR / "noun.exc"
    ).read_bytes()


def test_build_from_debian_reports_missing_source(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="wordnet-base"):
        build_from_debian(tmp_path / "target", source_dir=tmp_path / "empty")


def test_prepare_wordnet_without_download_raises(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        prepare_wordnet(
            tmp_path / "target", source_dir=tmp_path / "empty", allow_download=False
        )


@needs_debian_wordnet
def test_built_folder_loads_in_nltk(tmp_path: Path):
    build_from_debian(tmp_path)

    assert find_wordnet_folder([tmp_path]) == tmp_path / "corpora" / "wordnet"
    wordnet = load_wordnet([tmp_path])

    assert wordnet is not None
    assert wordnet.get_version() == "3.0"
    tabby = wordnet.synset_from_pos_and_offset("n", 2123045)
    assert tabby.lemma_names()[0] == "tabby"
    assert tabby.lexname() == "noun.animal"


def test_load_wordnet_without_folder_returns_none(tmp_path: Path):
    assert find_wordnet_folder([tmp_path]) is None
    assert load_wordnet([tmp_path]) is None
