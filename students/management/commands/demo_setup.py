"""`python manage.py demo_setup --district CODE`: demo logins for an imported district.

Idempotent: a re-run resets the same four accounts to the same rights and password. It refuses,
rather than moves, an account that already belongs elsewhere (another district, or a platform
operator), so it can never take over a real person's login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from staffing.models import District, Membership, School

# The demo logins also link a parent to a student, so this command reads the students app; it
# lives here because the brief names it so (`students.services` would keep dependencies one-way).
from students.models import Guardian, Student

PASSWORD = "paracover-demo"  # noqa: S105 - printed for the demo on purpose
CASELOAD_SIZE = 8
URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    sees: str


class Command(BaseCommand):
    help = "Create (or reset) demo logins for a district: a director, two case managers, a parent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="The imported district's code.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(f"--district {options['district']}: no district with that code")
        logins = self._setup(district)
        self._print(district, logins)

    @transaction.atomic
    def _setup(self, district: District) -> list[Login]:
        schools = list(School.objects.filter(district=district).order_by("code")[:2])
        with_mandates = Student.objects.filter(district=district, mandates__blocks__isnull=False)
        child = with_mandates.order_by("code").first()
        if not schools or child is None:
            raise CommandError(
                f"district {district.code} has no schools or no students with mandates: "
                "import a bundle first"
            )
        first, second = schools[0], schools[-1]
        self._refuse_foreign_accounts(district)

        director = self._member(district, "director", Membership.Role.DIRECTOR)
        director.schools.clear()
        director.caseload.clear()
        cm1 = self._member(district, "casemanager1", Membership.Role.CASE_MANAGER)
        cm1.schools.set([first])
        cm1.caseload.clear()
        caseload = list(
            Student.objects.filter(district=district, school=second, mandates__isnull=False)
            .distinct()
            .order_by("code")[:CASELOAD_SIZE]
        )
        cm2 = self._member(district, "casemanager2", Membership.Role.CASE_MANAGER)
        cm2.schools.clear()
        cm2.caseload.set(caseload)

        parent = self._user("parent", staff=False)
        Guardian.objects.filter(district=district, user=parent).exclude(student=child).delete()
        Guardian.objects.get_or_create(
            district=district, user=parent, student=child, defaults={"relationship": "parent"}
        )
        first_count = Student.objects.filter(district=district, school=first).count()
        return [
            Login("director", "director", f"all of {district.name}: home figures, admin"),
            Login(
                "casemanager1",
                "case manager",
                f"the {first_count} students of {first.name} in the admin",
            ),
            Login(
                "casemanager2",
                "case manager",
                f"a caseload of {len(caseload)} students at {second.name}",
            ),
            Login("parent", "parent", f"only {child.first_name} {child.last_name} (read-only)"),
        ]

    def _refuse_foreign_accounts(self, district: District) -> None:
        names = ["director", "casemanager1", "casemanager2", "parent"]
        users = get_user_model().objects.filter(username__in=names)
        if users.filter(is_superuser=True).exists():
            raise CommandError("a demo username belongs to a platform operator: refusing")
        foreign = sorted(
            set(
                Membership.objects.filter(user__in=users)
                .exclude(district=district)
                .values_list("user__username", flat=True)
            )
            | set(
                Guardian.objects.filter(user__in=users)
                .exclude(district=district)
                .values_list("user__username", flat=True)
            )
        )
        if foreign:
            raise CommandError(
                f"{', '.join(foreign)} already belong(s) to another district: refusing to move "
                "them (remove them there first)"
            )

    def _user(self, username: str, *, staff: bool) -> Any:
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff, user.is_active, user.is_superuser = staff, True, False
        user.set_password(PASSWORD)
        user.save()
        return user

    def _member(self, district: District, username: str, role: str) -> Membership:
        user = self._user(username, staff=True)
        membership, _ = Membership.objects.update_or_create(
            district=district, user=user, defaults={"role": role}
        )
        return membership

    def _print(self, district: District, logins: list[Login]) -> None:
        sees = max(len(login.sees) for login in logins) + 2
        self.stdout.write("")
        self.stdout.write(f"Demo logins for {district.name} ({district.code})")
        self.stdout.write(f"  {'username':<14}{'role':<15}{'what they see':<{sees}}password")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<14}{login.role:<15}{login.sees:<{sees}}{PASSWORD}"
            )
        self.stdout.write(f"Open {URL} and sign in.")
