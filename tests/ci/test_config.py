"""empathy-audit.toml: every crawl option, CLI overrides, ${VAR} secrets, one sentence and exit 2 when wrong."""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import fields
from pathlib import Path

import pytest

from empathy_audit.crawler import config
from empathy_audit.crawler import settings as defaults
from empathy_audit.crawler.cli import build_parser, main
from empathy_audit.crawler.run import CrawlOptions, browser_count, scrapy_settings
from tests.helpers import run_cli


def _keys():
    parser = build_parser()
    return parser, config.schema([parser._empathy_commands["crawl"], parser._empathy_commands["demo"]])


def _resolve(tmp_path: Path, text: str, argv: list[str], env: dict | None = None) -> argparse.Namespace:
    """What main() does before running a command: parse, load the file, let the CLI win."""
    path = tmp_path / "empathy-audit.toml"
    path.write_text(text)
    parser, keys = _keys()
    args = parser.parse_args(argv)
    loaded = config.load(str(path), False, keys, env=env or {})
    explicit = config.explicit_dests(parser._empathy_commands[argv[0]], argv[1:])
    return config.apply(args, loaded, explicit)


def test_every_crawl_option_is_a_key_and_the_cli_wins(tmp_path):
    _, keys = _keys()
    crawl = build_parser()._empathy_commands["crawl"]
    long_options = {s[2:] for a in crawl._actions for s in a.option_strings if s.startswith("--")}
    assert long_options - {"help", "config"} <= set(keys)
    args = _resolve(tmp_path, """
url = "https://staging.example.com/"
max-pages = 50
max_depth = 3            # underscores are accepted
include = ["/shop/", "/blog/"]
ignore-robots = true
format = "json"
""", ["crawl", "--max-pages", "7", "--include", "/only/"])
    assert args.url == "https://staging.example.com/"
    assert args.max_pages == 7  # the flag beats the file
    assert args.max_depth == 3 and args.ignore_robots is True and args.format == ["json"]
    assert args.include == ["/only/"]  # a list given on the CLI replaces the file's, it is not appended to it
    assert args.exclude == [] and args.concurrency == 4  # untouched defaults
    args = _resolve(tmp_path, 'url = "https://a.example/"', ["crawl", "https://b.example/"])
    assert args.url == "https://b.example/"


def test_env_references_expand_and_become_secrets(tmp_path):
    args = _resolve(tmp_path, 'basic-auth = "ci:${PW}"\nheader = { "X-Token" = "${TOK}" }\n'
                    'login-field = { email = "a@b.c", password = "${PW}" }\nuser-agent = "cost $$5"\n',
                    ["crawl"], env={"PW": "pw-from-env", "TOK": "tok-from-env"})
    assert args.basic_auth == "ci:pw-from-env"
    assert args.header == ["X-Token: tok-from-env"]
    assert sorted(args.login_field) == ["email=a@b.c", "password=pw-from-env"]
    assert args.user_agent == "cost $5"
    assert args.config_secrets == {"pw-from-env", "tok-from-env"}


@pytest.mark.parametrize("text, says", [
    ("max_pagez = 3", "empathy-audit.toml: unknown key 'max_pagez' (did you mean 'max-pages'?)."),
    ("[crawl]\nurl = 'x'", "empathy-audit.toml: unknown key 'crawl'"),
    ('max-pages = "ten"', "empathy-audit.toml: key 'max-pages': 'ten' is not a whole number."),
    ("max-pages = 0", "empathy-audit.toml: key 'max-pages': '0' must be 1 or more."),
    ('ignore-robots = "yes"', "empathy-audit.toml: key 'ignore-robots' must be true or false, not \"yes\"."),
    ('standard = "wcag3"', "empathy-audit.toml: key 'standard' must be one of wcag2a, wcag2aa, wcag2aaa, wcag21aa, wcag22aa, "
                           "wcag22aaa"),
    ('format = ["pdf"]', "empathy-audit.toml: key 'format' must be one of html, json"),
    ('include = "(unclosed"', "empathy-audit.toml: key 'include': '(unclosed' is not a valid regular expression"),
    ("exclude = [1, true]", "empathy-audit.toml: key 'exclude' must be a string or a list of strings"),
    ('basic-auth = "ci:hunter22"', "empathy-audit.toml: key 'basic-auth' holds a secret in the file: write it as "
                                   "${VAR}"),
    ('header = { Authorization = "Bearer abc123" }', "key 'header' holds a secret in the file"),
    ('login-field = { password = "hunter22" }', "key 'login-field' holds a secret in the file"),
    ('basic-auth = "ci:${NOT_SET_ANYWHERE}"',
     "empathy-audit.toml: key 'basic-auth' refers to ${NOT_SET_ANYWHERE}, which is not set in the environment."),
    ("max-pages = ", "empathy-audit.toml is not valid TOML"),
])
def test_a_bad_file_is_one_sentence_naming_the_key(tmp_path, text, says):
    path = tmp_path / "empathy-audit.toml"
    path.write_text(text + "\n")
    _, keys = _keys()
    with pytest.raises(config.ConfigError) as exc:
        config.load(str(path), False, keys, env={})
    message = str(exc.value)
    assert message.startswith(says) or says in message
    assert message.endswith(".") and "\n" not in message


