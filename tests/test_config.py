"""A wrong config gets one line naming the file and the key, and exit code 2."""
import pytest

from conftest import run_cli
from portal_audit.config import ConfigError, load_config

GOOD = """
[site]
name = "测试区人民政府"
home = "http://127.0.0.1:9/index.html"
[[columns]]
name = "工作动态"
url = "http://127.0.0.1:9/gzdt/index.html"
category = "news"
"""


def test_a_good_config_gets_polite_defaults(tmp_path):
    p = tmp_path / "site.toml"
    p.write_text(GOOD, encoding="utf-8")
    cfg = load_config(p)
    assert cfg.crawl["obey_robots"] is True
    assert cfg.crawl["concurrency_per_host"] <= 8
    assert "mailto:" in cfg.crawl["user_agent"]
    assert cfg.allowed_hosts == ["127.0.0.1:9"]


@pytest.mark.parametrize("text,key", [
    (GOOD.replace('category = "news"', 'category = "newz"'), "columns[0].category"),
    (GOOD.replace('home = "http://127.0.0.1:9/index.html"', 'home = "index.html"'), "site.home"),
    (GOOD + "\n[crawl]\nconcurrency_per_host = \"many\"\n", "crawl.concurrency_per_host"),
    (GOOD + "\n[crawl]\nspeed = 3\n", "crawl.speed"),
    (GOOD.replace('name = "测试区人民政府"\n', ""), "site.name"),
    ("[site\nname=", "not valid TOML"),
])
def test_wrong_config_names_file_and_key(tmp_path, text, key):
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert str(p) in str(err.value) and key in str(err.value)
    proc = run_cli("run", p, "--db", tmp_path / "a.db", check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and str(p) in lines[0]


def test_missing_config_file_exit_2(tmp_path):
    proc = run_cli("run", tmp_path / "nope.toml", check=False)
    assert proc.returncode == 2 and "cannot read" in proc.stderr
