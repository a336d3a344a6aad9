"""Sources as data: crawler/sources/*.yaml load, validate and report errors with the file name."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from crawler.sources import get_source, load_source_file, load_sources


def test_bundled_sources_load_and_include_real_unverified_ones():
    sources = load_sources()
    names = {s.name for s in sources}
    assert {"sample_news", "sample_policy"} <= names
    real = [s for s in sources if not s.uses_sample_site]
    assert len(real) >= 5 and all(not s.verified_offline for s in real)
    assert all(len(s.region_code) == 6 for s in sources)


def test_sample_placeholder_is_resolved():
    source = get_source("sample_policy").resolved("http://127.0.0.1:9999/")
    assert source.start_urls == ["http://127.0.0.1:9999/zcwj/index.html"]
    assert source.allowed_domains == ["127.0.0.1"]
    with pytest.raises(ConfigError, match="sample site"):
        get_source("sample_policy").resolved(None)


def test_bad_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- name: x\n  kind: [news\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.yaml"):
        load_source_file(path)


def test_missing_field_names_file_and_field(tmp_path):
    path = tmp_path / "missing.yaml"
    path.write_text("- name: hefei\n  region: 合肥市\n  kind: news\n  start_urls: [http://www.hefei.gov.cn/]\n", "utf-8")
    with pytest.raises(ConfigError, match=r"missing.yaml.*region_code"):
        load_source_file(path)


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "- name: a\n  region: 合肥市\n  region_code: '3401'\n  kind: news\n  start_urls: [http://a.cn/]\n",
        "- name: a\n  region: 合肥市\n  region_code: '340100'\n  kind: blog\n  start_urls: [http://a.cn/]\n",
        "- name: a\n  region: 合肥市\n  region_code: '340100'\n  kind: news\n  start_urls: [ftp://a.cn/]\n",
        "- name: a\n  region: 合肥市\n  region_code: '340100'\n  kind: news\n  start_urls: [http://a.cn/]\n  typo: 1\n",
    ],
)
def test_invalid_entries_are_config_errors(tmp_path, body):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml"):
        load_source_file(path)


def test_duplicate_names_and_unknown_source(tmp_path):
    entry = "- name: a\n  region: 合肥市\n  region_code: '340100'\n  kind: news\n  start_urls: [http://a.cn/]\n"
    (tmp_path / "one.yaml").write_text(entry, "utf-8")
    (tmp_path / "two.yaml").write_text(entry, "utf-8")
    with pytest.raises(ConfigError, match="duplicate"):
        load_sources(tmp_path)
    with pytest.raises(ConfigError, match="unknown source"):
        get_source("nope")


def test_load_sources_selection_and_resolution():
    chosen = load_sources(names=["sample_policy", "sample_news"], sample_site_url="http://127.0.0.1:8765")
    assert [s.name for s in chosen] == ["sample_policy", "sample_news"]
    assert chosen[0].start_urls == ["http://127.0.0.1:8765/zcwj/index.html"]
    demo = load_sources(sample_only=True)
    assert {s.name for s in demo} == {"sample_news", "sample_policy"}  # the hostile test corner is not demo
    assert all(s.uses_sample_site for s in demo)  # unresolved: run_crawl starts the site itself
    assert load_sources(names=[]) == []
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        load_sources(names=["sample_news", "nope"])
