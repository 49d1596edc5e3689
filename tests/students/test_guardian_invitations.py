"""Parents by invitation (issue 9, item 2; issue 12): a director, or a case manager for a
student in their scope, invites a parent's email address; the parent sets a password on the link
and sees their child's page, and only it. Another district's account is never linked."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from staffing.models import Membership, Notification
from students.invitations.models import GuardianInvitation
from students.models import Guardian
from tests import factories as f

PASSWORD = "a-long-enough-pass-42"
LINK = re.compile(r"http://testserver(/invitations/family/[\w-]+/)")


def link_in(body: str) -> str:
    found = LINK.search(body)
    assert found is not None, body
    return found.group(1)


def invite(client, captured, data):
    with captured(execute=True):
        return client.post(reverse("admin:students_guardian_add"), data)


def accept(client, path, username=None):
    data = {"new_password1": PASSWORD, "new_password2": PASSWORD}
    if username is not None:
        data["username"] = username
    return client.post(path, data)


@pytest.fixture
def parent_b(student_b):
    user = f.UserFactory(username="parent_b")
    Guardian.objects.create(district=student_b.district, user=user, student=student_b)
    return user


def test_an_invited_parent_sets_a_password_and_sees_their_childs_page_and_only_it(
    client,
    director_a,
    district_a,
    school_a,
    student_a,
    student_b,
    django_capture_on_commit_callbacks,
):
    sibling_class = f.StudentFactory(school=school_a, code="STU-A2", first_name="Eli")
    client.force_login(director_a)

    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "mom@example.org", "student": student_a.pk, "relationship": "mother"},
    )
    client.logout()
    path = link_in(mail.outbox[0].body)
    page = client.get(path)
    done = accept(client, path, username="ava_mom")
    child = client.get(done["Location"])
    others = [
        client.get(reverse("family:child", args=[s.pk])).status_code
        for s in (sibling_class, student_b)
    ]

    assert "follow the para support of Ava Alpha (Alpha Unified)" in page.content.decode()
    assert done["Location"] == reverse("family:child", args=[student_a.pk])
    assert (child.status_code, child.context["student"]) == (200, student_a)
    assert others == [404, 404]
    assert list(
        Guardian.objects.values_list("user__username", "district_id", "student_id", "relationship")
    ) == [("ava_mom", district_a.pk, student_a.pk, "mother")]
    user = get_user_model().objects.get(username="ava_mom")
    assert (user.is_staff, user.check_password(PASSWORD)) == (False, True)
    assert not Membership.objects.filter(user=user).exists()


def test_a_director_cannot_link_another_districts_director_as_a_guardian(
    client, director_a, director_b, student_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)

    by_username = client.post(
        reverse("admin:students_guardian_add"),
        {"user": "director_b", "student": student_a.pk, "relationship": "father"},
    )
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "director_b@example.org", "student": student_a.pk, "relationship": "father"},
    )
    client.logout()
    accept(client, link_in(mail.outbox[0].body), username="ava_dad")

    assert by_username.context["adminform"].form.errors == {"email": ["This field is required."]}
    assert not Guardian.objects.filter(user=director_b).exists()
    assert list(Guardian.objects.values_list("user__username", "user__email")) == [
        ("ava_dad", "director_b@example.org")
    ]
    assert list(Membership.objects.filter(user=director_b).values_list("district__code")) == [
        ("BETA",)
    ]


def test_the_answer_is_the_same_for_other_districts_accounts_unknown_and_unused_addresses(
    client, director_a, director_b, parent_b, student_a, django_capture_on_commit_callbacks
):
    f.UserFactory(username="unused", email="unused@example.org")
    addresses = [
        "director_b@example.org",
        "parent_b@example.org",
        "nobody@example.org",
        "unused@example.org",
    ]
    client.force_login(director_a)

    answers = []
    for email in addresses:
        response = invite(
            client,
            django_capture_on_commit_callbacks,
            {"email": email, "student": student_a.pk, "relationship": "parent"},
        )
        shown = client.get(response["Location"])
        said = [str(m).replace(email, "ADDRESS") for m in shown.context["messages"]]
        answers.append((response.status_code, response["Location"], response.content, said))
    emails = [
        (m.to, m.subject, LINK.sub("LINK", m.body.replace(m.to[0], "ADDRESS"))) for m in mail.outbox
    ]

    assert (
        answers
        == [
            (
                302,
                reverse("admin:students_guardian_changelist"),
                b"",
                ["Invitation sent to ADDRESS."],
            )
        ]
        * 4
    )
    assert [to for to, _, _ in emails] == [[a] for a in addresses]
    assert len({(subject, body) for _, subject, body in emails}) == 1
    assert list(Guardian.objects.values_list("user__username", "district__code")) == [
        ("parent_b", "BETA")
    ]


def test_a_parent_of_this_district_invited_for_a_second_child_keeps_one_account(
    client, director_a, parent_of_student_a, school_a, django_capture_on_commit_callbacks
):
    second = f.StudentFactory(school=school_a, code="STU-A2", first_name="Eli")
    client.force_login(director_a)

    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "parent_a@example.org", "student": second.pk, "relationship": "mother"},
    )
    client.logout()
    path = link_in(mail.outbox[0].body)
    page = client.get(path)
    accept(client, path)

    assert "You will sign in as <strong>parent_a</strong>" in page.content.decode()
    assert sorted(
        Guardian.objects.filter(user=parent_of_student_a).values_list("student__code", flat=True)
    ) == ["STU-A", "STU-A2"]


def test_a_case_manager_invites_parents_of_their_own_students_only(
    client, case_manager_a, school_a, student_a, django_capture_on_commit_callbacks
):
    Membership.objects.get(user=case_manager_a).schools.add(school_a)
    elsewhere = f.StudentFactory(
        school=f.SchoolFactory(district=school_a.district, code="ADAMS"), code="STU-X"
    )
    client.force_login(case_manager_a)

    refused = invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "x@example.org", "student": elsewhere.pk, "relationship": "parent"},
    )
    sent = invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "y@example.org", "student": student_a.pk, "relationship": "parent"},
    )

    assert refused.context["adminform"].form.errors == {
        "student": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert sent.status_code == 302
    assert list(GuardianInvitation.objects.values_list("email", "student__code")) == [
        ("y@example.org", "STU-A")
    ]
    assert [m.to for m in mail.outbox] == [["y@example.org"]]


def test_a_student_of_another_district_cannot_be_chosen(
    client, director_a, student_b, django_capture_on_commit_callbacks
):
    client.force_login(director_a)

    refused = invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "x@example.org", "student": student_b.pk, "relationship": "parent"},
    )

    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["student"]
    assert not GuardianInvitation.objects.exists()
    assert Notification.objects.count() == 0


def test_the_student_page_offers_no_guardian_row_to_add(client, director_a, student_a):
    client.force_login(director_a)

    page = client.get(reverse("admin:students_student_change", args=[student_a.pk]))

    guardians = [
        inline for inline in page.context["inline_admin_formsets"] if inline.opts.model is Guardian
    ]
    assert [inline.has_add_permission for inline in guardians] == [False]
