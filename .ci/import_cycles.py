#!/usr/bin/env python3
"""Fails when a source file imports, directly or through others, a module that imports it back.

Reads every `.rs` file under `src/`, resolves its `use` declarations and the `crate::`/`super::`
paths written in its code to the files that define them, and reports each strongly connected
group of more than one file. Declaring a child (`mod x;`) is not an import; re-exporting one
(`pub use x::Y;`) is.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def module_path_of(relative):
    parts = relative[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments_and_strings(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and not (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            i = n if end < 0 else end + 1 + len(hashes)
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]) or (c == "'" and re.match(r"'\\u\{[0-9a-fA-F]+\}'", text[i:i + 12])):
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", text[i:])
            i += len(m.group(0))
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use_tree(tree):
    """`a::{b, c::d as e, f::*}` -> [(['a','b'], 'b'), (['a','c','d'], 'e'), (['a','f','*'], None)]"""
    tree = re.sub(r"\s+", " ", tree).strip()
    results = []

    def split_top(s):
        parts, depth, start = [], 0, 0
        for k, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(s[start:k])
                start = k + 1
        parts.append(s[start:])
        return [p.strip() for p in parts if p.strip()]

    def walk(prefix, s):
        brace = s.find("{")
        if brace >= 0 and s.endswith("}"):
            head = s[:brace].rstrip(": ").strip()
            new_prefix = prefix + [p for p in head.split("::") if p.strip()] if head else prefix
            for part in split_top(s[brace + 1:-1]):
                walk(new_prefix, part)
            return
        alias = None
        m = re.match(r"(.*?)\s+as\s+(\w+)$", s)
        if m:
            s, alias = m.group(1), m.group(2)
        segments = prefix + [p.strip() for p in s.split("::") if p.strip()]
        if segments and segments[-1] == "self":
            segments = segments[:-1]
        if not segments:
            return
        if alias is None and segments[-1] != "*":
            alias = segments[-1]
        results.append((segments, alias))

    walk([], tree)
    return results


def main():
    files = {}
    for directory, _, names in os.walk(ROOT):
        for name in names:
            if name.endswith(".rs"):
                full = os.path.join(directory, name)
                rel = os.path.relpath(full, ROOT)
                if rel == "main.rs":
                    continue
                files[module_path_of(rel)] = rel

    def resolve(segments, here):
        """The file defining the longest module prefix of an absolute or relative path."""
        first = segments[0]
        if first in ("crate", "faqtory"):
            path = ()
            rest = segments[1:]
        elif first == "super" or first == "self":
            path = here
            rest = segments
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    path = path[:-1]
                rest = rest[1:]
        else:
            return None
        best = path if path in files else None
        for seg in rest:
            path = path + (seg,)
            if path in files:
                best = path
            else:
                break
        return best

    graph = {m: set() for m in files}
    for module, rel in files.items():
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            code = strip_comments_and_strings(f.read())
        # A child module is in scope by its name in its parent; using it from there is an import.
        aliases = {
            name: ["crate", *module, name]
            for name in re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", code, re.M)
        }
        # Inline modules (`mod tests { ... }`) shift what `super` and `self` mean inside them.
        inline = []
        depth = 0
        tokens = re.finditer(r"\bmod\s+(\w+)\s*\{|\buse\s+([^;]+);|[{}]|(?:\b(?:crate|super|self|\w+)\s*::\s*)+\w+", code)
        for tok in tokens:
            text = tok.group(0)
            here = module + tuple(name for name, _ in inline)
            if tok.group(1):
                depth += 1
                inline.append((tok.group(1), depth))
            elif text == "{":
                depth += 1
            elif text == "}":
                if inline and inline[-1][1] == depth:
                    inline.pop()
                depth -= 1
            elif tok.group(2) is not None:
                for segments, alias in expand_use_tree(tok.group(2)):
                    if segments[0] in aliases:
                        segments = aliases[segments[0]] + segments[1:]
                    target = resolve(segments, here)
                    absolute = list(target) if target is not None else None
                    if target is not None:
                        graph[module].add(target)
                        if alias and segments[0] in ("crate", "super", "self", "faqtory"):
                            aliases[alias] = ["crate"] + list(resolve_full(segments, here))
            else:
                segments = [s.strip() for s in text.split("::")]
                if segments[0] in aliases:
                    segments = aliases[segments[0]] + segments[1:]
                target = resolve(segments, here)
                if target is not None:
                    graph[module].add(target)
    for module in graph:
        graph[module].discard(module)

    cycles = strongly_connected(graph)
    for group in cycles:
        names = sorted(files[m] for m in group)
        print(f"import cycle among {len(names)} files: " + ", ".join(names))
        for m in sorted(group):
            inside = sorted(files[t] for t in graph[m] if t in group)
            print(f"    {files[m]} -> {', '.join(inside)}")
    if cycles:
        sys.exit(1)
    print(f"no import cycles among {len(files)} files")


def resolve_full(segments, here):
    first, rest = segments[0], segments[1:]
    if first in ("crate", "faqtory"):
        return tuple(rest)
    path = here
    rest = segments
    while rest and rest[0] in ("super", "self"):
        if rest[0] == "super":
            path = path[:-1]
        rest = rest[1:]
    return path + tuple(rest)


def strongly_connected(graph):
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                result.append(group)

    for v in graph:
        if v not in index:
            visit(v)
    return result


if __name__ == "__main__":
    main()
