"""The project's modules import each other without circles, and the domain never imports its API.

A circle held together by imports inside functions works until someone moves one
of them; ``cases/`` importing ``api/`` would make the browser pages depend on the
REST layer (and drf-spectacular). Both are read from the source, every import
statement included, wherever it stands.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("registry", "cases", "api")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports (a name imported from a package counts as its submodule if one)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}
PRODUCTION = {name for name in MODULES if ".tests" not in name and not name.endswith("conftest")}


def _cycle_through(start: str) -> list[str] | None:
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, trail = stack.pop()
        for successor in GRAPH[node]:
            if successor == start:
                return [*trail, start]
            if successor not in seen:
                seen.add(successor)
                stack.append((successor, [*trail, successor]))
    return None


def test_no_module_imports_itself_through_others():
    cycles = {tuple(cycle) for name in PRODUCTION if (cycle := _cycle_through(name))}
    assert not cycles, "\n".join(" → ".join(cycle) for cycle in sorted(cycles))


def test_the_domain_does_not_import_its_api():
    offenders = {name: sorted(m for m in GRAPH[name] if m.split(".")[0] == "api") for name in PRODUCTION}
    assert {name: mods for name, mods in offenders.items() if name.startswith("cases.") and mods} == {}


def test_every_module_imports_in_a_fresh_interpreter():
    """Outside pytest's process, which has already imported most of them in its own order."""
    script = (
        "import os, sys, importlib, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'registry.settings')\n"
        "django.setup()\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *sorted(PRODUCTION)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
