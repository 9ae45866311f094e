"""Benchmark: typo and serious-error checks over the simulated portal's text.

    python benchmarks/typos.py --size large          # 24,000 articles: throughput in chars/s
    python benchmarks/typos.py --size demo --score   # also precision/recall per layer vs ground truth
    python benchmarks/typos.py --size demo --score --peer .bench-peer/bin/python   # and pycorrector

The portal is generated (or reused with --dir), every HTML file is decoded and
parsed once with crawler.extract, and only the typo and serious checks run over
the page records, so the timing is the checks' own, not the crawl's. Characters
are those of title + body text, the text the checks read. Results go to
benchmarks/results/ as JSON and Markdown, with the machine and the command.

--peer names a Python that has pycorrector (installed by benchmarks/run-all.sh into
.bench-peer): its ConfusionCorrector gets the same pairs as our dictionary layer and its
ProperCorrector the same set phrases as our near-miss layer, over the same texts, and both are
timed and scored the same way (benchmarks/peer_pycorrector.py).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from checks import serious, typos  # noqa: E402
from checks.context import CheckContext  # noqa: E402
from crawler.extract import extract_page  # noqa: E402
from benchmarks.machine import machine  # noqa: E402
from portal_audit.simportal import PRESETS, generate_portal  # noqa: E402

HOME = "__HOME__"   # the ground truth's placeholder for the portal's origin


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def portal_pages(site: Path, truth: dict):
    """Page records of every HTML file of the generated portal, keyed as the ground truth keys them."""
    root = site / "portal"
    articles = {u for c in truth["columns"] for u in c.get("item_urls", [])}
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        url = f"{HOME}/{rel}"
        tree = lxml.html.fromstring(decode(path.read_bytes()))
        page = extract_page(tree, url)
        page["page_type"] = "article" if url in articles else "other"
        yield page


def run_checks(pages: list[dict], ctx: CheckContext) -> tuple[list[dict], dict]:
    """Typo and serious findings over ``pages``, with the checks' own time and the characters read."""
    chars = sum(len(p.get("title") or "") + 1 + len(p.get("body_text") or "") for p in pages)
    typos.automaton(), serious.check   # build the automata before the clock starts
    list(typos.check({"url": "x", "title": "", "body_text": "布署"}, ctx))
    found = []
    t0 = time.perf_counter()
    for page in pages:
        found.extend(typos.check(page, ctx))
        found.extend(serious.check(page, ctx))
    seconds = time.perf_counter() - t0
    layers = {}                                       # each layer alone, to compare with a peer's matcher
    texts = [(p.get("title") or "") + "\n" + (p.get("body_text") or "") for p in pages]
    conf = typos.near_miss_settings(ctx)
    for name, fn in (("dictionary", lambda t: typos.find_typos(t, ctx.whitelist)),
                     ("near_miss", lambda t: typos.find_near_misses(t, conf, ctx.whitelist))):
        t1 = time.perf_counter()
        for t in texts:
            fn(t)
        secs = time.perf_counter() - t1
        layers[name] = round(chars / secs) if secs else None
    return found, {"pages": len(pages), "chars": chars, "seconds": round(seconds, 3),
                   "chars_per_second": round(chars / seconds) if seconds else None,
                   "layer_chars_per_second": layers}


def same_typo(found: tuple, planted: tuple) -> bool:
    """One problem: the same page, and one evidence inside the other (蜂涌而至 reported for planted 蜂涌)."""
    return found[0] == planted[0] and (found[1] in planted[1] or planted[1] in found[1])


