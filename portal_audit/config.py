"""Site config: load a TOML file, validate it, fill polite defaults.

A wrong config raises ``ConfigError`` whose message names the file and the
key, so the CLI can print one line and exit with code 2.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATEGORIES = ("news", "notice", "policy", "personnel", "plan", "interaction", "other")

CRAWL_DEFAULTS = {
    "concurrency_per_host": 8,
    "delay_seconds": 0.0,
    "obey_robots": True,
    "timeout_seconds": 20,
    "user_agent": "portal-audit/0.1 (+mailto:webmaster@example.gov.cn)",
    "max_pages": 0,            # 0: no limit
    "max_response_bytes": 10 * 1024 * 1024,
    "retry_times": 2,
    "skip_patterns": [],       # regular expressions: matching targets are recorded as skipped, never fetched
    "soft404_phrases": [],     # extra phrases that mark a "page not found" answered with 200
    "read_attachments": True,  # read pdf/docx/xlsx on the site's own hosts (personal data check)
}


class ConfigError(ValueError):
    """A config problem, worded for the person who has to fix the file."""


@dataclass
class SiteConfig:
    path: str
    site: dict
    crawl: dict
    columns: list[dict]
    rules: dict = field(default_factory=dict)
    languagetool: dict = field(default_factory=dict)
    typos: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.site["name"]

    @property
    def home(self) -> str:
        return self.site["home"]

    @property
    def allowed_hosts(self) -> list[str]:
        return self.site["allowed_hosts"]

    def to_dict(self) -> dict:
        return {"path": self.path, "site": self.site, "crawl": self.crawl,
                "columns": self.columns, "rules": self.rules, "languagetool": self.languagetool,
                "typos": self.typos}


def _fail(path, key, problem):
    raise ConfigError(f"{path}: {key}: {problem}")


def _require_url(path, key, value):
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        _fail(path, key, f"expected an absolute http(s) URL, got {value!r}")


def _check_type(path, key, value, types, what):
    if not isinstance(value, types) or (isinstance(value, bool) and types is not bool):
        _fail(path, key, f"expected {what}, got {value!r}")


def parse_config(data: dict, path: str = "<config>") -> SiteConfig:
    """Validate a config already read from TOML; return a SiteConfig."""
    known = {"site", "crawl", "columns", "rules", "languagetool", "typos"}
    for key in data:
        if key not in known:
            _fail(path, key, f"unknown table (known: {', '.join(sorted(known))})")
    site = data.get("site")
    if not isinstance(site, dict):
        _fail(path, "site", "missing [site] table")
    for key in ("name", "home"):
        if key not in site:
            _fail(path, f"site.{key}", "missing")
    _check_type(path, "site.name", site["name"], str, "a string")
    _require_url(path, "site.home", site["home"])
    site = dict(site)
    site.setdefault("site_id_code", None)
    if site["site_id_code"] is not None:
        _check_type(path, "site.site_id_code", site["site_id_code"], str, "a string")
    hosts = site.setdefault("allowed_hosts", [urlsplit(site["home"]).netloc])
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts):
        _fail(path, "site.allowed_hosts", f"expected a list of host names, got {hosts!r}")
    site["allowed_hosts"] = [h.lower() for h in hosts]

    crawl = dict(CRAWL_DEFAULTS)
    given = data.get("crawl", {})
    if not isinstance(given, dict):
        _fail(path, "crawl", "expected a table")
    for key, value in given.items():
        if key not in CRAWL_DEFAULTS:
            _fail(path, f"crawl.{key}", f"unknown key (known: {', '.join(CRAWL_DEFAULTS)})")
        default = CRAWL_DEFAULTS[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif isinstance(default, (int, float)):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, type(default))
        if not ok:
            _fail(path, f"crawl.{key}", f"expected {type(default).__name__} (like {default!r}), got {value!r}")
        crawl[key] = value
    if crawl["concurrency_per_host"] < 1:
        _fail(path, "crawl.concurrency_per_host", "must be at least 1")
    import re
    for i, pattern in enumerate(crawl["skip_patterns"]):
        try:
            re.compile(pattern)
        except re.error as exc:
            _fail(path, f"crawl.skip_patterns[{i}]", f"not a valid regular expression: {exc}")

    columns = data.get("columns", [])
    if not isinstance(columns, list):
        _fail(path, "columns", "expected [[columns]] entries")
    seen = set()
    out_columns = []
    for i, col in enumerate(columns):
        where = f"columns[{i}]"
        if not isinstance(col, dict):
            _fail(path, where, "expected a table")
        for key in ("name", "url"):
            if key not in col:
                _fail(path, f"{where}.{key}", "missing")
        _check_type(path, f"{where}.name", col["name"], str, "a string")
        _require_url(path, f"{where}.url", col["url"])
        if col["name"] in seen:
            _fail(path, f"{where}.name", f"duplicate column name {col['name']!r}")
        seen.add(col["name"])
        col = dict(col)
        col.setdefault("category", "other")
        if col["category"] not in CATEGORIES:
            _fail(path, f"{where}.category", f"{col['category']!r} is not one of {', '.join(CATEGORIES)}")
        col.setdefault("official_documents", False)
        _check_type(path, f"{where}.official_documents", col["official_documents"], bool, "true or false")
        col.setdefault("department", None)
        out_columns.append(col)
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        _fail(path, "rules", "expected a table")
    lt = _languagetool_table(path, data.get("languagetool", {}))
    typos = _typos_table(path, data.get("typos", {}))
    return SiteConfig(path=str(path), site=site, crawl=crawl, columns=out_columns, rules=rules, languagetool=lt,
                      typos=typos)


def _local_path(path, key, value, *, directory=False) -> str:
    """A file or folder named in the config, relative to the config file; it must exist when the file does."""
    if not isinstance(value, str) or not value.strip():
        _fail(path, key, f"expected a path (a string), got {value!r}")
    p = Path(value).expanduser()
    if not p.is_absolute() and Path(str(path)).is_file():
        p = Path(str(path)).resolve().parent / p
    if Path(str(path)).is_file() or p.is_absolute():
        if directory and not p.is_dir():
            _fail(path, key, f"no such folder: {p}")
        if not directory and not p.is_file():
            _fail(path, key, f"no such file: {p}")
    return str(p)


def _typos_table(path, table) -> dict:
    """[typos]: whitelist (a file of words, or a list of them) and extra_rules (a TSV file of house rules)."""
    if not isinstance(table, dict):
        _fail(path, "typos", "expected a table")
    out = {}
    for key, value in table.items():
        if key == "whitelist":
            if isinstance(value, list):
                if not all(isinstance(w, str) and w.strip() for w in value):
                    _fail(path, "typos.whitelist", f"expected words (strings), got {value!r}")
                out[key] = [w.strip() for w in value]
            else:
                out[key] = _local_path(path, "typos.whitelist", value)
        elif key == "extra_rules":
            out[key] = _local_path(path, "typos.extra_rules", value)
        else:
            _fail(path, f"typos.{key}", "unknown key (known: whitelist, extra_rules)")
    return out


def _languagetool_table(path, table) -> dict:
    """[languagetool]: remote_server (http URL) or local_dir (a LanguageTool folder), and language."""
    if not isinstance(table, dict):
        _fail(path, "languagetool", "expected a table")
    out = {}
    for key, value in table.items():
        if key == "remote_server":
            _require_url(path, "languagetool.remote_server", value)
            out[key] = value.rstrip("/")
        elif key == "local_dir":
            out[key] = _local_path(path, "languagetool.local_dir", value, directory=True)
        elif key == "language":
            if not isinstance(value, str) or not value.strip():
                _fail(path, "languagetool.language", f"expected a language code such as 'zh-CN', got {value!r}")
            out[key] = value.strip()
        else:
            _fail(path, f"languagetool.{key}", "unknown key (known: remote_server, local_dir, language)")
    if "remote_server" in out and "local_dir" in out:
        _fail(path, "languagetool", "give remote_server or local_dir, not both")
    return out


def load_config(path) -> SiteConfig:
    """Read and validate a site config file.

    >>> load_config("site.toml")            # doctest: +SKIP
    SiteConfig(path='site.toml', ...)
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the file is not UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, str(path))
