"""Staff access by invitation (issue 9, item 2): a director invites an email address, the
person sets a password on a single-use, expiring link, and the membership is made then. A
district never links another district's account, and its answer never tells one address from
another."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from staffing.invitations.models import StaffInvitation
from staffing.invitations.tokens import token_digest
from staffing.models import Membership, Notification
from staffing.tenancy import scope_for_user
from students.models import Guardian
from tests import factories as f

PASSWORD = "a-long-enough-pass-42"
LINK = re.compile(r"http://testserver(/invitations/[a-z]+/[\w-]+/)")


def link_in(body: str) -> str:
    found = LINK.search(body)
    assert found is not None, body
    return found.group(1)


def invite(client, captured, data):
    """POST the membership admin's invitation form, sending the queued email on commit."""
    with captured(execute=True):
        return client.post(reverse("admin:staffing_membership_add"), data)


def accept(client, path, username=None, password=PASSWORD):
    data = {"new_password1": password, "new_password2": password}
    if username is not None:
        data["username"] = username
    return client.post(path, data)


@pytest.fixture
def parent_b(student_b):
    user = f.UserFactory(username="parent_b")
    Guardian.objects.create(district=student_b.district, user=user, student=student_b)
    return user


def test_a_director_invites_a_case_manager_who_sets_a_password_and_signs_in(
    client, director_a, district_a, school_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)

    sent = invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "New.CM@Example.org", "role": "case_manager", "schools": [school_a.pk]},
    )
    client.logout()
    path = link_in(mail.outbox[0].body)
    page = client.get(path)
    done = accept(client, path, username="new_cm")
    home = client.get(reverse("home"))

    assert (sent.status_code, sent["Location"]) == (
        302,
        reverse("admin:staffing_membership_changelist"),
    )
    assert (mail.outbox[0].to, mail.outbox[0].subject) == (
        ["New.CM@example.org"],
        "Your invitation to ParaCover (Alpha Unified)",
    )
    assert "be case manager at Lincoln Elementary in Alpha Unified" in page.content.decode()
    assert (done.status_code, done["Location"]) == (302, reverse("home"))
    membership = Membership.objects.get(user__username="new_cm")
    assert (
        membership.district_id,
        membership.role,
        list(membership.schools.all()),
        membership.user.email,
        membership.user.is_staff,
        membership.user.check_password(PASSWORD),
    ) == (district_a.pk, "case_manager", [school_a], "New.CM@example.org", True, True)
    assert home.context["user"] == membership.user


def test_the_answer_is_the_same_for_other_districts_accounts_unknown_and_unused_addresses(
    client, director_a, director_b, parent_b, django_capture_on_commit_callbacks
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
            client, django_capture_on_commit_callbacks, {"email": email, "role": "director"}
        )
        shown = client.get(response["Location"])
        said = [str(m) for m in shown.context["messages"]]
        answers.append((response.status_code, response["Location"], response.content, said))
    emails = [
        (m.to, m.subject, LINK.sub("LINK", m.body.replace(m.to[0], "ADDRESS"))) for m in mail.outbox
    ]

    assert [
        (status, where, body, [s.replace(email, "ADDRESS") for s in said])
        for (status, where, body, said), email in zip(answers, addresses, strict=True)
    ] == [
        (302, reverse("admin:staffing_membership_changelist"), b"", ["Invitation sent to ADDRESS."])
    ] * 4
    assert [to for to, _, _ in emails] == [[a] for a in addresses]
    assert len({(subject, body) for _, subject, body in emails}) == 1
    # Nothing is linked before the link is used; B's people are as they were.
    assert list(Membership.objects.order_by("user__username").values_list("user__username")) == [
        ("director_a",),
        ("director_b",),
    ]
    assert list(Guardian.objects.values_list("user__username", "district__code")) == [
        ("parent_b", "BETA")
    ]


def test_a_director_cannot_attach_another_districts_parent_as_a_director(
    client, director_a, district_a, parent_b, django_capture_on_commit_callbacks
):
    client.force_login(director_a)

    by_username = client.post(
        reverse("admin:staffing_membership_add"), {"user": "parent_b", "role": "director"}
    )
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "parent_b@example.org", "role": "director"},
    )
    client.logout()
    accept(client, link_in(mail.outbox[0].body), username="alpha_director_two")

    assert by_username.context["adminform"].form.errors == {"email": ["This field is required."]}
    assert list(
        Membership.objects.filter(district=district_a)
        .order_by("user__username")
        .values_list("user__username", "role", "user__email")
    ) == [
        ("alpha_director_two", "director", "parent_b@example.org"),
        ("director_a", "director", "director_a@example.org"),
    ]
    assert not Membership.objects.filter(user=parent_b).exists()
    assert list(Guardian.objects.values_list("user__username", "district__code")) == [
        ("parent_b", "BETA")
    ]


def test_a_director_cannot_lock_another_districts_director_out(
    client, director_a, director_b, district_b, student_b, django_capture_on_commit_callbacks
):
    client.force_login(director_a)

    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "director_b@example.org", "role": "case_manager"},
    )
    client.logout()
    accept(client, link_in(mail.outbox[0].body), username="b_in_alpha")
    client.force_login(director_b)
    their_students = client.get(reverse("admin:students_student_changelist"))

    assert list(
        Membership.objects.filter(user=director_b).values_list("district__code", "role")
    ) == [("BETA", "director")]
    assert scope_for_user(director_b).district == district_b
    assert [s.code for s in their_students.context["cl"].result_list] == ["STU-B"]
    assert get_user_model().objects.get(username="b_in_alpha").memberships.get().district.code == (
        "ALPHA"
    )


