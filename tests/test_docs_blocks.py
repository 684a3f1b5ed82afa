"""The documentation's Python blocks run: every ```python block of docs/**/*.md executes without error (each in a
fresh namespace, in a temporary folder). Blocks of other tools (``python title="pykep (not run here)"``) are shown
only. The tutorials (docs/tutorials/*.py) are executed by `make docs` (mkdocs-jupyter, allow_errors: false); here
we check that every one of them is in the site's navigation, so none escapes that execution. `$ areo` commands
in docs pages are run by tests/test_readme_commands.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks() -> list[tuple[str, str]]:
    out = []
    for page in sorted(DOCS.glob("**/*.md")):
        text = page.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            line = text[: m.start()].count("\n") + 1
            out.append((f"{page.relative_to(REPO)}:{line}", m.group(1)))
    return out


BLOCKS = python_blocks()


def test_docs_have_python_blocks():
    assert len(BLOCKS) >= 5, [b[0] for b in BLOCKS]


@pytest.mark.parametrize("where,code", BLOCKS, ids=[b[0] for b in BLOCKS])
def test_python_block_runs(where, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})


def test_every_tutorial_is_built():
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    tutorials = sorted(p.name for p in (DOCS / "tutorials").glob("*.py"))
    assert len(tutorials) >= 6
    missing = [t for t in tutorials if f"tutorials/{t}" not in nav]
    assert not missing, f"tutorials not in mkdocs.yml's nav (so never executed by make docs): {missing}"


def api_entries() -> list[str]:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"^::: ([\w.]+)\s*$", text, re.M)


def test_api_reference_entries_resolve_without_the_lazy_names():
    """mkdocstrings reads modules statically and cannot follow ``areo.__getattr__`` (PEP 562): each ``:::`` entry
    must name a module that defines (or imports) the object, and every callable in ``areo.__all__`` must be
    documented at its defining module."""
    import importlib

    import areo

    entries = api_entries()
    for dotted in entries:
        parts = dotted.split(".")
        for k in range(len(parts) - 1, 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:k]))
            except ModuleNotFoundError:
                continue
            for attr in parts[k:]:
                obj = getattr(obj, attr)
            break
        assert ".".join(parts[:-1]) != "areo", f"{dotted}: a lazy name; name its defining module"
    for name in areo.__all__:
        obj = getattr(areo, name)
        if (callable(obj) and not isinstance(obj, type)) or name in ("LambertSolution", "LambertStatus"):
            assert f"{obj.__module__}.{obj.__qualname__}" in entries, f"areo.{name} is not in docs/reference/api.md"