def score_layers(findings: list[dict], truth: dict) -> dict:
    """Per layer: precision against every planted typo, and recall of each planted list.

    Recall of "any" counts a planted typo caught by any layer; that is the table a webmaster sees.
    "deduct" counts the layers whose findings are certain (severity deduct: all but the statistical
    layer's suspected ones).
    """
    planted = [(d["url"], d["evidence"], d.get("list", "heldout")) for d in truth["defects"] if d["check"] == "typo"]
    typo_findings = [f for f in findings if f["check"] == "typo"]
    layers = sorted({f["detail"].get("layer", "dictionary") for f in typo_findings} | {"dictionary"})
    out = {}
    for layer in layers + ["deduct", "any"]:
        found = {(f["url"], f["evidence"]) for f in typo_findings
                 if layer == "any" or (layer == "deduct" and f["severity"] == "deduct")
                 or f["detail"].get("layer", "dictionary") == layer}
        true_found = {f for f in found if any(same_typo(f, p[:2]) for p in planted)}
        row = {"found": len(found),
               "precision": round(len(true_found) / len(found), 4) if found else 1.0,
               "false": sorted(f"{u.rsplit('/', 1)[-1]}:{w}" for u, w in found - true_found)}
        for name in sorted({p[2] for p in planted}):
            expected = [p[:2] for p in planted if p[2] == name]
            hit = [e for e in expected if any(same_typo(f, e) for f in found)]
            row[f"recall_{name}"] = round(len(hit) / len(expected), 4) if expected else 1.0
            row[f"expected_{name}"] = len(expected)
        out[layer] = row
    found = {(f["url"], f["evidence"]) for f in findings if f["check"] == "serious_error"}
    expected = {(d["url"], d["evidence"]) for d in truth["defects"] if d["check"] == "serious_error"}
    out["serious_error"] = {"found": len(found), "expected_serious": len(expected),
                            "precision": round(len(found & expected) / len(found), 4) if found else 1.0,
                            "recall_serious": round(len(found & expected) / len(expected), 4) if expected else 1.0,
                            "false": sorted(w for _, w in found - expected)}
    return out


def run_peer(python: str, pages: list[dict], chars: int, truth: dict) -> dict:
    """pycorrector over the same texts, with the same pairs and set phrases, in its own interpreter."""
    import subprocess
    with tempfile.TemporaryDirectory(prefix="typos-peer-") as work:
        w = Path(work)
        with open(w / "texts.jsonl", "w", encoding="utf-8") as fh:
            for p in pages:
                fh.write(json.dumps({"url": p["url"], "text": (p.get("title") or "") + "\n" + (p.get("body_text") or "")},
                                    ensure_ascii=False) + "\n")
        (w / "pairs.tsv").write_text("".join(f"{a}\t{b}\n" for a, b in typos.dictionary().items()), encoding="utf-8")
        conf = typos.near_miss_settings()
        phrases, _ = typos.phrase_index(tuple(conf["lengths"]), conf["min_phrase_freq"])
        (w / "phrases.txt").write_text("".join(f"{p}\n" for p in sorted(phrases)), encoding="utf-8")
        done = subprocess.run([python, str(HERE / "peer_pycorrector.py"), work], capture_output=True, text=True,
                              check=True)
    raw = json.loads(done.stdout)
    out = {"tool": f"pycorrector {raw['version']}"}
    for name in ("ConfusionCorrector", "ProperCorrector"):
        found = [{"check": "typo", "severity": "deduct", "url": f["url"], "evidence": f["evidence"],
                  "detail": {"layer": name}} for f in raw[name]["findings"]]
        secs = raw[name]["seconds"]
        scores = score_layers(found, truth)[name] if found else {"found": 0}
        out[name] = {"seconds": secs, "chars_per_second": round(chars / secs) if secs else None,
                     **{k: v for k, v in scores.items() if k != "false"}, "false_sample": scores.get("false", [])[:10]}
    return out


