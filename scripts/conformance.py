#!/usr/bin/python3
"""conformance: which checklist requirement is proven by which test.

Inputs, all inside the source tree (paths relative to --srcdir):
  doc/checklist-ids.txt       the requirement index: ID, level, section, short
                              title; made from the checklist, which lives
                              outside the repository, by --import-checklist
  doc/conformance-status.txt  n/a and todo statuses for IDs no test proves
  tests/                      test sources, scanned for citations (WIC-042,
                              or wic042_... in a test name)
Output: doc/CONFORMANCE.md, one table row per ID.

  conformance.py --import-checklist .../wanipconnection2-checklist.md
  conformance.py --write doc/CONFORMANCE.md      (make conformance)
  conformance.py --check doc/CONFORMANCE.md      (make check; never writes)

Standard library only; the output is deterministic (sorted, no dates).
Exit status: 0 fine, 1 a check failed, 2 bad usage or unreadable input.
"""

import argparse
import difflib
import os
import re
import sys

IDS_FILE = "doc/checklist-ids.txt"
STATUS_FILE = "doc/conformance-status.txt"
DEFAULT_TREES = ["tests"]

# Family -> (digits, category used as the level of non-WIC items).
FAMILIES = {
    "WIC": (3, None),
    "VC": (2, "vendor choice"),
    "LEG": (2, "legacy client"),
    "SEC": (2, "security"),
}
FAMILY_ORDER = ["WIC", "VC", "LEG", "SEC"]
ID_RE = re.compile(r"^(WIC|VC|LEG|SEC)-(\d+)$")

# Canonical citations. Any digit count is matched so that "WIC-42" is
# reported as unknown instead of being ignored.
CITE_UPPER_RE = re.compile(r"(?<![A-Za-z0-9])(WIC|VC|LEG|SEC)-(\d+)(?![0-9])")
# Test-name citations: wic061_lease_zero, test_vc16_wildcard. The part must
# start an identifier or follow "_", end it or precede "_", and have exactly
# the family's digits, so hex strings and words such as "usec10", "sec5" or
# "wic0610" never match.
CITE_LOWER_RE = re.compile(r"(?<![A-Za-z0-9])"
                           r"(?:(wic)(\d{3})|(vc|leg|sec)(\d{2}))"
                           r"(?![A-Za-z0-9])")
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def lower_id(m):
    """CITE_LOWER_RE match -> canonical ID: wic061 -> WIC-061."""
    fam, num = (m.group(1), m.group(2)) if m.group(1) else m.group(3, 4)
    return fam.upper() + "-" + num

SCAN_EXTS = {".c", ".h", ".sh", ".py", ".xml"}
SKIP_DIRS = {"__pycache__", "autom4te.cache"}
SKIP_NAME_RE = re.compile(r"^(Makefile|GNUmakefile|README|ChangeLog|COPYING|"
                          r"LICENSE)")

TITLE_MAX = 80
STATUSES = ("n/a", "todo")


class Failure(Exception):
    """Input that cannot be used at all (exit 2)."""


def id_key(ident):
    m = ID_RE.match(ident)
    return (FAMILY_ORDER.index(m.group(1)), int(m.group(2)))


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")
    except OSError as e:
        raise Failure("%s: %s" % (path, e.strerror))


# ---------------------------------------------------------------- checklist


def clean_text(s):
    """Markdown source -> plain text: no code spans, bold, escapes, refs."""
    s = re.sub(r"\s*\[[^\]]*§[^\]]*\]\s*$", "", s)
    s = s.replace("\\*", "\x00").replace("**", "").replace("`", "")
    s = re.sub(r"(?<![A-Za-z0-9])\*([^*]+)\*", r"\1", s)
    s = s.replace("\x00", "*").replace("\\\\", "\\")
    s = s.replace("\t", " ")
    return re.sub(r"\s+", " ", s).strip()


