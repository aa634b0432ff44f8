"""Fill locale/ko from the glossary (locale/glossary/<app>.py) and compile it.

Run after `make messages` adds strings; a test (tests/test_translations.py) fails when one has no Korean.
"""
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "locale"))
from glossary import KO  # noqa: E402


def fill(po_path: Path) -> int:
    """Write the Korean of every msgid we know into `po_path`; return how many are still missing."""
    po = polib.pofile(str(po_path))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""  # msgmerge's guess from a similar string is not a translation
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
        if entry.msgid in KO and entry.msgid_plural:
            entry.msgstr_plural = {0: KO[entry.msgid]}  # Korean has one plural form
        elif entry.msgid in KO:
            entry.msgstr = KO[entry.msgid]
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(po.untranslated_entries())


if __name__ == "__main__":
    path = Path(__file__).resolve().parents[1] / "locale/ko/LC_MESSAGES/django.po"
    print(f"missing: {fill(path)}")