def write_results(result: dict, size: str) -> Path:
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stem = out / f"{date.today().isoformat()}-typos-{size}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    t = result["throughput"]
    lines = [f"# Typo-check throughput, {size} portal ({result['articles']} articles)", "",
             f"- command: `{result['command']}`",
             f"- machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
             f"Python {result['machine']['python']}, {result['machine']['system']}",
             f"- dictionary pairs: {result['dictionary_pairs']}",
             f"- pages: {t['pages']}, characters (title + body): {t['chars']:,}",
             f"- typo + serious checks: {t['seconds']} s, **{t['chars_per_second']:,} chars/s** (one core)"]
    if t.get("layer_chars_per_second"):
        lines.append("- layers alone: " + ", ".join(f"{k} {v:,} chars/s" for k, v in t["layer_chars_per_second"].items()))
    if result.get("suspect"):
        s = result["suspect"]
        lines.append(f"- statistical layer (run-level, learns the site's frequencies): {s['seconds']} s, "
                     f"{s['chars_per_second']:,} chars/s, {s['findings']} suspected")
    if result.get("peer"):
        p = result["peer"]
        lines += ["", f"Peer, same texts, same run: {p['tool']} (rule-based correctors; its model-based ones need "
                      "downloads):", "",
                  "| corrector | given | seconds | chars/s | found | precision | recall, held-out list |",
                  "|---|---|---|---|---|---|---|"]
        for name, given in (("ConfusionCorrector", "our dictionary's pairs"), ("ProperCorrector", "our near-miss phrases")):
            s = p[name]
            lines.append(f"| {name} | {given} | {s['seconds']} | {s['chars_per_second']:,} | {s.get('found', 0)} "
                         f"| {s.get('precision', '')} | {s.get('recall_heldout', '')} |")
    if result.get("scores"):
        lines += ["", "| layer | found | precision | recall, held-out list | recall, context plantings |",
                  "|---|---|---|---|---|"]
        for layer, s in result["scores"].items():
            if layer != "serious_error":
                lines.append(f"| {layer} | {s['found']} | {s['precision']} | {s.get('recall_heldout', '')} "
                             f"| {s.get('recall_context', '')} |")
        s = result["scores"]["serious_error"]
        lines.append(f"| serious_error | {s['found']} | {s['precision']} | recall {s['recall_serious']} "
                     f"of {s['expected_serious']} | |")
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stem.with_suffix(".md")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=sorted(PRESETS), default="large")
    ap.add_argument("--dir", help="reuse (or keep) the generated portal in this folder")
    ap.add_argument("--score", action="store_true", help="score each layer against the ground truth")
    ap.add_argument("--suspect", action="store_true", help="also time the statistical layer")
    ap.add_argument("--no-write", action="store_true", help="print only; write nothing to benchmarks/results")
    ap.add_argument("--peer", metavar="PYTHON", help="a Python with pycorrector: measure it on the same texts")
    args = ap.parse_args(argv)
    site = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="typos-bench-"))
    if not (site / "ground_truth.json").exists():
        generate_portal(site, articles=PRESETS[args.size], seed=2020)
    truth = json.loads((site / "ground_truth.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    pages = list(portal_pages(site, truth))
    extract_seconds = time.perf_counter() - t0
    ctx = CheckContext(as_of=truth["as_of"])
    findings, throughput = run_checks(pages, ctx)
    result = {"command": "python benchmarks/typos.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "machine": machine(), "size": args.size, "articles": PRESETS[args.size],
              "dictionary_pairs": len(typos.dictionary()),
              "extract_seconds": round(extract_seconds, 2), "throughput": throughput}
    if args.suspect:
        from checks import suspect
        t1 = time.perf_counter()
        suspected = list(suspect.suspects_in_texts(
            ((p["url"], p.get("column"), (p.get("title") or "") + "\n" + (p.get("body_text") or ""))
             for p in pages if p["page_type"] == "article"),   # as the audit feeds it (audit.load_run_data)
            ctx))
        secs = time.perf_counter() - t1
        result["suspect"] = {"seconds": round(secs, 2), "findings": len(suspected),
                             "chars_per_second": round(throughput["chars"] / secs) if secs else None}
        findings += suspected
    if args.score:
        result["scores"] = score_layers(findings, truth)
    if args.peer:
        result["peer"] = run_peer(args.peer, pages, throughput["chars"], truth)
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, ensure_ascii=False, indent=1))
    if not args.no_write:
        print("written:", write_results(result, args.size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
