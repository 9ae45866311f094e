#!/usr/bin/env bash
# One command for every benchmark: installs the peer tools (linkchecker for links, pycorrector's
# rule-based correctors for typos, in their own virtual environment so their pins never touch
# ours), then measures link checking and typo checking. Results go to benchmarks/results/.
#   bash benchmarks/run-all.sh            # demo portal (1,500 articles) for links, large (24,000) for typos
#   SIZE=large bash benchmarks/run-all.sh  # the reference portal's year for both (slow: linkchecker takes hours)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${SIZE:-demo}"
PEER="${PEER_VENV:-.bench-peer}"
if [ ! -x "$PEER/bin/linkchecker" ]; then
    python3 -m venv "$PEER"
    "$PEER/bin/pip" install -q linkchecker
fi
if ! "$PEER/bin/python" -c "import importlib.util as u, sys; sys.exit(u.find_spec('pycorrector') is None)"; then
    # --no-deps: transformers/torch serve pycorrector's model-based correctors only, which need downloads
    "$PEER/bin/pip" install -q --no-deps pycorrector==1.1.4
    "$PEER/bin/pip" install -q loguru jieba pypinyin pyahocorasick
fi
python3 -m pip install -q -e .
PATH="$PWD/$PEER/bin:$PATH" python3 benchmarks/run.py --size "$SIZE"
python3 benchmarks/typos.py --size large --score --suspect --peer "$PEER/bin/python"
