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
