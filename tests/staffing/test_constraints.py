"""The database itself refuses rows that break the grid, the order of times, or max_group."""

import pytest
from django.db import IntegrityError, transaction

from staffing.models import AvailabilityWindow
from students.models import MandateBlock, ParaMandate
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


@pytest.mark.parametrize(
    ("support", "max_group"), [("shared", None), ("shared", 9), ("shared", 1), ("one_to_one", 2)]
)
def test_mandate_refuses_max_group_that_does_not_fit_support(student_a, support, max_group):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MandateFactory(student=student_a, support=support, max_group=max_group)
    assert ParaMandate.objects.count() == 0


def test_block_refuses_end_before_start(student_a):
    mandate = f.MandateFactory(student=student_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.BlockFactory(mandate=mandate, start=600, end=540)
    assert MandateBlock.objects.count() == 0


def test_codes_are_unique_per_district_not_globally(school_a, school_b):
    assert (school_a.code, school_b.code) == ("LINCOLN", "LINCOLN")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.SchoolFactory(district=school_a.district, code="LINCOLN")
