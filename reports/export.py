"""Exports of a run's findings: JSON lines (the findings contract), CSV and XLSX."""
from __future__ import annotations

import csv
import json

CONTRACT_FIELDS = ("check", "severity", "url", "column", "target", "evidence", "suggestion", "detail",
                   "fingerprint", "first_seen", "last_seen", "status")


def contract_rows(store, run_id: int):
    """Findings of a run in the contract's shape (DESIGN.md, "Findings contract")."""
    for f in store.findings(run_id):
        yield {k: f[k] for k in CONTRACT_FIELDS}


def write_jsonl(store, run_id: int, out) -> int:
    n = 0
    for row in contract_rows(store, run_id):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(store, run_id: int, out) -> int:
    writer = csv.writer(out)
    writer.writerow(CONTRACT_FIELDS)
    n = 0
    for row in contract_rows(store, run_id):
        writer.writerow([json.dumps(row[k], ensure_ascii=False) if k == "detail" else row[k] for k in CONTRACT_FIELDS])
        n += 1
    return n


def write_xlsx(store, run_id: int, path) -> int:
    """The workbook for departments (reports/workbook.py): a summary sheet and one sheet per check family."""
    from reports.workbook import write_workbook
    return write_workbook(store, run_id, path)


def export(store, run_id: int, fmt: str, out_path: str | None):
    """Write the export; ``out_path`` None writes text formats to stdout."""
    import sys
    if fmt == "xlsx":
        return write_xlsx(store, run_id, out_path or "问题清单.xlsx")
    writer = {"jsonl": write_jsonl, "csv": write_csv}[fmt]
    if out_path:
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            return writer(store, run_id, fh)
    return writer(store, run_id, sys.stdout)
