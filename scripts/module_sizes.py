"""Print, per app, the largest module by lines and the longest function or method; and every module over 500 lines.

Run from the project root. Skips .venv, migrations, tests, bench and other non-app folders.
"""
import ast
import sys
from pathlib import Path

SKIP = {".venv", "venv", "migrations", "tests", "bench", "var", "node_modules", ".git", "static", "templates", "locale"}
LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 500
root = Path.cwd()
apps = sorted(p.parent.name for p in root.glob("*/__init__.py") if p.parent.name not in SKIP)
over = []
print(f"{'app':16} {'largest module':45} {'lines':>5}   longest function                                     lines")
for app in apps:
    best_mod, best_fn = (None, 0), (None, 0)
    for path in sorted((root / app).rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in SKIP for part in rel.parts):
            continue
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > best_mod[1]:
            best_mod = (str(rel), lines)
        if lines > LIMIT:
            over.append((lines, str(rel)))
        tree = ast.parse(text)
        stack = [(node, "") for node in tree.body]
        while stack:
            node, prefix = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{node.name}"
                if not isinstance(node, ast.ClassDef):
                    # From the first decorator to the last line, as a reader sees it.
                    start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                    length = node.end_lineno - start + 1
                    if length > best_fn[1]:
                        best_fn = (f"{rel}:{name}", length)
                stack.extend((child, f"{name}.") for child in node.body)
    print(f"{app:16} {best_mod[0]:45} {best_mod[1]:5}   {best_fn[0]:52} {best_fn[1]:5}")
print(f"\nmodules over {LIMIT} lines:" if over else f"\nno module over {LIMIT} lines")
for lines, rel in sorted(over, reverse=True):
    print(f"  {lines:5} {rel}")
