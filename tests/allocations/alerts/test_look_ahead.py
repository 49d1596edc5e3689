"""The alerts that look ahead: expiring qualifications, ending contracts, vague mandates."""

from __future__ import annotations

import datetime as dt

from allocations.alerts import alerts_look_ahead
from allocations.models import Alert
from staffing.models import AideQualification, District
from tests import factories as f


def test_look_ahead_alerts_expiring_qualification_ending_contract_and_vague_mandate(
    week, student_a
):
    district = week
    contract = f.ContractFactory(district=district, code="AGENCY", ends_on=dt.date(2026, 12, 4))
    f.MandateFactory(student=student_a, code="M-VAGUE", support="one_to_one")
    AideQualification.objects.filter(aide__code="AIDE-1").update(expires_on=dt.date(2026, 12, 15))
    counts = alerts_look_ahead(district=district, today=dt.date(2026, 11, 23))
    rows = sorted(Alert.objects.values_list("kind", "severity", "title"))
    assert rows == [
        (
            "qualification_expiring",
            "critical",
            "Aide AIDE-1 (AIDE-1): MEDICAL expires on 15 Dec 2026",
        ),
        ("vague_mandate", "high", "Ava Alpha (STU-A): mandate M-VAGUE has no times or settings"),
    ]
    assert counts.opened == 2
    # The contract has no planned staff: no alert for it. Renewing the qualification closes
    # its alert; running again doubles nothing.
    assert not Alert.objects.filter(contract=contract).exists()
    AideQualification.objects.filter(aide__code="AIDE-1").update(expires_on=dt.date(2027, 6, 30))
    again = alerts_look_ahead(district=district, today=dt.date(2026, 11, 23))
    assert (again.opened, again.resolved) == (0, 1)
    assert sorted(Alert.objects.values_list("kind", "status")) == [
        ("qualification_expiring", "resolved"),
        ("vague_mandate", "open"),
    ]


def test_an_expiring_qualification_is_as_severe_as_the_districts_safety_tier_says(week):
    District.objects.filter(pk=week.pk).update(safety_qualifications=["PERSONAL_CARE"])
    week.refresh_from_db()
    AideQualification.objects.filter(aide__code="AIDE-1").update(expires_on=dt.date(2026, 12, 15))

    alerts_look_ahead(district=week, today=dt.date(2026, 11, 23))

    # MEDICAL is no longer safety-tier here: Ava's 1:1 mandate makes it high, not critical.
    assert list(Alert.objects.values_list("kind", "severity", "cause")) == [
        ("qualification_expiring", "high", "qualification_expiring")
    ]