def shorten(s, limit=TITLE_MAX):
    if len(s) <= limit:
        return s
    cut = s[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.-(") + "…"


LEVEL_WORD_RE = re.compile(r"\b(MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|"
                           r"SHOULD|NOT RECOMMENDED|RECOMMENDED|MAY|"
                           r"OPTIONAL|REQUIRED)(\\?\*)?")


def wic_level(prefix):
    """'MUST\\* (if implemented)' -> 'MUST* (if implemented)'."""
    m = LEVEL_WORD_RE.search(prefix)
    if m is None:
        return None
    level = m.group(1) + ("*" if m.group(2) else "")
    quals = [q.strip() for q in re.findall(r"\(([^)]*)\)", prefix)]
    for q in quals:
        q = clean_text(q)
        if q == "UDA":
            level += " (UDA)"
        elif q.startswith("if "):
            level += " (%s)" % q
        elif "CP-side" in q:
            level += " (CP-side)"
        elif "informative" in q:
            level += " (informative)"
    return level


HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
DEF_RE = re.compile(r"^- \*\*((?:WIC|VC|LEG|SEC)-\d+)(.*?)\*\*\s*(.*)$")


def section_label(heading, stack):
    """'1.11.16 AddPortMapping() — device R [§2.5.16]' -> '1.11.16
    AddPortMapping()'.

    An unnumbered heading borrows the number of its nearest numbered parent:
    '### Security model' under '# 4. ...' becomes '4 Security model'."""
    title = clean_text(heading.split(" — ")[0])
    m = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$", title)
    if m:
        return m.group(1), "%s %s" % (m.group(1), m.group(2))
    for num, _ in reversed(stack):
        if num:
            return None, "%s %s" % (num, title)
    return None, title


def parse_checklist(path):
    """Return [(id, level, section, title)] in checklist order."""
    text = read_text(path)
    items, seen, errors = [], {}, []
    stack = []          # [(level, number or None, label)]
    section = ""
    fenced = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        h = HEADING_RE.match(line)
        if h:
            depth = len(h.group(1))
            while stack and stack[-1][0] >= depth:
                stack.pop()
            num, section = section_label(h.group(2),
                                         [(n, l) for _, n, l in stack])
            stack.append((depth, num, section))
            continue
        d = DEF_RE.match(line)
        if d is None:
            continue
        ident, bold, rest = d.group(1), d.group(2), d.group(3)
        fam, num = ID_RE.match(ident).groups()
        if len(num) != FAMILIES[fam][0]:
            errors.append("%s:%d: malformed ID %s" % (path, lineno, ident))
            continue
        if ident in seen:
            errors.append("%s:%d: %s already defined at line %d"
                          % (path, lineno, ident, seen[ident]))
            continue
        seen[ident] = lineno
        category = FAMILIES[fam][1]
        bold = bold.strip().lstrip(":").strip()
        if category is None:
            if ":" not in rest:
                errors.append("%s:%d: %s has no 'LEVEL:'" % (path, lineno,
                                                              ident))
                continue
            prefix, body = rest.split(":", 1)
            level = wic_level(prefix)
            if level is None:
                errors.append("%s:%d: %s: no level in %r"
                              % (path, lineno, ident, prefix))
                continue
        else:
            level, body = category, rest
        title = shorten(clean_text(bold).rstrip(".") if bold
                        else clean_text(body))
        items.append((ident, level, section, title))
    if errors:
        raise Failure("\n".join(errors))
    expect = re.search(r"(\d+) numbered requirements.*?(\d+) vendor choices"
                       r".*?(\d+) legacy-client items.*?(\d+) security items",
                       text)
    if expect:
        want = dict(zip(FAMILY_ORDER, map(int, expect.groups())))
        for fam in FAMILY_ORDER:
            got = sum(1 for i in items if i[0].startswith(fam + "-"))
            if got != want[fam]:
                raise Failure("%s: found %d %s IDs, the checklist says %d"
                              % (path, got, fam, want[fam]))
    return items


def ids_file_text(items, source):
    out = ["# Requirement IDs of the WANIPConnection:2 conformance checklist.",
           "# Generated by scripts/conformance.py --import-checklist %s;"
           % os.path.basename(source),
           "# do not edit by hand: re-import when the checklist changes.",
           "# ID<TAB>level<TAB>section<TAB>short title"]
    out += ["\t".join(item) for item in items]
    return "\n".join(out) + "\n"


def read_ids(path, display):
    items, seen, errors = [], {}, []
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = "%s:%d" % (display, lineno)
        if len(fields) != 4 or not ID_RE.match(fields[0]):
            errors.append("%s: expected ID<TAB>level<TAB>section<TAB>title"
                          % where)
            continue
        if fields[0] in seen:
            errors.append("%s: %s already listed at line %d"
                          % (where, fields[0], seen[fields[0]]))
            continue
        seen[fields[0]] = lineno
        items.append(tuple(fields))
    if errors:
        raise Failure("\n".join(errors))
    if not items:
        raise Failure("%s: no IDs" % display)
    return items


# ------------------------------------------------------------------ status


def read_status(path, display, known):
    """Return ({id: (status, reason, lineno)}, [errors])."""
    order = sorted(known, key=id_key)
    statuses, errors = {}, []
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = "%s:%d" % (display, lineno)
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 3 or not all(fields):
            errors.append("%s: malformed line, expected "
                          "ID<TAB>status<TAB>reason or "
                          "ID..ID<TAB>status<TAB>reason" % where)
            continue
        spec, status, reason = fields
        if status not in STATUSES:
            errors.append("%s: unknown status %r (use n/a or todo)"
                          % (where, status))
            continue
        ends = spec.split("..")
        if len(ends) > 2 or not all(ID_RE.match(e) for e in ends):
            errors.append("%s: malformed ID or range %r" % (where, spec))
            continue
        unknown = [e for e in ends if e not in known]
        if unknown:
            errors.append("%s: unknown ID %s" % (where, unknown[0]))
            continue
        first, last = ends[0], ends[-1]
        if first[:first.index("-")] != last[:last.index("-")] \
                or id_key(first) > id_key(last):
            errors.append("%s: bad range %s" % (where, spec))
            continue
        covered = order[order.index(first):order.index(last) + 1]
        dup = [i for i in covered if i in statuses]
        if dup:
            errors.append("%s: %s already has a status at line %d"
                          % (where, dup[0], statuses[dup[0]][2]))
            continue
        for ident in covered:
            statuses[ident] = (status, reason, lineno)
    return statuses, errors


# ------------------------------------------------------------------- tests


def scannable(name):
    if name.startswith(".") or SKIP_NAME_RE.match(name):
        return False
    ext = os.path.splitext(name)[1]
    return ext in SCAN_EXTS or ext == ""


def walk_tree(root):
    if os.path.isfile(root):
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if scannable(name):
                yield os.path.join(dirpath, name)


def comment_lines(lines, lang):
    """Per line: True when it holds only comments (or nothing)."""
    if lang != "c":
        return [not l.strip() or l.lstrip().startswith("#")
                or (lang == "py" and l.lstrip().startswith("@"))
                for l in lines]
    mask, in_comment = [], False
    for line in lines:
        code, rest = "", line
        while rest:
            if in_comment:
                end = rest.find("*/")
                if end < 0:
                    rest = ""
                else:
                    rest, in_comment = rest[end + 2:], False
                continue
            k = rest.find("/*")
            k2 = rest.find("//")
            if k2 >= 0 and (k < 0 or k2 < k):
                code += rest[:k2]
                break
            if k < 0:
                code += rest
                break
            code, rest, in_comment = code + rest[:k], rest[k + 2:], True
        mask.append(not code.strip())
    return mask


def lang_of(path, text):
    ext = os.path.splitext(path)[1]
    if ext in (".c", ".h"):
        return "c"
    if ext == ".py":
        return "py"
    if ext == ".sh":
        return "sh"
    if ext == "" and text.startswith("#!"):
        return "py" if "python" in text.split("\n", 1)[0] else "sh"
    return "other"


# A C function definition starts at column 0 with its name (style(9) puts
# the type on the line above) or with its type: "test_x(void)",
# "static void test_x(void)", "Suite *\nportmap_suite(void)".
C_FUNC_RE = re.compile(r"^(?:[A-Za-z_][\w \t*]*[ \t*])?([A-Za-z_]\w*)\s*\(")
C_NOT_FUNC = {"if", "for", "while", "switch", "return", "sizeof",
              "START_TEST", "END_TEST"}
SH_FUNC_RE = re.compile(r"^(\s*)(?:function\s+([A-Za-z_]\w*)\s*(?:\(\))?|"
                        r"([A-Za-z_]\w*)\s*\(\))\s*\{?")
PY_DEF_RE = re.compile(r"^(\s*)(?:async\s+)?(def|class)\s+(\w+)")


def c_regions(lines):
    """Check START_TEST blocks and function bodies."""
    regions, n = [], len(lines)
    for i, line in enumerate(lines):
        m = re.match(r"^\s*START_TEST\s*\(\s*(\w+)\s*\)", line)
        if m:
            j = i
            while j < n - 1 and not re.match(r"^\s*END_TEST", lines[j]):
                j += 1
            regions.append((i, j, m.group(1)))
            continue
        m = C_FUNC_RE.match(line)
        if m is None or m.group(1) in C_NOT_FUNC:
            continue
        # Find the end of the parameter list: a prototype ends in ";".
        depth, j = 0, i
        while j < n and j < i + 20:
            depth += lines[j].count("(") - lines[j].count(")")
            if depth <= 0:
                break
            j += 1
        tail = re.sub(r"/\*.*?\*/|//.*", "", lines[j] if j < n else ";")
        if tail.rstrip().endswith((";", ",")):
            continue
        while j < n - 1 and not lines[j].startswith("}"):
            j += 1
        # style(9): the return type sits on the line above the name.
        first = i
        if i > 0 and re.match(r"^[A-Za-z_][\w \t*]*$", lines[i - 1]):
            first = i - 1
        regions.append((first, j, m.group(1)))
    return regions


def sh_regions(lines):
    regions, n = [], len(lines)
    for i, line in enumerate(lines):
        m = SH_FUNC_RE.match(line)
        if not m:
            continue
        indent, name = m.group(1), m.group(2) or m.group(3)
        j = i
        if not re.search(r"\}\s*(#.*)?$", line):
            j = i + 1
            while j < n - 1 and not re.match(r"^%s\}" % re.escape(indent),
                                             lines[j]):
                j += 1
        regions.append((i, j, name))
    return regions


def py_regions(lines):
    """Top-level functions and methods (Class.name); nested defs belong to
    the function around them."""
    regions, scopes, n = [], [], len(lines)    # scopes: [(indent, kind, name)]
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        while scopes and scopes[-1][0] >= indent:
            scopes.pop()
        m = PY_DEF_RE.match(line)
        if not m:
            continue
        kind, name = m.group(2), m.group(3)
        inside_def = any(k == "def" for _, k, _ in scopes)
        if kind == "def" and not inside_def:
            j = i + 1
            while j < n and (not lines[j].strip()
                             or len(lines[j]) - len(lines[j].lstrip())
                             > indent):
                j += 1
            last = j - 1
            while last > i and not lines[last].strip():
                last -= 1
            classes = [nm for _, k, nm in scopes if k == "class"]
            regions.append((i, last, ".".join(classes + [name])))
        scopes.append((indent, kind, name))
    return regions


def test_regions(lines, lang):
    """Return [(first, last, name)]: 0-based inclusive line ranges of the
    tests and functions a citation can belong to."""
    if lang == "c":
        return c_regions(lines)
    if lang == "sh":
        return sh_regions(lines)
    if lang == "py":
        return py_regions(lines)
    return []


def enclosing_test(regions, names, comments, lineno, token):
    """Name of the test a citation on line `lineno` (0-based) belongs to:
    the test named by the citing identifier, the innermost test around the
    line, or the test right below a comment block holding the line."""
    if token in names:
        return token
    inner = [r for r in regions if r[0] <= lineno <= r[1]]
    if inner:
        return max(inner, key=lambda r: r[0])[2]
    if not comments[lineno]:
        return None
    below = [r for r in regions if r[0] > lineno]
    if below:
        first, _, name = min(below)
        if all(comments[lineno + 1:first]):
            return name
    return None


def scan_file(path, display):
    """Yield (ident, display, lineno (1-based, 0 = file name), test|None)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Failure("%s: %s" % (display, e.strerror))
    if b"\0" in data[:8192]:
        return          # a built test program, not a source
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    lang = lang_of(path, text)
    regions = test_regions(lines, lang)
    comments = comment_lines(lines, lang)
    names = {r[2].split(".")[-1] for r in regions}
    base = os.path.basename(path)
    for m in CITE_LOWER_RE.finditer(base):
        yield lower_id(m), display, 0, None
    for i, line in enumerate(lines):
        for m in CITE_UPPER_RE.finditer(line):
            test = enclosing_test(regions, names, comments, i, None)
            yield m.group(1) + "-" + m.group(2), display, i + 1, test
        for m in CITE_LOWER_RE.finditer(line):
            # The whole identifier, e.g. test_wic061_lease for "wic061".
            k = m.start()
            while k > 0 and (line[k - 1].isalnum() or line[k - 1] == "_"):
                k -= 1
            token = IDENT_RE.match(line, k).group(0)
            test = enclosing_test(regions, names, comments, i, token)
            yield lower_id(m), display, i + 1, test


def scan_trees(top, trees):
    """Scan [(path, name)] trees; return [(ident, display path, lineno,
    test)], sorted and unique. Display paths are relative to `top`."""
    cites = set()
    for root, name in trees:
        if not os.path.exists(root):
            raise Failure("%s: no such test tree" % name)
        for path in walk_tree(root):
            rel = os.path.relpath(path, top)
            display = path if rel.startswith("..") else rel
            display = display.replace(os.sep, "/")
            cites.update(scan_file(path, display))
    return sorted(cites, key=lambda c: (c[1], c[2], c[0], c[3] or ""))


# ------------------------------------------------------------------ output


def md(s):
    for a, b in (("\\", "\\\\"), ("|", "\\|"), ("*", "\\*"), ("[", "\\["),
                 ("]", "\\]"), ("<", "&lt;"), (">", "&gt;")):
        s = s.replace(a, b)
    return s


def proven_by(cites):
    """[(display, lineno, test)] -> 'a`, `b` (file); file:12,40'."""
    files = {}
    for display, lineno, test in cites:
        entry = files.setdefault(display, [set(), set()])
        if test:
            entry[0].add(test)
        else:
            entry[1].add(lineno)
    parts = []
    for display in sorted(files):
        tests, linenos = files[display]
        if tests:
            parts.append("%s (%s)" % (", ".join("`%s`" % t
                                                for t in sorted(tests)),
                                      md(display)))
        if linenos:
            nums = ",".join(str(n) for n in sorted(linenos) if n)
            parts.append(md(display) + (":" + nums if nums else ""))
    return "; ".join(parts)


def classify(items, statuses, by_id):
    """{id: 'proven' | 'n/a' | 'todo' | 'none'}"""
    out = {}
    for ident, _, _, _ in items:
        if by_id.get(ident):
            out[ident] = "proven"
        elif ident in statuses:
            out[ident] = statuses[ident][0]
        else:
            out[ident] = "none"
    return out


def render(items, statuses, by_id):
    kind = classify(items, statuses, by_id)
    cols = ["proven", "n/a", "todo", "none"]
    counts = {fam: dict.fromkeys(cols, 0) for fam in FAMILY_ORDER}
    for ident, k in kind.items():
        counts[ident.split("-")[0]][k] += 1
    out = [
        "# WANIPConnection:2 conformance",
        "",
        "<!-- Generated file: do not edit by hand. -->",
        "",
        "This file is generated by `scripts/conformance.py` from the test "
        "sources under `tests/` and from `doc/conformance-status.txt`; the "
        "requirement IDs come from `doc/checklist-ids.txt`, imported from "
        "the conformance checklist (`wanipconnection2-checklist.md`). "
        "Do not edit it by hand: change the tests or the status file, then "
        "regenerate it with `make conformance`. `make check` fails when it "
        "is out of date.",
        "",
        "An ID counts as proven only when at least one test cites it "
        "(`WIC-042` in a comment, or `wic042_...` in a test name). "
        "*n/a* means the requirement does not apply to igd2d; *not yet* "
        "means no test proves it so far.",
        "",
        "## Summary",
        "",
        "| IDs | proven by a test | n/a | not yet (todo) "
        "| not yet (no status) | total |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = dict.fromkeys(cols, 0)
    for fam in FAMILY_ORDER:
        c = counts[fam]
        n = sum(c.values())
        if not n:
            continue
        for k in cols:
            total[k] += c[k]
        out.append("| %s | %d | %d | %d | %d | %d |"
                   % (fam, c["proven"], c["n/a"], c["todo"], c["none"], n))
    out.append("| **all** | **%d** | **%d** | **%d** | **%d** | **%d** |"
               % (total["proven"], total["n/a"], total["todo"],
                  total["none"], sum(total.values())))
    section = None
    for ident, level, sect, title in items:
        if sect != section:
            section = sect
            out += ["", "## " + md(sect), "",
                    "| ID | level | requirement (short) | proven by |",
                    "| --- | --- | --- | --- |"]
        k = kind[ident]
        if k == "proven":
            cell = proven_by(by_id[ident])
        elif k == "n/a":
            cell = "n/a: " + md(statuses[ident][1])
        elif k == "todo":
            cell = "not yet: " + md(statuses[ident][1])
        else:
            cell = "not yet: no test cites this ID"
        out.append("| %s | %s | %s | %s |" % (ident, md(level), md(title),
                                              cell))
    return "\n".join(out) + "\n", total


# -------------------------------------------------------------------- main


def resolve(srcdir, path):
    """Return (path to open, name to print) for a path argument.

    A relative path names a file of the source tree ("doc/CONFORMANCE.md");
    one that already leads there from the current directory, as
    "$(top_srcdir)/doc/CONFORMANCE.md" from a VPATH build does, is taken as
    it is. The printed name is relative to the source tree."""
    top = os.path.abspath(srcdir)

    def inside(p):
        return os.path.commonpath([top, p]) == top

    in_tree = os.path.abspath(os.path.join(srcdir, path))
    from_cwd = os.path.abspath(path)
    full = in_tree if inside(in_tree) or not inside(from_cwd) else from_cwd
    name = os.path.relpath(full, top) if inside(full) else path
    return full, name.replace(os.sep, "/")


def analyse(args):
    """Return (markdown, totals, errors, notes)."""
    if args.checklist:
        items = parse_checklist(args.checklist)
    else:
        items = read_ids(*args.ids)
    known = {i[0] for i in items}
    statuses, errors = read_status(args.status[0], args.status[1], known)
    notes = []
    by_id = {}
    for ident, display, lineno, test in scan_trees(args.top, args.trees):
        where = "%s:%d" % (display, lineno) if lineno else display
        if ident not in known:
            errors.append("%s: cites %s, which the checklist does not define"
                          % (where, ident))
            continue
        by_id.setdefault(ident, set()).add((display, lineno, test))
    for ident in sorted(by_id, key=id_key):
        if ident not in statuses:
            continue
        status, _, lineno = statuses[ident]
        display, tline, _ = min(by_id[ident], key=lambda c: c[:2])
        where = "%s:%d" % (display, tline) if tline else display
        if status == "n/a":
            errors.append("%s: cites %s, which %s:%d marks n/a; drop the "
                          "n/a or the citation"
                          % (where, ident, args.status[1], lineno))
        else:
            notes.append("note: %s is cited by %s and marked todo at %s:%d;"
                         " the test wins (remove the todo)"
                         % (ident, where, args.status[1], lineno))
    markdown, totals = render(items, statuses, by_id)
    return markdown, totals, errors, notes


def summary(totals):
    return ("%d proven by a test, %d n/a, %d todo, %d with no test and no "
            "status, %d total" % (totals["proven"], totals["n/a"],
                                  totals["todo"], totals["none"],
                                  sum(totals.values())))


def write_file(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def compare(path, name, markdown):
    """--check (d): 0 when the file at `path` equals `markdown`."""
    if not os.path.exists(path):
        print("%s is missing: run make conformance" % name, file=sys.stderr)
        return 1
    have = read_text(path)
    if have == markdown:
        return 0
    print("%s is out of date: run make conformance" % name, file=sys.stderr)
    diff = list(difflib.unified_diff(have.splitlines(), markdown.splitlines(),
                                     name, name + " (expected)",
                                     lineterm="", n=1))
    for line in diff[:40]:
        print(line, file=sys.stderr)
    if len(diff) > 40:
        print("... %d more diff lines" % (len(diff) - 40), file=sys.stderr)
    return 1


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(
        description="Map checklist requirement IDs to the tests citing them.")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--write", metavar="FILE",
                     help="write the conformance table (doc/CONFORMANCE.md)")
    act.add_argument("--check", metavar="FILE",
                     help="fail if the inputs are inconsistent or FILE is "
                          "not what --write would produce; never writes")
    act.add_argument("--import-checklist", metavar="CHECKLIST",
                     help="parse the checklist markdown and write the ID "
                          "index (--ids)")
    p.add_argument("--srcdir", default=os.path.dirname(here),
                   help="source tree; relative paths name files in it "
                        "(default: the parent of the script's directory)")
    p.add_argument("--ids", default=IDS_FILE,
                   help="ID index (default: %(default)s)")
    p.add_argument("--status", default=STATUS_FILE,
                   help="status file (default: %(default)s)")
    p.add_argument("--checklist", metavar="CHECKLIST",
                   help="read the IDs from the checklist markdown instead "
                        "of the index; with --check, also fail when the "
                        "index is stale")
    p.add_argument("trees", nargs="*", default=DEFAULT_TREES,
                   help="test trees to scan (default: tests)")
    args = p.parse_args(argv)
    args.top = os.path.abspath(args.srcdir)
    args.ids = resolve(args.srcdir, args.ids)
    args.status = resolve(args.srcdir, args.status)
    args.trees = [resolve(args.srcdir, t) for t in args.trees]
    for opt in ("write", "check"):
        if getattr(args, opt):
            setattr(args, opt, resolve(args.srcdir, getattr(args, opt)))
    return args


def run(args):
    if args.import_checklist:
        items = parse_checklist(args.import_checklist)
        write_file(args.ids[0], ids_file_text(items, args.import_checklist))
        fams = ", ".join("%s %d" % (f, sum(1 for i in items
                                           if i[0].startswith(f + "-")))
                         for f in FAMILY_ORDER)
        print("%s: %d IDs (%s)" % (args.ids[1], len(items), fams))
        return 0

    markdown, totals, errors, notes = analyse(args)
    if args.check and args.checklist:
        want = ids_file_text(parse_checklist(args.checklist), args.checklist)
        have = read_text(args.ids[0]) if os.path.exists(args.ids[0]) else ""
        if have != want:
            errors.append("%s is out of date: run scripts/conformance.py "
                          "--import-checklist %s"
                          % (args.ids[1], args.checklist))
    for line in notes + errors:
        print(line, file=sys.stderr)

    if args.write:
        if errors:
            print("%s not written: fix the errors above" % args.write[1],
                  file=sys.stderr)
            return 1
        write_file(args.write[0], markdown)
        print("%s: %s" % (args.write[1], summary(totals)))
        return 0
    if args.check:
        stale = compare(args.check[0], args.check[1], markdown)
        return 1 if errors or stale else 0
    sys.stdout.write(markdown)
    return 1 if errors else 0


def main(argv):
    args = parse_args(argv)
    try:
        return run(args)
    except Failure as e:
        print("conformance.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
