"""The peer for the typo benchmark: pycorrector's rule-based correctors, run in the peer's own venv.

    python peer_pycorrector.py WORKDIR

WORKDIR holds texts.jsonl ({"url", "text"} a line), pairs.tsv (wrong<TAB>right) and
phrases.txt (one set phrase a line), written by benchmarks/typos.py. Two correctors run over
every text, each timed on its own:

- ConfusionCorrector, given the same wrong→right pairs as portal-audit's dictionary layer
  (an Aho-Corasick automaton too): the matcher measured against ours.
- ProperCorrector, given the same set phrases as portal-audit's near-miss layer: pycorrector's
  way of finding near misses of idioms (n-grams, pinyin and stroke similarity).

pycorrector's deep-learning and kenlm correctors need models downloaded at run time, so they are
not used. The package is installed with --no-deps (its transformers/torch requirements serve
those models only) and imported module by module, so its __init__ never loads them.
Prints one JSON object: per corrector, the seconds and the findings.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
import types
from pathlib import Path


def load_pycorrector():
    spec = importlib.util.find_spec("pycorrector")
    if spec is None:
        raise SystemExit("pycorrector is not installed in this interpreter")
    pkg = types.ModuleType("pycorrector")
    pkg.__path__ = [os.path.dirname(spec.origin)]
    sys.modules["pycorrector"] = pkg
    from pycorrector.confusion_corrector import ConfusionCorrector
    from pycorrector.proper_corrector import ProperCorrector
    from loguru import logger
    logger.remove()
    return ConfusionCorrector, ProperCorrector, pkg.__path__[0]


def main(workdir: str) -> int:
    work = Path(workdir)
    ConfusionCorrector, ProperCorrector, root = load_pycorrector()
    texts = [json.loads(line) for line in (work / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = dict(line.split("\t")[:2] for line in (work / "pairs.tsv").read_text(encoding="utf-8").splitlines() if "\t" in line)
    out = {"version": importlib.metadata.version("pycorrector")}
    confusion = ConfusionCorrector(pairs)
    proper = ProperCorrector(proper_name_path=str(work / "phrases.txt"),
                             stroke_path=os.path.join(root, "data", "stroke.txt"))
    for name, corrector in (("ConfusionCorrector", confusion), ("ProperCorrector", proper)):
        found = []
        t0 = time.perf_counter()
        for item in texts:
            for wrong, right, _pos in corrector.correct(item["text"])["errors"]:
                found.append({"url": item["url"], "evidence": wrong, "suggestion": right})
        out[name] = {"seconds": round(time.perf_counter() - t0, 3), "findings": found}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    import importlib.metadata
    sys.exit(main(sys.argv[1]))
