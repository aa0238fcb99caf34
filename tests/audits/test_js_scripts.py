"""The probes' in-page JavaScript (audits/gather/js/*.js): every file parses, every script is made of existing files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from empathy_audit.audits.gather import scripts

JS_FILES = sorted(Path(str(scripts.JS_DIR)).glob("*.js"))


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js 18 or later) is needed to syntax-check audits/gather/js/*.js: install it "
                    "(Debian/Ubuntu: apt-get install nodejs)")
    return node


def _check(tmp_path: Path, name: str, body: str) -> None:
    # Sent as WebDriver script bodies: they `return` and read `arguments`, so they parse inside a function.
    wrapped = tmp_path / f"{name}.js"
    wrapped.write_text("(function () {\n" + body + "\n});\n", encoding="utf-8")
    proc = subprocess.run([_node(), "--check", str(wrapped)], check=False, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, f"{name} does not parse:\n{proc.stderr}"


def test_the_js_folder_is_found():
    assert len(JS_FILES) >= 10, f"no scripts in {scripts.JS_DIR}"


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.name)
def test_each_file_parses(path: Path, tmp_path: Path):
    _check(tmp_path, path.stem, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(scripts.SCRIPTS))
def test_each_script_is_made_of_existing_files_and_parses(name: str, tmp_path: Path):
    missing = [part for part in scripts.SCRIPTS[name] if not (Path(str(scripts.JS_DIR)) / f"{part}.js").is_file()]
    assert not missing, f"script {name!r} names files that do not exist: {missing}"
    _check(tmp_path, name, scripts.script(name))


def test_every_file_is_used():
    used = {part for parts in scripts.SCRIPTS.values() for part in parts}
    assert {p.stem for p in JS_FILES} - used == set(), "a .js file no script uses"


def test_unknown_script_names_fail():
    with pytest.raises(KeyError):
        scripts.script("no-such-script")
