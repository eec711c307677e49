"""The architecture, as tests: the core never imports a front door or a platform library, and no two
modules of the bot import each other in a circle (only `cogs/` and `bot/platforms/` know Discord and
Telegram exist)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
FRONT_DOORS = ("bot.platforms", "discord", "telegram")


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, at_import_time: bool = False) -> set[str]:
    """Modules `path` imports. With `at_import_time`, only those imported when the module itself is
    imported: not under `if TYPE_CHECKING:` and not inside a function (where an import cannot loop)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = []
    pending: list[ast.AST] = list(tree.body) if at_import_time else [tree]
    while pending:
        node = pending.pop()
        if at_import_time and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        if at_import_time and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        nodes.append(node)
        pending.extend(ast.iter_child_nodes(node))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def core_modules() -> list[Path]:
    return [p for p in sorted((PROJECT / "bot").rglob("*.py")) if "platforms" not in p.relative_to(PROJECT).parts]


def front_door_imports(path: Path, *, at_import_time: bool = False) -> set[str]:
    return {name for name in imports(path, at_import_time=at_import_time)
            if name.split(".")[0] in FRONT_DOORS or name.startswith("bot.platforms")}


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(PROJECT)))
def test_the_core_never_imports_a_front_door(path):
    if path == PROJECT / "bot" / "app.py":
        # The composition root is where front doors are chosen: it reaches ours, only inside the functions
        # that start them, and never a platform library itself.
        assert front_door_imports(path, at_import_time=True) == set()
        assert {n for n in front_door_imports(path) if not n.startswith("bot.platforms")} == set()
        return
    assert front_door_imports(path) == set()


def test_the_rule_sees_a_front_door_import(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from bot.platforms.console import Console\nimport discord.ext\n", encoding="utf-8")
    assert front_door_imports(sneaky) == {"bot.platforms.console", "bot.platforms.console.Console", "discord.ext"}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            group.append(node)
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted((PROJECT / "bot").rglob("*.py")) + sorted((PROJECT / "cogs").rglob("*.py"))
    modules = {module_name(p): p for p in paths}
    graph = {}
    for name, path in modules.items():
        # "from bot.store import Store" names the package bot.store; a name inside it that is a module counts too.
        graph[name] = {m for m in imports(path, at_import_time=True) if m in modules and m != name}
    # A package's __init__ importing its own submodules is how packages are made, not a circle.
    return {name: {m for m in targets if not m.startswith(name + ".")} for name, targets in graph.items()}


def test_no_modules_import_each_other_in_a_circle():
    assert cycles(import_graph()) == []


def test_the_circle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
