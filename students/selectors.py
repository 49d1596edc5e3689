"""Reads of the students app. Parents reach students only through their own guardian rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from students.models import Student


def students_of_guardian(*, user: Any) -> QuerySet[Student]:
    """The user's own children, across districts (a parent may have children in two)."""
    return (
        Student.objects.filter(guardians__user_id=user.pk)
        .select_related("school", "district")
        .distinct()
        .order_by("first_name", "last_name")
    )
