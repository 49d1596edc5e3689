"""The database itself refuses staffing rows that break the grid or the order of times, and
codes repeated in a district."""

import pytest
from django.db import IntegrityError, transaction

from staffing.models import AvailabilityWindow
from tests import factories as f


@pytest.mark.parametrize(
    ("start", "end"),
    [(8 * 60 + 5, 9 * 60), (8 * 60, 9 * 60 + 10), (9 * 60, 9 * 60), (10 * 60, 9 * 60)],
)
def test_availability_refuses_off_grid_or_reversed_times(district_a, start, end):
    aide = f.AideFactory(district=district_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilityWindow.objects.create(
            district=district_a, aide=aide, weekday=0, start=start, end=end
        )
    assert AvailabilityWindow.objects.count() == 0


def test_codes_are_unique_per_district_not_globally(school_a, school_b):
    assert (school_a.code, school_b.code) == ("LINCOLN", "LINCOLN")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.SchoolFactory(district=school_a.district, code="LINCOLN")
