"""The context every page check receives, and the shared data-file loaders.

The lead builds it once per run::

    CheckContext(site=config["site"], columns={c["name"]: c for c in config["columns"]},
                 rules=merged_rules(config.get("rules")), as_of="2020-12-31")

Data files under ``checks/data/`` are read once per process (``functools.cache``)
through ``importlib.resources`` so they work from an installed wheel too. Each
file starts with ``#`` comment lines naming its source and licence.
"""
from __future__ import annotations

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files


@dataclass
class CheckContext:
    site: dict = field(default_factory=dict)
    columns: dict[str, dict] = field(default_factory=dict)   # column name -> config entry
    rules: dict = field(default_factory=dict)
    as_of: str | None = None                                 # "YYYY-MM-DD"; None means today
    whitelist: frozenset = field(default_factory=frozenset)  # words never reported as typos
    extra_typos: tuple = ()            # the site's own (wrong, right) pairs: [typos] extra_rules
    extra_context_rules: tuple = ()    # the site's own context rules, parsed (checks.typos.parse_context_rules)
    languagetool: dict = field(default_factory=dict)         # [languagetool]: remote_server / local_dir / language

    def column_config(self, name: str | None) -> dict:
        return self.columns.get(name, {}) if name else {}

    def is_official_documents_page(self, page: dict) -> bool:
        """An article page of a column whose items are official documents."""
        return (page.get("page_type") == "article"
                and bool(self.column_config(page.get("column")).get("official_documents")))


def data_text(name: str) -> str:
    return files("checks").joinpath("data", name).read_text(encoding="utf-8")


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV data file, skipping ``#`` comments and blank lines; fields stripped."""
    rows = []
    for line in data_text(name).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(f.strip() for f in line.split("\t")))
    return tuple(rows)


@cache
def load_toml(name: str) -> dict:
    return tomllib.loads(data_text(name))


def snippet(text: str, start: int, end: int, width: int = 20) -> str:
    """About ``width`` characters either side of text[start:end], newlines flattened."""
    return text[max(0, start - width):end + width].replace("\n", " ")
