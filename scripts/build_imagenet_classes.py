"""Write backend/annlab/data/imagenet_classes.json from WordNet 3.0.

pytorch-pretrained-biggan's `utils.IMAGENET` maps the WordNet 3.0 noun offset
of each ImageNet class to its index (0-999). For every class this script
stores the offset, the WordNet id (`n` + offset), a display name, every lemma
as a synonym and the synset's gloss. The display name is the synset's first
lemma with underscores as spaces. With this file the app matches class names
without WordNet.

Usage: .venv/bin/python scripts/build_imagenet_classes.py [--nltk-data DIR]
(DIR must contain corpora/wordnet; see annlab.engines.biggan.wordnet_setup).
"""

import argparse
import json
import sys
from pathlib import Path

import nltk
from annlab.core.settings import Settings
from annlab.engines.biggan.wordnet import load_wordnet
from pytorch_pretrained_biggan.utils import IMAGENET

OUTPUT = (
    Path(__file__).resolve().parents[1]
    / "backend"
    / "annlab"
    / "data"
    / "imagenet_classes.json"
)


def lemma_to_text(lemma: str) -> str:
    return lemma.replace("_", " ")


def build_rows(wordnet) -> list[dict]:
    """Return one record per ImageNet class, ordered by class index."""
    index_to_offset = {index: offset for offset, index in IMAGENET.items()}
    if sorted(index_to_offset) != list(range(1000)):
        raise ValueError("IMAGENET does not map to the class indices 0-999")

    rows = []
    for index in range(1000):
        offset = index_to_offset[index]
        synset = wordnet.synset_from_pos_and_offset("n", offset)
        lemmas = [lemma_to_text(name) for name in synset.lemma_names()]
        rows.append(
            {
                "index": index,
                "offset": offset,
                "wnid": f"n{offset:08d}",
                "name": lemmas[0],
                "synonyms": lemmas,
                "gloss": synset.definition(),
            }
        )
    return rows


def format_rows(rows: list[dict]) -> str:
    """Format the list with one class per line, so that diffs stay readable."""
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--nltk-data",
        type=Path,
        default=Settings().nltk_data_dir,
        help="NLTK data folder that contains corpora/wordnet "
        "(default: <data_dir>/nltk_data).",
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help="JSON file to write."
    )
    args = parser.parse_args(argv)

    search_paths = [str(args.nltk_data), *nltk.data.path]
    wordnet = load_wordnet(search_paths)
    if wordnet is None:
        print(
            f"WordNet not found under {args.nltk_data} or nltk.data.path",
            file=sys.stderr,
        )
        return 1
    args.output.write_text(format_rows(build_rows(wordnet)), encoding="utf-8")
    print(f"Wrote 1000 classes to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
