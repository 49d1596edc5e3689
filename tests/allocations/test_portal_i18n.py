"""The portal in Spanish: a parent's choice is remembered (the language cookie), every portal
string is translated, dates and numbers follow the language, and mandates read as sentences.
The committed locale/es .mo says what the .po says (no gettext needed to run the suite)."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from allocations.portal.words import Block, blocks_in_words
from tests import factories as f

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
ENGLISH = [
    "Your family", "Para support in the IEP", "Who staffs it", "Services delivered",
    "Export the service record", "Who has looked at these records", "minutes a week",
    "This week", "Next week", "The week of", "Download PDF", "Sign out", "Home",
    "not in force today", "Make-up minutes owed", "a 1:1 aide", "Monday", "Classroom",
]  # fmt: skip


@pytest.fixture
def ava(student_a):
    mandate = f.MandateFactory(student=student_a, code="M-AVA", starts_on=dt.date(2020, 1, 6))
    for weekday in range(5):
        for setting in ("classroom", "lunch", "recess"):
            f.BlockFactory(mandate=mandate, weekday=weekday, start=480, end=600, setting=setting)
    return student_a


def test_a_parent_who_chose_spanish_reads_every_portal_string_in_spanish(
    client, parent_of_student_a, ava
):
    client.force_login(parent_of_student_a)
    chosen = client.post(reverse("set_language"), {"language": "es", "next": "/family/"})

    family = client.get(reverse("family:index")).content.decode()
    child = client.get(reverse("family:child", args=[ava.pk])).content.decode()

    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in child
    assert "<h1>Su familia</h1>" in family
    assert (
        "<li>Un asistente 1:1 en clase, en el almuerzo y en el recreo, de lunes a viernes, "
        "de 8:00 a 10:00.</li>"
    ) in child
    assert '<span class="big">1\xa0800</span>' in child  # Spanish groups with a space
    assert "Quién ha consultado estos registros" in child
    assert [s for s in ENGLISH if s in family + child] == []


def test_in_english_the_mandate_reads_as_a_sentence_and_numbers_are_grouped(
    client, parent_of_student_a, ava
):
    client.force_login(parent_of_student_a)

    child = client.get(reverse("family:child", args=[ava.pk])).content.decode()

    assert (
        "<li>A 1:1 aide in class, at lunch and at recess, Monday to Friday, 8:00 to 10:00.</li>"
    ) in child
    assert '<span class="big">1,800</span>' in child


def test_a_shared_aide_on_two_days_at_two_times():
    blocks = [Block(0, 480, 540, "classroom"), Block(2, 480, 540, "classroom"),
              Block(2, 720, 750, "lunch")]  # fmt: skip
    with translation.override("en"):
        english = blocks_in_words(support="shared", max_group=3, blocks=blocks)
    with translation.override("es"):
        spanish = blocks_in_words(support="shared", max_group=3, blocks=blocks)

    assert english == [
        "an aide shared by up to 3 students in class, Monday and Wednesday, 8:00 to 9:00",
        "an aide shared by up to 3 students at lunch, Wednesday, 12:00 to 12:30",
    ]
    assert spanish == [
        "un asistente compartido por hasta 3 estudiantes en clase, lunes y miércoles, "
        "de 8:00 a 9:00",
        "un asistente compartido por hasta 3 estudiantes en el almuerzo, miércoles, "
        "de 12:00 a 12:30",
    ]


def _po_entries(text: str) -> dict[str, str]:
    entries = {}
    for block in text.split("\n\n"):
        found = re.search(r'^msgid "(.+)"\nmsgstr "(.*)"$', block, re.MULTILINE)
        if found:
            entries[found.group(1)] = found.group(2)
    return entries


def test_the_compiled_catalogue_matches_the_po_and_translates_everything():
    entries = _po_entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)

    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    stale = [
        msgid
        for msgid, msgstr in entries.items()
        if catalogue.gettext(msgid.replace('\\"', '"')) != msgstr.replace('\\"', '"')
    ]

    assert len(entries) > 140
    assert (untranslated, stale) == ([], [])
