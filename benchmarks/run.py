"""Benchmark: portal-audit against linkchecker on the same simulated portal, in the same run.

    python benchmarks/run.py --size demo            # 1,500 articles (about 2 minutes)
    python benchmarks/run.py --size large           # 24,000 articles (the reference portal's year)

The portal is served by its own process on loopback. Each tool runs as a
child process; wall time comes from the clock, peak memory from
getrusage(RUSAGE_CHILDREN) taken after each tool alone. Broken links are
scored against the portal's ground truth as (source page, target) pairs.
Results go to benchmarks/results/ as JSON and Markdown, with the machine.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import machine  # noqa: E402
from portal_audit.simportal import PRESETS, generate_portal  # noqa: E402


def timed(cmd, **kw) -> dict:
    """Run one child to completion; wall seconds and its peak RSS (in a fresh helper process)."""
    # A wrapper process isolates RUSAGE_CHILDREN to this one command.
    wrapper = ("import resource, subprocess, sys, time, json; t=time.monotonic(); "
               "p=subprocess.run(sys.argv[1:]); "
               "print(json.dumps({'rc': p.returncode, 'wall': time.monotonic()-t, "
               "'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, **kw)
    last = proc.stderr.strip().splitlines()[-1]
    out = json.loads(last)
    out["stdout"], out["stderr"] = proc.stdout, proc.stderr
    return out


def score(found: set, expected: set) -> dict:
    hits = found & expected
    return {"found": len(found), "expected": len(expected), "hits": len(hits),
            "precision": round(len(hits) / len(found), 4) if found else 0.0,
            "recall": round(len(hits) / len(expected), 4) if expected else 1.0}


def start_server(site_dir, config):
    proc = subprocess.Popen([sys.executable, "-m", "portal_audit.simportal", "serve", str(site_dir),
                             "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    origin = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+)", line or "")
        if m:
            origin = m.group(1)
        if origin and line.startswith("serving"):
            break
    if not origin:
        proc.kill()
        raise RuntimeError("the simulated portal did not start")
    return proc, origin


def resolve(text: str, port: str) -> str:
    from portal_audit.simportal.server import resolve_tokens
    return resolve_tokens(text, int(port))


def run_portal_audit(config, truth, tmp) -> dict:
    db = tmp / "bench.db"
    r = timed([sys.executable, "-m", "portal_audit.cli", "--log-level", "WARNING", "run", str(config),
               "--db", str(db), "--as-of", truth["as_of"], "--report", str(tmp / "report.txt")], cwd=ROOT)
    export = subprocess.run([sys.executable, "-m", "portal_audit.cli", "export", "--db", str(db)],
                            capture_output=True, text=True, cwd=ROOT)
    findings = [json.loads(l) for l in export.stdout.splitlines() if l.strip()]
    import sqlite3
    con = sqlite3.connect(db)
    pages = con.execute("select count(*) from pages").fetchone()[0]
    targets = con.execute("select count(*) from link_statuses").fetchone()[0]
    con.close()
    found = {(f["url"], f["target"]) for f in findings if f["check"] == "broken_link"}
    return {"tool": "portal-audit", "rc": r["rc"], "wall_s": round(r["wall"], 1), "peak_rss_mb": round(r["maxrss_kb"] / 1024, 1),
            "pages": pages, "targets": targets, "found": found}


def run_linkchecker(home, tmp) -> dict | None:
    """linkchecker, recursive, checking external links, unthrottled like our own loopback config."""
    from urllib.parse import urljoin
    exe = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    if not Path(exe).exists():
        return None
    cfg = tmp / "linkcheckerrc"
    cfg.write_text("[checking]\nthreads=16\ntimeout=10\nmaxrequestspersecond=1000\n", encoding="utf-8")
    r = timed([exe, "--config", str(cfg), "--no-status", "--check-extern", "-r", "-1", "-t", "16",
               "--timeout", "10", "-o", "csv", "--verbose", home], cwd=tmp)
    lines = [l for l in r["stdout"].splitlines() if l and not l.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    (tmp / "linkchecker.csv").write_text(r["stdout"], encoding="utf-8")
    def resolve_target(parent, raw):
        try:
            return urljoin(parent, raw)
        except ValueError:   # a malformed URL stays as written, as our own store keeps it
            return raw
    broken = {(row["parentname"], resolve_target(row["parentname"], row["urlname"])) for row in rows
              if row.get("valid", "").lower() == "false" and row.get("parentname")
              and not row["urlname"].startswith(("mailto:", "tel:", "javascript:"))}
    pages = len({row["url"] for row in rows if row.get("url", "").startswith("http://127.0.0.1")
                 and row.get("valid", "").lower() == "true" and not row["url"].rsplit(".", 1)[-1] in ("pdf", "doc", "docx", "xls", "xlsx", "png", "jpg", "css", "js")})
    return {"tool": f"linkchecker {lc_version(exe)}", "rc": r["rc"], "wall_s": round(r["wall"], 1),
            "peak_rss_mb": round(r["maxrss_kb"] / 1024, 1), "pages": pages,
            "targets": len({row["url"] for row in rows}), "found": broken}


def lc_version(exe):
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout
        m = re.search(r"LinkChecker ([\d.]+)", out)
        return m.group(1) if m else "?"
    except Exception:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="demo", help="small | demo | large, or a number of articles")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--no-peer", action="store_true", help="skip linkchecker")
    args = ap.parse_args()
    articles = PRESETS[args.size] if args.size in PRESETS else int(args.size)
    tmp = Path(tempfile.mkdtemp(prefix="portal-audit-bench-"))
    try:
        site = generate_portal(tmp / "site", articles=articles, seed=args.seed)
        config = tmp / "site.toml"
        server, origin = start_server(site, config)
        try:
            port = origin.rsplit(":", 1)[1]
            truth = json.loads(resolve((Path(site) / "ground_truth.json").read_text(encoding="utf-8"), port))
            expected = {(d["url"], d["target"]) for d in truth["defects"] if d["check"] == "broken_link"}
            results = []
            pa = run_portal_audit(config, truth, tmp)
            results.append(pa)
            if not args.no_peer:
                lc = run_linkchecker(truth["site"]["home"], tmp)
                if lc:
                    results.append(lc)
        finally:
            server.terminate()
            server.wait(timeout=30)
        report = {"date": date.today().isoformat(), "command": f"python benchmarks/run.py --size {args.size}",
                  "articles": articles, "machine": machine(), "results": []}
        for r in results:
            s = score(r.pop("found"), expected)
            r["broken_links"] = s
            r["pages_per_s"] = round(r["pages"] / r["wall_s"], 1) if r["wall_s"] else None
            report["results"].append(r)
        write_report(report, args.size)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_report(report, size):
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stem = f"{report['date']}-links-{size}"
    (out / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = [f"# Link-check benchmark, {report['articles']} articles ({report['date']})", "",
             f"Command: `{report['command']}`  ", f"Machine: {report['machine']}", "",
             "| tool | wall s | peak RSS MB | pages | targets | pages/s | broken precision | broken recall |",
             "|---|---|---|---|---|---|---|---|"]
    for r in report["results"]:
        b = r["broken_links"]
        lines.append(f"| {r['tool']} | {r['wall_s']} | {r['peak_rss_mb']} | {r['pages']} | {r['targets']} | "
                     f"{r['pages_per_s']} | {b['precision']} ({b['hits']}/{b['found']}) | {b['recall']} ({b['hits']}/{b['expected']}) |")
    (out / f"{stem}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
