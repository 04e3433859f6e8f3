"""Measure the house plan of a source tree: files per package, imports between packages,
cycles between them, and the longest functions (ADR 17 records these before and after).

    python scripts/house_metrics.py [SRC]      # SRC defaults to ./src; prints Markdown

Repeated blocks of code are counted separately with the ``duplicates`` tool.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

TOP_LEVEL = "(top level: settings, urls, cli, wsgi, asgi)"


def _package(module: str, packages: set[str]) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "beatbook":
        return None
    return parts[1] if parts[1] in packages else TOP_LEVEL


def _module_name(src: Path, path: Path) -> str:
    return ".".join(path.relative_to(src).with_suffix("").parts)


def _imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _sources(src: Path) -> list[Path]:
    return [p for p in sorted((src / "beatbook").rglob("*.py")) if "migrations" not in p.parts]


def measure(src: Path) -> tuple[Counter[str], Counter[tuple[str, str]], list[tuple[int, str]]]:
    files: Counter[str] = Counter()
    edges: Counter[tuple[str, str]] = Counter()
    lengths: list[tuple[int, str]] = []
    packages = {path.name for path in (src / "beatbook").iterdir() if path.is_dir()}
    for path in _sources(src):
        module = _module_name(src, path)
        own = _package(module, packages) or TOP_LEVEL
        files[own] += 1
        tree = ast.parse(path.read_text())
        for imported in _imports(tree):
            other = _package(imported, packages)
            if other and other != own:
                edges[(own, other)] += 1
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                lengths.append((length, f"{module}.{node.name}"))
    return files, edges, sorted(lengths, reverse=True)


def _cycles(edges: Counter[tuple[str, str]]) -> list[str]:
    packages = {name for edge in edges for name in edge}
    return [
        f"{a} ↔ {b}"
        for a, b in combinations(sorted(packages), 2)
        if (a, b) in edges and (b, a) in edges
    ]


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    files, edges, lengths = measure(src)
    print("| package | files | imports from other packages |\n|---|---|---|")
    for package in sorted(files):
        out = sorted((b, n) for (a, b), n in edges.items() if a == package)
        print(f"| {package} | {files[package]} | {', '.join(f'{b} {n}' for b, n in out)} |")
    print(
        f"\nImport statements between packages: {sum(edges.values())}, "
        f"in {len(edges)} package pairs."
    )
    print(f"Two-way pairs (cycles): {', '.join(_cycles(edges)) or 'none'}.")
    print("\nLongest functions (lines): " + ", ".join(f"{n} {name}" for n, name in lengths[:5]))


if __name__ == "__main__":
    main()
