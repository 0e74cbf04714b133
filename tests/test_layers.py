"""The package's layers import only downward (DESIGN.md), with no import cycle anywhere.

Imports inside functions count; only ``if TYPE_CHECKING:`` blocks may point up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "mfa"

# Lowest first. A module may import from its own rank or below. io sits beside the model
# (it builds model objects from files) and nothing below imports it.
LAYERS: list[tuple[str, ...]] = [
    ("mfa.errors", "mfa.units", "mfa.paths"),
    ("mfa.model",),
    ("mfa.io",),
    ("mfa.plans",),  # plan files applied to park files (above io: it rebuilds parks)
    ("mfa.engine",),
    ("mfa.results",),
    ("mfa.indicators",),
    ("mfa.network", "mfa.scenarios", "mfa.simulate", "mfa.uncertainty"),
    ("mfa.testing", "mfa.api", "mfa.evaluate", "mfa.synthetic"),
    ("mfa.export", "mfa.report", "mfa.plots"),
    ("mfa.cli", "mfa.cli_economics", "mfa.cli_network", "mfa.cli_plans", "mfa.cli_portfolio",
     "mfa.cli_report", "mfa.cli_scenarios", "mfa.cli_simulate", "mfa.cli_text"),
    ("mfa",),
]


def _modules() -> dict[str, Path]:
    modules = {}
    for file in PACKAGE.rglob("*.py"):
        parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = file
    return modules


class _Imports(ast.NodeVisitor):
    def __init__(self, name: str, is_package: bool) -> None:
        self.name, self.is_package, self.found = name, is_package, set()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        flag = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
        for child in node.orelse if flag == "TYPE_CHECKING" else [*node.body, *node.orelse]:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        self.found |= {alias.name for alias in node.names if alias.name.startswith("mfa")}

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.name.split(".") if self.is_package else self.name.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        if module.startswith("mfa"):  # `from pkg import sub` names the submodule
            self.found |= {f"{module}.{alias.name}" for alias in node.names}


def _graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for name, file in modules.items():
        visitor = _Imports(name, file.name == "__init__.py")
        visitor.visit(ast.parse(file.read_text(encoding="utf-8")))
        for target in visitor.found:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph.add_edge(name, target)
    return graph


def _rank(module: str) -> int:
    """The layer of the longest prefix naming ``module``."""
    matches = [(len(prefix), rank) for rank, prefixes in enumerate(LAYERS) for prefix in prefixes
               if module == prefix or module.startswith(prefix + ".")]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    return max(matches)[1]


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_imports_point_down() -> None:
    upward = [(a, b) for a, b in _graph().edges if _rank(b) > _rank(a)]
    assert upward == [], f"imports pointing up a layer: {upward}"


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        _rank(module)


def test_the_checker_sees_imports_inside_functions() -> None:
    visitor = _Imports("mfa.model.park", False)
    visitor.visit(ast.parse("def f():\n    from ..api import balance\n"))
    assert "mfa.api.balance" in visitor.found
    assert _rank("mfa.api") > _rank("mfa.model.park")
