"""factory_boy factories: every tenant-owned row takes its district from its parent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from staffing import models as staffing
from students import models as students


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pass-word-123")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = staffing.District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.LazyAttribute(lambda o: f"{o.code} Unified")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = staffing.School

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"SCH{n}")
    name = factory.LazyAttribute(lambda o: f"School {o.code}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = staffing.Membership

    district = factory.SubFactory(DistrictFactory)
    user = factory.SubFactory(UserFactory, is_staff=True)
    role = staffing.Membership.Role.CASE_MANAGER


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = staffing.Contract

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    agency = "Sunrise Staffing"
    starts_on = dt.date(2026, 8, 15)
    ends_on = dt.date(2027, 6, 15)
    weekly_minute_cap = 6000
    hourly_rate = Decimal("45.00")


class AideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = staffing.Aide

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"A{n:05d}")
    name = factory.Sequence(lambda n: f"Aide {n}")
    max_weekly_minutes = 2100
    hourly_cost = Decimal("25.00")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = students.Student

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    code = factory.Sequence(lambda n: f"S{n:05d}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Student{n}")
    grade = "3"


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = students.ParaMandate

    student = factory.SubFactory(StudentFactory)
    district = factory.LazyAttribute(lambda o: o.student.district)
    code = factory.Sequence(lambda n: f"M{n:06d}")
    support = students.Support.ONE_TO_ONE
    starts_on = dt.date(2026, 8, 20)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = students.MandateBlock

    mandate = factory.SubFactory(MandateFactory)
    district = factory.LazyAttribute(lambda o: o.mandate.district)
    setting = students.Setting.CLASSROOM
    location = "RM-100"
    weekday = 0
    start = 8 * 60
    end = 9 * 60
