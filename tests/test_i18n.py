"""The English translation: the language is picked per request, the catalogue is complete, and the compiled
.mo committed next to the .po says the same as the .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

EN_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts (msgctxt, msgid, msgid_plural, msgstr, msgstr[0], …, flags); the header
    (empty msgid) and obsolete ``#~`` entries are left out."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


ENTRIES = parse_po(EN_MESSAGES / "django.po")


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_the_login_page_is_vietnamese_by_default(client, db):
    response = client.get("/dang-nhap/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập dành cho cán bộ" in html
    assert "Staff login" not in html


def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses(client, db):
    html = client.get("/dang-nhap/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập dành cho cán bộ" in html


def test_choosing_english_in_the_footer_switches_the_pages(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/dang-nhap/").content.decode().count("Staff login") == 1


def test_the_login_page_is_english_when_the_user_chose_it(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/dang-nhap/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Staff login" in html
    assert "Username" in html and "Password" in html
    assert "Đăng nhập dành cho cán bộ" not in html


def test_the_catalogue_was_parsed():
    assert len(ENTRIES) > 150
    assert any("msgid_plural" in entry for entry in ENTRIES)


def test_every_english_message_is_translated_and_none_is_fuzzy():
    untranslated = [entry["msgid"] for entry in ENTRIES if not all(translations(entry))]
    fuzzy = [entry["msgid"] for entry in ENTRIES if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []
    header = (EN_MESSAGES / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header


def test_translations_keep_the_placeholders():
    changed = [entry["msgid"] for entry in ENTRIES for msgstr in translations(entry)
               if sorted(PLACEHOLDER.findall(msgstr)) != sorted(PLACEHOLDER.findall(entry["msgid"]))]
    assert changed == []


def test_the_compiled_catalogue_matches_the_po():
    with (EN_MESSAGES / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.info()["language"] == "en"
    stale = []
    for entry in ENTRIES:
        msgid, context = entry["msgid"], entry.get("msgctxt")
        if "msgid_plural" in entry:
            for n, index in ((1, 0), (2, 1)):
                got = (compiled.npgettext(context, msgid, entry["msgid_plural"], n) if context
                       else compiled.ngettext(msgid, entry["msgid_plural"], n))
                if got != entry[f"msgstr[{index}]"]:
                    stale.append((msgid, index, got))
        else:
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            if got != entry["msgstr"]:
                stale.append((msgid, got))
    assert stale == [], "django.mo is out of date: run `motcua compilemessages -l en`"
