r"""A griffe extension for the documentation site (``mkdocs.yml``): the docstrings are written
for ``help()`` and doctest, so before mkdocstrings renders them as Markdown, doctest examples
become ``pycon`` code blocks, reST simple tables become Markdown tables, and Sphinx roles (``:func:`name```) become cross-references,
resolved in the object's own scope. A name that does not resolve stays a reference, so the
strict build fails on it; one that resolves to a private object (not in the reference) is
shown as code.

>>> to_markdown("See :class:`~a.b.C`.", lambda name: name)
'See [`C`][a.b.C].'
>>> to_markdown("==  ==\na   b\n==  ==\n1   x\n    y\n==  ==", str)
'| a | b |\n|---|---|\n| 1 | x y |'
>>> to_markdown(">>> 1 + 1\n2\n\nText.", str)
'```pycon\n>>> 1 + 1\n2\n```\n\nText.'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import griffe

TOP_PACKAGES = ("theory", "synthetic", "proofs_check", "essl_testbed")
RULE = re.compile(r"^=+( +=+)+\s*$")
ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|exc|obj|const):`(~?)([\w.]+)(?:\(\))?`")


def to_markdown(text: str, resolve: Callable[[str], str | None]) -> str:
    """``text`` with doctest blocks fenced and roles turned into references to what
    ``resolve`` gives (code where it gives None)."""
    out: list[str] = []
    in_example = False
    for line in _tables(text.split("\n")):
        starts = line.startswith(">>>")
        if starts and not in_example:
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append("```")
            in_example = False
        out.append(line if in_example else ROLE.sub(lambda m: _reference(m, resolve), line))
    if in_example:
        out.append("```")
    return "\n".join(out)


def _tables(lines: list[str]) -> list[str]:
    """reST simple tables (rule, header, rule, rows, rule) as Markdown tables; a row whose first
    cell is empty continues the row above."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = next((j for j in range(i + 3, len(lines)) if RULE.match(lines[j])), None)
        if not (RULE.match(lines[i]) and i + 2 < len(lines) and RULE.match(lines[i + 2]) and end):
            out.append(lines[i])
            i += 1
            continue
        starts = [m.start() for m in re.finditer("=+", lines[i])]
        rows: list[list[str]] = []
        for line in lines[i + 3 : end]:
            row = _cells(line, starts)
            if rows and not row[0]:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row)]
            elif any(row):
                rows.append(row)
        header = _cells(lines[i + 1], starts)
        out += [_row(header), "|" + "---|" * len(header), *(_row(r) for r in rows)]
        i = end + 1
    return out


def _cells(line: str, starts: list[int]) -> list[str]:
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None])]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _reference(match: re.Match, resolve: Callable[[str], str | None]) -> str:
    short, name = match.group(1), match.group(2)
    shown = name.rsplit(".", 1)[-1] if short else name
    target = resolve(name)
    return f"`{shown}`" if target is None else f"[`{shown}`][{target}]"


class DocstringsToMarkdown(griffe.Extension):
    """Rewrites every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = to_markdown(obj.docstring.value, lambda name, o=obj: _resolve(o, name))


def _walk(obj: Any):
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


def _resolve(obj: Any, name: str) -> str | None:
    """The full path of ``name`` as seen from ``obj`` (None for a private object); the name
    itself where it names nothing, so that the reference is reported as broken."""
    if name.startswith("."):
        package = obj.module.package if obj.module.is_init_module else obj.module.parent
        path = f"{package.path}{name}"
    elif name.split(".", 1)[0] in TOP_PACKAGES:
        path = name
    else:
        path = None
        head, _, rest = name.partition(".")
        scope = obj if obj.is_module or obj.is_class else obj.parent
        while scope is not None and path is None:
            try:
                path = scope.resolve(head) + (f".{rest}" if rest else "")
            except Exception:  # griffe's NameResolutionError: try the enclosing scope
                scope = scope.parent
        if path is None:
            return name
    if any(part.startswith("_") and not part.startswith("__") for part in path.split(".")):
        return None
    return path