def test_bad_config_exits_2_with_one_sentence_as_a_ci_job_sees_it(tmp_path):
    (tmp_path / "empathy-audit.toml").write_text('url = "http://127.0.0.1:9/"\nmax-pagez = 3\n')
    res = run_cli("crawl", cwd=tmp_path)  # found in the working directory, as in a CI checkout
    assert res.code == 2
    assert res.stderr.strip() == ("empathy-audit: empathy-audit.toml: unknown key 'max-pagez' "
                                  "(did you mean 'max-pages'?).")
    res = run_cli("crawl", "--config", str(tmp_path / "missing.toml"), cwd=tmp_path)
    assert res.code == 2 and "there is no config file at" in res.stderr and "Traceback" not in res.stderr


def test_pyproject_table_is_read_when_there_is_no_own_file(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.empathy-audit]\nmax-pages = 9\n'
                                             'db = "ci.db"\n')
    monkeypatch.chdir(tmp_path)
    path, is_pyproject = config.find_config(None)
    assert path.endswith("pyproject.toml") and is_pyproject
    _, keys = _keys()
    assert config.load(path, True, keys).values == {"max_pages": 9, "db": "ci.db"}
    (tmp_path / "pyproject.toml").write_text('[tool.empathy-audit]\nmaxpages = 9\n')
    with pytest.raises(config.ConfigError, match=r"pyproject.toml \[tool.empathy-audit\]: unknown key 'maxpages'"):
        config.load(path, True, keys)
    (tmp_path / "empathy-audit.toml").write_text("max-pages = 3\n")
    assert config.find_config(None) == (str(tmp_path / "empathy-audit.toml"), False)


def test_init_writes_a_commented_starter_that_loads_and_lists_every_option(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    text = (tmp_path / "empathy-audit.toml").read_text()
    _, keys = _keys()
    assert config.load(str(tmp_path / "empathy-audit.toml"), False, keys).values == {}  # all commented out
    for key in keys:
        assert re.search(rf"^# {re.escape(key)} = ", text, re.M), key
    # Uncommented, every example is a valid value (secrets as ${VAR}, as the file asks).
    active = "\n".join(line[2:] for line in text.splitlines() if re.match(r"^# [a-z-]+ = ", line))
    (tmp_path / "all.toml").write_text(active)
    env = {"STAGING_PASSWORD": "x" * 8, "STAGING_TOKEN": "y" * 8, "STAGING_LOGIN_PASSWORD": "z" * 8}
    values = config.load(str(tmp_path / "all.toml"), False, keys, env=env).values
    assert values["basic_auth"] == "ci:" + "x" * 8 and values["max_pages"] == 500
    assert main(["init"]) == 2  # never overwrites by accident
    assert "already exists" in capsys.readouterr().err
    assert main(["init", "--force", "--config", str(tmp_path / "other.toml")]) == 0


def test_env_references_on_the_command_line_are_expanded(tmp_path, monkeypatch):
    import empathy_audit.crawler.cli as cli

    seen = {}
    monkeypatch.setattr(cli, "cmd_crawl", lambda args: seen.setdefault("args", args) and 0)
    monkeypatch.setenv("CLI_PW", "from-the-env")
    monkeypatch.chdir(tmp_path)
    main(["crawl", "http://example.com/", "--basic-auth", "ci:${CLI_PW}"])
    assert seen["args"].basic_auth == "ci:from-the-env"
    assert "from-the-env" in seen["args"].config_secrets
    assert main(["crawl", "http://example.com/", "--basic-auth", "ci:${CLI_UNSET_PW}"]) == 2


def test_every_default_is_the_one_in_crawler_settings():
    """One default per setting: the parser, the run module's options and Scrapy's settings agree."""
    args = build_parser().parse_args(["crawl"])
    opts = CrawlOptions()
    for f in fields(CrawlOptions):
        if hasattr(args, f.name):
            assert getattr(args, f.name) == getattr(opts, f.name), f.name
    built = scrapy_settings(opts)
    for key in ("AUDIT_MAX_PAGES", "AUDIT_MAX_DEPTH", "AUDIT_STANDARD", "AUDIT_SAMPLE", "AUDIT_PAGE_WEIGHT_BUDGET",
                "AUDIT_BROWSERS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_TIMEOUT", "CLOSESPIDER_TIMEOUT"):
        assert built[key] == getattr(defaults, key), key
    assert browser_count(opts) == defaults.default_browsers() == min(4, max(1, os.cpu_count() or 1))
    assert f"(default: {defaults.AUDIT_MAX_PAGES};" in build_parser()._empathy_commands["crawl"].format_help()
