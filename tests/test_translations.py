"""Every text a person reads comes from an English msgid with a zh_Hans translation.

The catalogues are committed compiled, so a fresh machine needs no gettext to run.
These tests keep them honest: no Chinese literal slips into code or templates, every
msgid in the code is in a catalogue, every entry is translated (and is what a
zh-hans reader sees, not another catalogue's word), and each ``.mo`` is compiled
from its ``.po``.
"""

import ast
import io
import re
from pathlib import Path

import polib
import pytest
from babel.messages.extract import extract
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "core", "services", "volunteers", "enforcement"]
CATALOGUES = [ROOT / "locale"] + [ROOT / app / "locale" for app in APPS[2:]]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")

# Chinese that is data rather than interface text (the national record layouts'
# column headers, document-number words, the district's own names) is marked on its
# line, or on the line above the statement holding it, with this comment.
DATA_MARK = "i18n: data"


def _python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        # Migrations freeze what was; demo data is data.
        if "migrations" in parts or "demo" in parts or path.stem == "demo":
            continue
        yield path


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                ids.add(id(body[0].value))
    return ids


def _marked_lines(tree: ast.AST, lines: list[str]) -> set[int]:
    marked = {n for n, line in enumerate(lines, 1) if DATA_MARK in line}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and (
            node.lineno in marked or node.lineno - 1 in marked
        ):
            marked.update(range(node.lineno, node.end_lineno + 1))
    return marked


def chinese_literals(path: Path) -> list[str]:
    """``path:line: text`` for each Chinese string literal that is not a docstring."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    marked = _marked_lines(tree, lines)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CJK.search(node.value)
            and id(node) not in docstrings
            and node.lineno not in marked
        ):
            rel = path.relative_to(ROOT)
            found.append(f"{rel}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_code_has_no_chinese_literals(app):
    found = [hit for path in _python_files(app) for hit in chinese_literals(path)]
    assert not found, "wrap these as English msgids:\n" + "\n".join(found)


def _template_files():
    for base in [ROOT / "templates"] + [ROOT / app / "templates" for app in APPS]:
        yield from sorted(base.rglob("*.html"))


@pytest.mark.parametrize(
    "template", list(_template_files()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_templates_have_no_chinese_text(template):
    found = [
        f"{n}: {line.strip()}"
        for n, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if CJK.search(line) and DATA_MARK not in line
    ]
    assert not found, "use {% translate %} with an English msgid:\n" + "\n".join(found)


def _po_files():
    return [base / "zh_Hans" / "LC_MESSAGES" / "django.po" for base in CATALOGUES]


def _entries(catalogue) -> dict:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())),
        )
        for entry in catalogue
        if not entry.obsolete and entry.msgid
    }


@pytest.mark.parametrize("po_path", _po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(po_path):
    catalogue = polib.pofile(str(po_path))
    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]
    assert not missing, "untranslated or fuzzy:\n" + "\n".join(missing)


@pytest.mark.parametrize("po_path", _po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make messages` to compile {po_path}"
    assert _entries(polib.mofile(str(mo_path))) == _entries(polib.pofile(str(po_path)))


# The translation functions as makemessages knows them: argument positions of the
# msgid, the plural and ("c") the context, in Babel's keyword notation.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _msgids_in(path: Path) -> set:
    """(context, msgid, plural) of every translatable string in a file; templates
    go through Django's own templatize first, as makemessages does."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        source = templatize(source, origin=str(path))
    found = set()
    for _line, message, _comments, context in extract(
        "python", io.BytesIO(source.encode()), keywords=KEYWORDS
    ):
        msgid, plural = message if isinstance(message, tuple) else (message, "")
        found.add((context, msgid, plural))
    return found


def _catalogue_for(path: Path) -> Path:
    """Where makemessages puts a file's msgids: its app's catalogue, or the project's."""
    top = path.relative_to(ROOT).parts[0]
    base = (
        ROOT / top / "locale"
        if (ROOT / top / "locale") in CATALOGUES
        else ROOT / "locale"
    )
    return base / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_msgid_in_the_code_is_in_its_catalogue_and_nothing_else():
    """The extraction makemessages would do (Babel's Python extractor, no GNU
    gettext needed), compared with the committed catalogues both ways."""
    in_code: dict = {po_path: set() for po_path in _po_files()}
    for base in [*APPS, "templates"]:
        for path in sorted((ROOT / base).rglob("*")):
            if path.suffix in {".py", ".html"} and "__pycache__" not in path.parts:
                in_code[_catalogue_for(path)] |= _msgids_in(path)
    for po_path, wanted in in_code.items():
        committed = {
            (entry.msgctxt, entry.msgid, entry.msgid_plural)
            for entry in polib.pofile(str(po_path))
            if not entry.obsolete and entry.msgid
        }
        assert wanted == committed, (
            f"{po_path.relative_to(ROOT)} is out of date; run `make messages`.\n"
            f"missing: {sorted(m[1] for m in wanted - committed)}\n"
            f"stale: {sorted(m[1] for m in committed - wanted)}"
        )


def test_every_entry_is_what_a_chinese_reader_sees():
    """Catalogues are searched in order (the project's, then the apps' in
    INSTALLED_APPS order, then Django's and the libraries'), and the first that
    knows a msgid wins. A msgid translated differently in a catalogue searched
    earlier would silently show the other word; such a msgid needs a context."""
    overridden = []
    with translation.override("zh-hans"):
        for po_path in _po_files():
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete or not entry.msgid:
                    continue
                if entry.msgid_plural:
                    expected = entry.msgstr_plural[0]
                    shown = (
                        translation.npgettext(
                            entry.msgctxt, entry.msgid, entry.msgid_plural, 1
                        )
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                    )
                else:
                    expected = entry.msgstr
                    shown = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                    )
                if shown != expected:
                    overridden.append(
                        f"{po_path.relative_to(ROOT)}: {entry.msgid!r} shows {shown!r}, "
                        f"not {expected!r}"
                    )
    assert not overridden, "give these a context:\n" + "\n".join(overridden)
