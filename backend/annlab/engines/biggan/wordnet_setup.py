"""Build an NLTK WordNet corpus folder from Debian's WordNet 3.0 packages.

NLTK's WordNet reader looks for `corpora/wordnet` under each folder of
`nltk.data.path`. Debian's `wordnet-base` and `wordnet-sense-index` install the
database files in /usr/share/wordnet but not the `lexnames` file that the
reader also opens. That file lists the 45 lexicographer files (number, name,
syntactic category), and this module generates it from the lexnames(5WN)
manual page that `wordnet-base` installs.

Run `python -m annlab.engines.biggan.wordnet_setup [--target NLTK_DATA_DIR]`.
Where the Debian files are missing, it falls back to `nltk.download("wordnet")`
into the same folder, which needs internet access.
"""

import argparse
import gzip
import logging
import re
import shutil
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

DEBIAN_WORDNET_DIR = Path("/usr/share/wordnet")
DEBIAN_MANUAL_DIR = Path("/usr/share/man/man5")
LEXNAMES_MANUAL_GLOB = "lexnames.5WN*"
LEXNAMES_COUNT = 45

# Files of the WordNet database that NLTK's reader opens, besides `lexnames`.
DATABASE_FILES = (
    "cntlist.rev",
    "index.sense",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
    "adj.exc",
    "adv.exc",
    "noun.exc",
    "verb.exc",
)

# In the manual page's table of syntactic categories: "\fB1\fP<tab>NOUN".
_CATEGORY_LINE = re.compile(r"^\\fB(\d)\\fP\s+([A-Z]+)\s*$")
# In its table of lexicographer files: "05<tab>noun.animal<tab>nouns denoting ...".
_LEXNAME_LINE = re.compile(r"^(\d\d)\t(\S+)\s")


def read_manual_page(path: Path) -> str:
    """Return the troff source of a manual page, gzip-compressed or not."""
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as file:
            return file.read()
    return path.read_text(encoding="utf-8")


def find_lexnames_manual(manual_dir: Path = DEBIAN_MANUAL_DIR) -> Path | None:
    matches = sorted(manual_dir.glob(LEXNAMES_MANUAL_GLOB))
    return matches[0] if matches else None


def parse_lexnames_manual(text: str) -> list[tuple[int, str, int]]:
    """Extract (file number, file name, syntactic category) from lexnames(5WN).

    The category number comes from the page's own table (1 NOUN, 2 VERB,
    3 ADJECTIVE, 4 ADVERB), matched against each file name's prefix
    (`noun.`, `verb.`, `adj.`, `adv.`). Raises ValueError when the page does
    not list 45 consecutively numbered files or a prefix has no category.
    """
    categories: dict[str, int] = {}
    entries: list[tuple[int, str]] = []
    for line in text.splitlines():
        category = _CATEGORY_LINE.match(line)
        if category:
            categories[category.group(2).lower()] = int(category.group(1))
            continue
        lexname = _LEXNAME_LINE.match(line)
        if lexname:
            entries.append((int(lexname.group(1)), lexname.group(2)))

    numbers = [number for number, _ in entries]
    if numbers != list(range(LEXNAMES_COUNT)):
        raise ValueError(
            f"Expected lexicographer files numbered 0 to {LEXNAMES_COUNT - 1} in the "
            f"lexnames manual page, found {len(entries)}: {numbers}"
        )

    rows = []
    for number, name in entries:
        prefix = name.split(".", 1)[0].lower()
        matching = [
            code for word, code in categories.items() if word.startswith(prefix)
        ]
        if len(matching) != 1:
            raise ValueError(
                f"No single syntactic category for lexicographer file {name!r} in "
                f"the lexnames manual page (categories found: {sorted(categories)})"
            )
        rows.append((number, name, matching[0]))
    return rows


def format_lexnames(rows: list[tuple[int, str, int]]) -> str:
    """Format rows as the `lexnames` file: number, name and category, tab-separated."""
    return "".join(
        f"{number:02d}\t{name}\t{category}\n" for number, name, category in rows
    )


def is_wordnet_folder(folder: Path) -> bool:
    """Return whether `folder` contains every file NLTK's WordNet reader opens."""
    names = (*DATABASE_FILES, "lexnames")
    return all((folder / name).is_file() for name in names)