def test_a_second_membership_of_a_user_is_refused_by_the_database(director_a, district_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            district=district_b, user=director_a, role=Membership.Role.CASE_MANAGER
        )

    assert list(Membership.objects.values_list("user__username", "district__code")) == [
        ("director_a", "ALPHA")
    ]


def test_the_link_works_once(client, director_a, django_capture_on_commit_callbacks):
    client.force_login(director_a)
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "once@example.org", "role": "director"},
    )
    client.logout()
    path = link_in(mail.outbox[0].body)

    first = accept(client, path, username="once")
    client.logout()
    again_page = client.get(path)
    again = accept(client, path, username="twice", password="another-pass-word-77")

    assert first.status_code == 302
    assert (again_page.status_code, again.status_code) == (404, 404)
    assert "This link cannot be used" in again.content.decode()
    user = get_user_model().objects.get(email="once@example.org")
    assert (user.username, user.check_password(PASSWORD)) == ("once", True)
    assert not get_user_model().objects.filter(username="twice").exists()


@pytest.mark.parametrize(
    ("days_later", "status"),
    [(dt.timedelta(days=7, minutes=-1), 200), (dt.timedelta(days=7, minutes=1), 404)],
)
def test_the_link_expires_after_the_configured_days(
    client, director_a, monkeypatch, django_capture_on_commit_callbacks, days_later, status
):
    client.force_login(director_a)
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "late@example.org", "role": "director"},
    )
    client.logout()
    invitation = StaffInvitation.objects.get()
    monkeypatch.setattr(timezone, "now", lambda: invitation.created_at + days_later)

    page = client.get(link_in(mail.outbox[0].body))

    assert page.status_code == status
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)


def test_the_expiry_is_a_setting(client, director_a, settings, django_capture_on_commit_callbacks):
    settings.INVITATION_EXPIRY_DAYS = 2
    client.force_login(director_a)

    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "soon@example.org", "role": "director"},
    )

    invitation = StaffInvitation.objects.get()
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=2)


def test_an_expired_link_cannot_be_used(
    client, director_a, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "late@example.org", "role": "director"},
    )
    client.logout()
    invitation = StaffInvitation.objects.get()
    monkeypatch.setattr(timezone, "now", lambda: invitation.expires_at + dt.timedelta(seconds=1))

    refused = accept(client, link_in(mail.outbox[0].body), username="late")

    assert refused.status_code == 404
    assert list(Membership.objects.values_list("user__username")) == [("director_a",)]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_token_is_stored_hashed(client, director_a, django_capture_on_commit_callbacks):
    client.force_login(director_a)
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "hash@example.org", "role": "director"},
    )

    token = link_in(mail.outbox[0].body).rstrip("/").rsplit("/", 1)[1]
    invitation = StaffInvitation.objects.get()
    assert len(token) == 43
    assert invitation.token_hash == token_digest(token)
    assert token not in invitation.token_hash


def test_the_password_must_pass_djangos_validators(
    client, director_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "weak@example.org", "role": "director"},
    )
    client.logout()
    path = link_in(mail.outbox[0].body)

    weak = accept(client, path, username="weak", password="12345678")

    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"] == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert list(Membership.objects.values_list("user__username")) == [("director_a",)]
    assert client.get(path).status_code == 200


def test_an_account_of_no_district_is_linked_and_keeps_its_username(
    client, director_a, district_a, django_capture_on_commit_callbacks
):
    loose = f.UserFactory(username="loose", email="loose@example.org")
    client.force_login(director_a)
    invite(
        client,
        django_capture_on_commit_callbacks,
        {"email": "loose@example.org", "role": "director"},
    )
    client.logout()
    path = link_in(mail.outbox[0].body)

    page = client.get(path)
    done = accept(client, path)

    assert "You will sign in as <strong>loose</strong>" in page.content.decode()
    assert "username" not in page.context["form"].fields
    assert done.status_code == 302
    loose.refresh_from_db()
    assert (loose.check_password(PASSWORD), loose.memberships.get().district) == (True, district_a)
    assert get_user_model().objects.filter(email="loose@example.org").count() == 1


def test_a_case_manager_cannot_invite_staff(
    client, case_manager_a, django_capture_on_commit_callbacks
):
    client.force_login(case_manager_a)

    page = client.get(reverse("admin:staffing_membership_add"))
    post = invite(
        client, django_capture_on_commit_callbacks, {"email": "x@example.org", "role": "director"}
    )

    assert (page.status_code, post.status_code) == (403, 403)
    assert not StaffInvitation.objects.exists()
    assert Notification.objects.count() == 0


def test_an_operator_invites_a_districts_first_director(
    client, district_a, django_capture_on_commit_callbacks
):
    operator = f.UserFactory(username="ops", is_staff=True, is_superuser=True)
    client.force_login(operator)

    invite(
        client,
        django_capture_on_commit_callbacks,
        {"district": district_a.pk, "email": "first@example.org", "role": "director"},
    )
    client.logout()
    accept(client, link_in(mail.outbox[0].body), username="first")

    assert list(Membership.objects.values_list("user__username", "district__code", "role")) == [
        ("first", "ALPHA", "director")
    ]


def test_a_directors_edit_of_a_membership_keeps_its_account(
    client, director_a, case_manager_a, director_b, school_a
):
    membership = Membership.objects.get(user=case_manager_a)
    client.force_login(director_a)

    saved = client.post(
        reverse("admin:staffing_membership_change", args=[membership.pk]),
        {"user": "director_b", "role": "director", "schools": [school_a.pk]},
    )

    assert saved.status_code == 302
    membership.refresh_from_db()
    assert (membership.user, membership.role, list(membership.schools.all())) == (
        case_manager_a,
        "director",
        [school_a],
    )
