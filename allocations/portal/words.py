"""The portal's words, in the reader's language: settings, supports, causes and outcomes, and a
mandate's weekly blocks as a family would say them ("a 1:1 aide in class, at lunch and at
recess, Monday to Friday, 8:00 to 10:00").

The models' own labels are staff vocabulary in English; a parent reads these instead. Every
string goes through Django's translation (locale/es)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from allocations.access.models import StudentAccess
from allocations.engine.causes import Cause
from allocations.ledger.models import DeliveryRecord
from students.models import Setting, Support

SETTING_NAMES = {
    Setting.CLASSROOM: gettext_lazy("Classroom"),
    Setting.LUNCH: gettext_lazy("Lunch"),
    Setting.RECESS: gettext_lazy("Recess"),
    Setting.TRANSITION: gettext_lazy("Transitions"),
    Setting.SPECIALS: gettext_lazy("Specials (art, music, PE)"),
    Setting.BUS: gettext_lazy("Bus"),
    Setting.PERSONAL_CARE: gettext_lazy("Personal care"),
    Setting.COMMUNITY: gettext_lazy("Community outings"),
}
# Where the aide is, as the middle of a sentence: "a 1:1 aide <in class>".
SETTING_PLACES = {
    Setting.CLASSROOM: gettext_lazy("in class"),
    Setting.LUNCH: gettext_lazy("at lunch"),
    Setting.RECESS: gettext_lazy("at recess"),
    Setting.TRANSITION: gettext_lazy("between classes"),
    Setting.SPECIALS: gettext_lazy("in art, music and PE"),
    Setting.BUS: gettext_lazy("on the bus"),
    Setting.PERSONAL_CARE: gettext_lazy("for personal care"),
    Setting.COMMUNITY: gettext_lazy("on community outings"),
}
SUPPORT_NAMES = {
    Support.ONE_TO_ONE: gettext_lazy("1:1 aide (one aide for your child alone)"),
    Support.SHARED: gettext_lazy("Shared aide (a small group)"),
}
OUTCOME_NAMES = {
    DeliveryRecord.Outcome.DELIVERED: gettext_lazy("Delivered"),
    DeliveryRecord.Outcome.MISSED: gettext_lazy("Missed"),
    DeliveryRecord.Outcome.UNQUALIFIED: gettext_lazy(
        "Covered by someone without the required training"
    ),
}
CAUSE_NAMES = {
    Cause.NO_AIDE_AVAILABLE: gettext_lazy("No aide was available then"),
    Cause.NONE_QUALIFIED: gettext_lazy("No available aide had the required training"),
    Cause.QUALIFIED_AIDES_BUSY: gettext_lazy(
        "The trained aides were all with students who needed them more urgently"
    ),
    Cause.CAP_REACHED: gettext_lazy("The aides' weekly hours were used up"),
    Cause.CONTRACT_NOT_IN_FORCE: gettext_lazy("The agency contract was not in force"),
    Cause.AIDE_ABSENT: gettext_lazy("The aide was absent"),
    Cause.NO_QUALIFIED_AIDE: gettext_lazy("No trained aide was free"),
    Cause.QUALIFICATION_EXPIRED: gettext_lazy("The aide's training had expired"),
    Cause.CONTRACT_ENDED_OR_CAP: gettext_lazy("The agency contract had ended or was used up"),
    Cause.VACANCY: gettext_lazy("The position was vacant"),
    Cause.NOT_PLANNED: gettext_lazy("It was not in the week's staffing plan"),
    Cause.OTHER: gettext_lazy("Other reason (the district's note)"),
}
DOOR_NAMES = {
    StudentAccess.Door.ADMIN: gettext_lazy("District administration pages"),
    StudentAccess.Door.API: gettext_lazy("A district system (API)"),
    StudentAccess.Door.PORTAL: gettext_lazy("Family portal"),
    StudentAccess.Door.REPORT: gettext_lazy("District reports"),
    StudentAccess.Door.EXPORT: gettext_lazy("Exported file"),
}
ROLE_NAMES = {
    StudentAccess.Role.DIRECTOR: gettext_lazy("Special-education director"),
    StudentAccess.Role.CASE_MANAGER: gettext_lazy("Case manager"),
    StudentAccess.Role.PARENT: gettext_lazy("Parent or guardian"),
    StudentAccess.Role.OPERATOR: gettext_lazy("ParaCover support"),
    StudentAccess.Role.OTHER: gettext_lazy("District staff"),
}


def label(names: Mapping[Any, object], value: str) -> str:
    """The reader's word for a stored value; the value itself if it has none."""
    return str(names.get(value, value))


def clock(minutes: int) -> str:
    """Minutes since midnight as `8:00` or `13:30`, as both languages write a time."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def and_list(items: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b and c" (in Spanish, "a, b y c")."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def days_in_words(weekdays: Iterable[int]) -> str:
    """[0, 1, 2, 3, 4] -> "Monday to Friday"; [0, 2] -> "Monday and Wednesday"."""
    days = sorted(set(weekdays))
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s") % {
            "first": str(WEEKDAYS[days[0]]),
            "last": str(WEEKDAYS[days[-1]]),
        }
    return and_list([str(WEEKDAYS[day]) for day in days])


def support_in_words(support: str, max_group: int | None) -> str:
    if support == Support.SHARED:
        if max_group:
            return ngettext(
                "an aide shared by up to %(n)d student",
                "an aide shared by up to %(n)d students",
                max_group,
            ) % {"n": max_group}
        return _("an aide shared by a small group")
    return _("a 1:1 aide")


@dataclass(frozen=True)
class Block:
    weekday: int
    start: int
    end: int
    setting: str


def blocks_in_words(*, support: str, max_group: int | None, blocks: Iterable[Block]) -> list[str]:
    """One sentence per time of day: the settings at that time and the days it happens.
    A mandate with 8:00-10:00 in class, at lunch and at recess each weekday reads "a 1:1 aide
    in class, at lunch and at recess, Monday to Friday, 8:00 to 10:00"."""
    places: dict[tuple[int, int, int], list[str]] = {}
    for b in blocks:
        places.setdefault((b.start, b.end, b.weekday), [])
        if b.setting not in places[(b.start, b.end, b.weekday)]:
            places[(b.start, b.end, b.weekday)].append(b.setting)
    days: dict[tuple[int, int, tuple[str, ...]], list[int]] = {}
    order = list(Setting.values)
    for (start, end, weekday), settings in places.items():
        key = (start, end, tuple(sorted(settings, key=order.index)))
        days.setdefault(key, []).append(weekday)
    who = support_in_words(support, max_group)
    sentences = []
    for (start, end, shown), weekdays in sorted(days.items(), key=lambda i: (min(i[1]), i[0])):
        sentences.append(
            _("%(who)s %(where)s, %(days)s, %(start)s to %(end)s")
            % {
                "who": who,
                "where": and_list([label(SETTING_PLACES, s) for s in shown]),
                "days": days_in_words(weekdays),
                "start": clock(start),
                "end": clock(end),
            }
        )
    return sentences
