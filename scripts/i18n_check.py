"""Check the Indonesian gettext catalogue (locale/id/LC_MESSAGES/django.po).

The UI is written with English msgids and shipped in Bahasa Indonesia, so an untranslated msgid
shows up as English on screen. This script fails (exit 1) when:

* an entry has an empty msgstr (or msgstr[0]), is marked fuzzy, or drops/renames a placeholder
  such as ``%(nama)s``;
* the header is not ``Plural-Forms: nplurals=1; plural=0;`` (Indonesian has one plural form);
* with ``--fresh`` (the default), the catalogue is out of date: makemessages, run on a copy of the
  sources in a temporary directory, finds msgids that the committed .po lacks, or the .po still
  holds msgids that are gone from the sources.

Usage::

    .venv/bin/python scripts/i18n_check.py            # all checks
    .venv/bin/python scripts/i18n_check.py --no-fresh # only the committed .po (fast)

To fix a failure, run ``scripts/i18n_refresh.sh``, translate the msgids it lists, then run it
again. tests/test_i18n.py runs the same checks.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "id"
PO_PATH = ROOT / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"

# Directories makemessages skips (keep in sync with scripts/i18n_refresh.sh). Dot-directories
# (.venv, .git, ...) are skipped by makemessages' default ignore patterns as well.
IGNORES = (".venv", "tests", "bench", "artifacts")
MAKEMESSAGES_ARGS = (
    "makemessages",
    "-l",
    LANGUAGE,
    "--no-obsolete",
    *(f"--ignore={name}" for name in IGNORES),
)
# Only these files hold msgids for the "django" domain; the copy for the freshness check takes
# nothing else (no database, media, static files, or the committed catalogue).
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
NOT_COPIED = {*IGNORES, "locale", "static", "staticfiles", "media", "node_modules", "__pycache__"}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPE_RE = re.compile(r"\\(.)")
_PERCENT_RE = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([a-zA-Z%])")
_BRACE_RE = re.compile(r"\{(\w*)(?:[!:][^{}]*)?\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    lineno: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr or ""]

    def describe(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt else ""
        where = f" ({self.references[0]})" if self.references else f" (line {self.lineno})"
        plural = f" / {self.msgid_plural!r}" if self.msgid_plural is not None else ""
        return f"{ctx}{self.msgid!r}{plural}{where}"


def _unquote(text: str, path: Path, lineno: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path = PO_PATH) -> tuple[Entry | None, list[Entry]]:
    """Return (header, entries) of a .po file; obsolete (#~) entries are left out."""
    header: Entry | None = None
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None  # the field continuation lines append to
    seen_keyword = False

    def finish() -> None:
        nonlocal current, target, seen_keyword, header
        if seen_keyword:
            if current.msgid == "" and current.msgctxt is None:
                header = current
            else:
                entries.append(current)
        current, target, seen_keyword = Entry(), None, False

    def append(name: str, index: int | None, value: str) -> None:
        if name == "msgstr_plural":
            current.msgstr_plural[index] = current.msgstr_plural.get(index, "") + value
        else:
            setattr(current, name, (getattr(current, name) or "") + value)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if seen_keyword:  # a comment after msgstr starts the next entry
                finish()
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#:"):
                current.references.extend(line[2:].split())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{lineno}: string outside of a keyword")
            append(*target, _unquote(line, path, lineno))
            continue
        keyword, _, rest = line.partition(" ")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            target = ("msgstr_plural", int(match.group(1)))
        elif keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
            has_msgstr = current.msgstr is not None or bool(current.msgstr_plural)
            if keyword in {"msgctxt", "msgid"} and has_msgstr:
                finish()  # the next entry starts without a blank line in between
            target = (keyword, None)
        else:
            raise ValueError(f"{path}:{lineno}: cannot parse {raw!r}")
        if not seen_keyword:
            current.lineno = lineno
        seen_keyword = True
        if target[0] == "msgstr_plural":
            current.msgstr_plural.setdefault(target[1], "")
        else:
            setattr(current, target[0], getattr(current, target[0]) or "")
        append(*target, _unquote(rest, path, lineno))
    finish()
    return header, entries


def _placeholders(text: str, flags: set[str]) -> list[str]:
    found: list[str] = []
    if "python-format" in flags:
        found += [
            f"%({name}){conv}" if name else f"%{conv}" for name, conv in _PERCENT_RE.findall(text)
        ]
    if "python-brace-format" in flags:
        found += [f"{{{name}}}" for name in _BRACE_RE.findall(text)]
    return sorted(found)


def catalogue_problems(header: Entry | None, entries: list[Entry]) -> list[str]:
    """Untranslated, fuzzy or placeholder-breaking entries and header problems, one per line."""
    problems: list[str] = []
    if header is None:
        problems.append('header: missing (msgid "")')
    else:
        if header.fuzzy:
            problems.append("header: marked fuzzy (remove the '#, fuzzy' line)")
        if not re.search(
            r"^Plural-Forms:\s*nplurals=1;\s*plural=0;?\s*$", header.msgstr or "", re.MULTILINE
        ):
            problems.append("header: Plural-Forms must be 'nplurals=1; plural=0;'")
        if not re.search(r"charset=UTF-8", header.msgstr or "", re.IGNORECASE):
            problems.append("header: Content-Type must declare charset=UTF-8")
    for entry in entries:
        if entry.fuzzy:
            guess = " / ".join(entry.translations())
            problems.append(f"fuzzy (msgmerge's guess {guess!r}): {entry.describe()}")
        translations = entry.translations()
        if not translations or not all(t.strip() for t in translations):
            problems.append(f"untranslated: {entry.describe()}")
            continue
        if entry.msgid_plural is not None and sorted(entry.msgstr_plural) != [0]:
            problems.append(f"plural forms: expected only msgstr[0]: {entry.describe()}")
        # With one plural form, msgstr[0] serves every count, so it is compared with the plural.
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        wanted = _placeholders(source, entry.flags)
        for text in translations:
            got = _placeholders(text, entry.flags)
            if got != wanted:
                problems.append(
                    f"placeholders {got} differ from {wanted}: {entry.describe()} -> {text!r}"
                )
    counts = Counter(e.key for e in entries)
    problems += [f"duplicate: {key!r}" for key, n in counts.items() if n > 1]
    return problems


def _copy_sources(root: Path, dest: Path) -> None:
    for path in root.iterdir():
        if path.name.startswith(".") or path.name in NOT_COPIED:
            continue
        if path.is_dir():
            for file in path.rglob("*"):
                rel = file.relative_to(root)
                if any(part.startswith(".") or part in NOT_COPIED for part in rel.parts[:-1]):
                    continue
                if file.is_file() and file.suffix in SOURCE_SUFFIXES:
                    (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, dest / rel)
        elif path.is_file() and path.suffix in SOURCE_SUFFIXES:
            shutil.copy2(path, dest / path.name)


def fresh_entries(workdir: Path, root: Path = ROOT) -> list[Entry]:
    """Run makemessages on a copy of the sources in ``workdir``; return the entries it extracts."""
    for tool in ("xgettext", "msgmerge", "msguniq"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} not found: install GNU gettext (scripts/bootstrap.sh)")
    _copy_sources(root, workdir)
    (workdir / "locale").mkdir(exist_ok=True)
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", *MAKEMESSAGES_ARGS],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    po = workdir / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
    if result.returncode != 0 or not po.exists():
        raise RuntimeError(
            f"makemessages failed in {workdir} (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return parse_po(po)[1]


def freshness_problems(fresh: list[Entry], committed: list[Entry]) -> list[str]:
    """msgids in the sources but not in the .po (missing) and the other way round (stale)."""
    have = {e.key for e in committed}
    want = {e.key for e in fresh}
    problems = [f"missing: {e.describe()}" for e in fresh if e.key not in have]
    problems += [f"stale: {e.describe()}" for e in committed if e.key not in want]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--po", type=Path, default=PO_PATH, help="catalogue to check")
    parser.add_argument(
        "--no-fresh",
        dest="fresh",
        action="store_false",
        help="skip the makemessages freshness check",
    )
    args = parser.parse_args(argv)

    if not args.po.exists():
        print(f"{args.po} does not exist: run scripts/i18n_refresh.sh", file=sys.stderr)
        return 1
    header, entries = parse_po(args.po)
    problems = catalogue_problems(header, entries)
    if args.fresh:
        with tempfile.TemporaryDirectory(prefix="i18n-check-") as tmp:
            problems += freshness_problems(fresh_entries(Path(tmp)), entries)
    if problems:
        print(
            f"{args.po.relative_to(ROOT) if args.po.is_relative_to(ROOT) else args.po}: "
            f"{len(problems)} problem(s)"
        )
        for problem in problems:
            print(f"  {problem}")
        print(
            "Fix: translate the entries listed in the .po (msgstr, or msgstr[0] for plurals), "
            "delete their '#, fuzzy' and '#|' lines, then run scripts/i18n_refresh.sh again."
        )
        return 1
    print(f"{len(entries)} msgids, all translated" + (" and up to date." if args.fresh else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
