"""Korean first: every source string has Korean, and the compiled catalogue matches the .po."""
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "locale/ko/LC_MESSAGES/django.po"


def test_every_string_has_a_korean_translation():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == [] and fuzzy == []


def test_compiled_messages_match_the_po_file():
    def korean(entry) -> str:
        return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr

    po = {e.msgid: korean(e) for e in polib.pofile(str(PO))}
    mo = {e.msgid: korean(e) for e in polib.mofile(str(PO.with_suffix(".mo"))) if e.msgid}
    assert mo == po


def test_no_source_string_is_missing_from_the_catalogue(tmp_path, settings, monkeypatch):
    """makemessages on a copy of the sources: a string in code or templates but not in the .po fails."""
    import shutil

    import pytest
    from django.core.management import call_command

    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed (apt-get install gettext)")
    root = PO.parents[3]
    skip = shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "test-artifacts", "docs", "*.pyc")
    for name in ("config", "membership", "eligibility", "applications", "caseload", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=skip)
    monkeypatch.chdir(tmp_path)  # makemessages reads and writes below the current directory
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ko"], no_obsolete=True, verbosity=0, ignore_patterns=["eligibility/engine"])
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/ko/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert sorted(fresh - committed) == []
