#!/usr/bin/env python3
"""Lists the functions and lambdas longer than a limit in C++ sources (the project's rule: none
over ~100 lines, those over 80 only straight-line numeric kernels).

    scripts/function_lengths.py [--over N] [DIR_OR_FILE...]   (default: 80, engine app ui)

A body is a brace block whose header (the text since the previous ; { or }) has a parameter
list and is not a control statement or a type; its length counts the lines from the header's
first line to the closing brace. Comments, strings and character literals are ignored.
"""
import argparse
import pathlib
import re
import sys

CONTROL = re.compile(r"^(if|else|for|while|switch|catch|do|try|return|case|default)\b")
ACCESS = re.compile(r"\s*(public|private|protected)\s*:(?!:)")
TYPE = re.compile(r"^(template\s*<.*>\s*)?(class|struct|union|enum|namespace|extern)\b")


def strip(text):
    """The text with comments, strings and character literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'" and not (c == "'" and i > 0 and text[i - 1].isalnum()):  # 1'000 separators
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def bodies(path):
    text = strip(path.read_text(errors="replace"))
    stack, start = [], 0  # stack: (is_function, header, first line) per open brace
    for i, c in enumerate(text):
        if c in ";{}":
            raw = text[start:i]
            label = ACCESS.match(raw)  # "public:" before an inline member function
            begin = start + (label.end() if label else 0)
            header = " ".join(text[begin:i].split())
            if c == "{":
                is_fn = ("(" in header and not CONTROL.match(header) and not TYPE.match(header)
                         and not header.endswith("=") and not header.endswith(","))
                first = text.count("\n", 0, begin + len(text[begin:i]) - len(text[begin:i].lstrip())) + 1
                stack.append((is_fn, header, first))
            elif c == "}" and stack:
                is_fn, head, first = stack.pop()
                if is_fn:
                    yield head, first, text.count("\n", 0, i) + 1
            start = i + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--over", type=int, default=80, help="list bodies longer than this many lines")
    parser.add_argument("paths", nargs="*", default=["engine", "app", "ui"])
    args = parser.parse_args()
    rows = []
    for root in map(pathlib.Path, args.paths):
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".cpp", ".h"))
        for f in files:
            for head, first, last in bodies(f):
                if last - first + 1 > args.over:
                    rows.append((last - first + 1, f"{f}:{first}", head[:100]))
    for length, where, head in sorted(rows, reverse=True):
        print(f"{length:4d}  {where}  {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
