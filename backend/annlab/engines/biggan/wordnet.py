"""Find and open NLTK's WordNet corpus for the label resolver."""

import logging
import warnings
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)


def find_wordnet_folder(search_paths: Iterable[str | Path]) -> Path | None:
    """Return the first `<path>/corpora/wordnet` folder with a complete database."""
    from annlab.engines.biggan.wordnet_setup import is_wordnet_folder

    for path in search_paths:
        folder = Path(path) / "corpora" / "wordnet"
        if is_wordnet_folder(folder):
            return folder
    return None


def load_wordnet(search_paths: Iterable[str | Path]):
    """Open WordNet from the first search path that has it, or return None.

    Each search path is added to `nltk.data.path` if missing, because NLTK
    (3.10) opens corpus files only below a folder of `nltk.data.path` and
    looks the corpus up there again while it loads. Returns a fresh
    `WordNetCorpusReader`, not the shared `nltk.corpus.wordnet`, so that the
    result follows the paths given. Loading reads the index files, which
    takes a few seconds.
    """
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    search_paths = [str(path) for path in search_paths]
    folder = find_wordnet_folder(search_paths)
    if folder is None:
        return None
    data_root = str(folder.parent.parent)
    if data_root not in nltk.data.path:
        nltk.data.path.insert(0, data_root)

    with warnings.catch_warnings():
        # The reader warns that the multilingual Open Multilingual Wordnet
        # functions are off; the resolver uses English lemmas only.
        warnings.filterwarnings("ignore", message="The multilingual functions")
        try:
            reader = WordNetCorpusReader(str(folder), None)
        except (OSError, LookupError, ValueError) as error:
            logger.error("WordNet in %s could not be opened: %s", folder, error)
            return None
    logger.info("WordNet %s loaded from %s", reader.get_version(), folder)
    return reader
