"""The database itself refuses mandates whose max_group does not fit their support, and blocks
that end before they start."""

import pytest
from django.db import IntegrityError, transaction

from students.models import MandateBlock, ParaMandate
from tests import factories as f


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
