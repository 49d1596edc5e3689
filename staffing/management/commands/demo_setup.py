"""`python manage.py demo_setup --district CODE`: demo logins for an imported district."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from staffing.models import District, Membership, School
from students.models import Guardian, Student

PASSWORD = "paracover-demo"  # noqa: S105 - printed for the demo on purpose
CASELOAD_SIZE = 8


class Command(BaseCommand):
    help = "Create (or reset) demo logins for a district: a director, two case managers, a parent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(f"--district {options['district']}: no district with that code")
        schools = list(School.objects.filter(district=district).order_by("code")[:2])
        students = Student.objects.filter(district=district, mandates__isnull=False).distinct()
        if not schools or not students.exists():
            raise CommandError(
                f"district {district.code} has no schools or no students with mandates"
            )
        first, second = schools[0], schools[-1]
        users = get_user_model().objects

        def user(username: str, *, staff: bool) -> Any:
            u, _ = users.get_or_create(username=username)
            u.is_staff, u.is_active = staff, True
            u.set_password(PASSWORD)
            u.save()
            return u

        def member(username: str, role: str) -> Membership:
            u = user(username, staff=True)
            Membership.objects.filter(user=u).exclude(district=district).delete()
            m, _ = Membership.objects.update_or_create(
                district=district, user=u, defaults={"role": role}
            )
            m.schools.clear()
            m.caseload.clear()
            return m

        member("director", Membership.Role.DIRECTOR)
        member("casemanager1", Membership.Role.CASE_MANAGER).schools.add(first)
        caseload = list(students.filter(school=second).order_by("code")[:CASELOAD_SIZE])
        member("casemanager2", Membership.Role.CASE_MANAGER).caseload.add(*caseload)
        parent = user("parent", staff=False)
        Guardian.objects.filter(user=parent).delete()
        child = students.order_by("code")[0]
        Guardian.objects.create(
            district=district, user=parent, student=child, relationship="parent"
        )

        rows = [
            ("director", "director", f"all of {district.name}: dashboard, reports, admin"),
            ("casemanager1", "case manager", f"students of {first.name} in the admin"),
            (
                "casemanager2",
                "case manager",
                f"a caseload of {len(caseload)} students at {second.name}",
            ),
            ("parent", "parent", f"only {child.first_name} {child.last_name} (read-only)"),
        ]
        self.stdout.write("")
        self.stdout.write(f"Demo logins for {district.name} (password for all: {PASSWORD})")
        self.stdout.write(f"  {'username':<14}{'role':<15}what they see")
        for username, role, sees in rows:
            self.stdout.write(f"  {username:<14}{role:<15}{sees}")
        self.stdout.write("Open http://127.0.0.1:8000/ and sign in.")
