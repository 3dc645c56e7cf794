"""The layers of the package (docs/architecture.md): imports only go down, never up, never across, never in a circle.

Every ``import`` and ``from ... import`` in every module counts, including those inside functions (a lazy import is
still a dependency). A module may import its own subpackage freely, but not in a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "skinevidence"

#: Layer of each top-level part of the package, lowest first. Parts on the same layer do not import each other.
LAYERS = {
    "errors": 0,
    "paths": 1,
    "evidence": 2,
    "text": 3, "grading": 3,
    "answers": 4,
    "claims": 5, "ingest": 5,
    "render": 6, "spark": 6,
    "web": 7,
    "cli": 8,
    "__init__": 9, "__main__": 9,  # the public face and the entry point sit above everything
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def imports(path: Path) -> set[str]:
    """Every skinevidence module that ``path`` imports, as absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("skinevidence")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("skinevidence"):
            if node.module == "skinevidence" and {alias.name for alias in node.names} == {"__version__"}:
                continue  # the version string, the one thing every layer may read from the package root
            submodules = {f"{node.module}.{alias.name}" for alias in node.names
                          if (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).with_suffix(
                              ".py").exists()}
            found |= submodules if len(submodules) == len(node.names) else {node.module, *submodules}
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the package uses absolute imports")
    return found


MODULES = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_layers_cover_every_part_of_the_package():
    assert {part(m) for m in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_from_lower_layers_or_its_own_part(module):
    own = part(module)
    wrong = [target for target in MODULES[module] if part(target) != own and part(target) != "__init__"
             and LAYERS[part(target)] >= LAYERS[own]]
    assert wrong == [], f"{module} imports {wrong} from a layer that is not below {own} (layer {LAYERS[own]})"


def test_no_module_imports_the_public_face():
    assert [m for m, targets in MODULES.items() if "skinevidence" in targets] == []


def test_there_is_no_import_circle():
    graph = {m: {t for t in targets if t in MODULES} for m, targets in MODULES.items()}
    state: dict[str, int] = {}
    circle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circle.extend(path[path.index(target):] + [target] if target in path else [node, target])
                return True
            if target not in state and visit(target, [*path, target]):
                return True
        state[node] = 2
        return False

    for module in sorted(graph):
        if module not in state and visit(module, [module]):
            break
    assert circle == []