def _copy_if_changed(source: Path, target: Path) -> None:
    # NLTK 3.10 refuses symbolic links that leave the corpus folder and files
    # with more than one hard link, so each database file gets its own copy.
    if target.is_file() and not target.is_symlink():
        source_stat, target_stat = source.stat(), target.stat()
        same_size = source_stat.st_size == target_stat.st_size
        same_time = source_stat.st_mtime == target_stat.st_mtime
        if same_size and same_time and target_stat.st_nlink == 1:
            return
    if target.exists() or target.is_symlink():
        target.unlink()
    partial = target.with_name(target.name + ".tmp")
    shutil.copy2(source, partial)
    partial.replace(target)


def _write_if_changed(path: Path, text: str) -> None:
    if (
        path.is_file()
        and not path.is_symlink()
        and path.read_text(encoding="utf-8") == text
    ):
        return
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def build_from_debian(
    nltk_data_dir: Path,
    source_dir: Path = DEBIAN_WORDNET_DIR,
    manual_page: Path | None = None,
) -> Path:
    """Create `<nltk_data_dir>/corpora/wordnet` from Debian's files and return it.

    Database files are copied (about 36 MB) and `lexnames` is generated from
    the manual page. Running it again changes nothing that is
    already right. Raises FileNotFoundError when a source file is missing.
    """
    missing = [name for name in DATABASE_FILES if not (source_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"WordNet files missing in {source_dir}: {', '.join(missing)}. "
            "On Debian, install wordnet-base and wordnet-sense-index."
        )
    manual_page = manual_page or find_lexnames_manual()
    if manual_page is None or not manual_page.is_file():
        raise FileNotFoundError(
            f"The lexnames(5WN) manual page was not found in {DEBIAN_MANUAL_DIR}. "
            "On Debian, install wordnet-base."
        )
    lexnames = format_lexnames(parse_lexnames_manual(read_manual_page(manual_page)))

    corpus_dir = nltk_data_dir / "corpora" / "wordnet"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for name in DATABASE_FILES:
        _copy_if_changed(source_dir / name, corpus_dir / name)
    _write_if_changed(corpus_dir / "lexnames", lexnames)
    return corpus_dir


def download_with_nltk(nltk_data_dir: Path) -> Path:
    """Download WordNet with NLTK's downloader into `nltk_data_dir` (needs internet)."""
    import nltk

    if not nltk.download("wordnet", download_dir=str(nltk_data_dir), quiet=True):
        raise RuntimeError(
            f"nltk.download('wordnet') failed for {nltk_data_dir}; check the "
            "internet connection, or install Debian's wordnet-base and "
            "wordnet-sense-index."
        )
    return nltk_data_dir / "corpora" / "wordnet"


def prepare_wordnet(
    nltk_data_dir: Path,
    source_dir: Path = DEBIAN_WORDNET_DIR,
    manual_page: Path | None = None,
    allow_download: bool = True,
) -> Path:
    """Make `<nltk_data_dir>/corpora/wordnet` usable and return its path.

    Uses Debian's files where they are installed, otherwise NLTK's downloader
    when `allow_download` is true. Raises FileNotFoundError when neither works.
    """
    try:
        return build_from_debian(nltk_data_dir, source_dir, manual_page)
    except FileNotFoundError:
        if not allow_download:
            raise
        logger.info("Debian WordNet files not found; trying nltk.download")
        return download_with_nltk(nltk_data_dir)


def main(argv: list[str] | None = None) -> int:
    from annlab.core.settings import Settings

    parser = argparse.ArgumentParser(
        prog="python -m annlab.engines.biggan.wordnet_setup",
        description="Build <nltk_data>/corpora/wordnet for the BigGAN label resolver.",
    )
    parser.add_argument(
        "--target",
        type=Path,
        help="NLTK data folder to fill "
        "(default: <data_dir>/nltk_data, data_dir from ANNLAB_DATA_DIR).",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=DEBIAN_WORDNET_DIR,
        help="Folder with the WordNet 3.0 database files "
        f"(default {DEBIAN_WORDNET_DIR}).",
    )
    parser.add_argument(
        "--no-download",
        action="store_true",
        help="Fail instead of calling nltk.download when the Debian files are missing.",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level="INFO", format="%(levelname)s %(message)s")

    target = args.target or Settings().nltk_data_dir
    try:
        corpus_dir = prepare_wordnet(
            target, source_dir=args.source, allow_download=not args.no_download
        )
    except (FileNotFoundError, ValueError, RuntimeError) as error:
        logger.error("WordNet set-up failed: %s", error)
        return 1
    logger.info("WordNet is ready in %s", corpus_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
