"""The scope rule's wiring: a case manager's scope needs the caseloads the students app
supplies, and is refused rather than widened without them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from staffing.tenancy import scope, scope_for_user

pytestmark = pytest.mark.django_db


def test_a_case_managers_scope_carries_their_caseload(case_manager_a, student_a):
    student_a.case_managers.add(case_manager_a.memberships.get())

    resolved = scope_for_user(case_manager_a)

    assert (resolved.school_ids, resolved.caseload_ids) == (frozenset(), {student_a.pk})
    assert resolved.limits_students


def test_without_a_caseload_source_a_case_managers_scope_is_refused(case_manager_a, monkeypatch):
    monkeypatch.setattr(scope, "_caseload_source", [])

    with pytest.raises(ImproperlyConfigured, match="No caseload source registered"):
        scope_for_user(case_manager_a)


def test_a_directors_scope_needs_no_caseload_source(director_a, district_a, monkeypatch):
    monkeypatch.setattr(scope, "_caseload_source", [])

    resolved = scope_for_user(director_a)

    assert (resolved.district, resolved.role, resolved.limits_students) == (
        district_a,
        "director",
        False,
    )
