"""A parent invited by email, in Chromium: the link from the outbox, a password chosen on it,
and the child's page at once; the link does not work a second time."""

from __future__ import annotations

import re

import pytest

from staffing.models import Notification
from students.invitations.services import guardian_invitation_send
from students.models import Guardian

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "browser-invite-pass-9"


def test_an_invited_parent_sets_a_password_and_lands_on_their_childs_page(
    page, live_server, director_a, student_a, student_b
):
    guardian_invitation_send(
        district=student_a.district,
        invited_by=director_a,
        email="ava.mom@example.org",
        student=student_a,
        relationship="mother",
        site_url=live_server.url,
    )
    email = Notification.objects.get()
    link = re.search(r"https?://\S+/invitations/family/\S+/", email.body)
    assert link is not None

    page.goto(link.group(0))
    assert page.locator("input[name=username]").input_value() == "ava.mom@example.org"
    page.fill("input[name=username]", "ava_mom")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    with page.expect_navigation():
        page.click("button.accept")

    assert page.url == f"{live_server.url}/family/{student_a.pk}/"
    assert page.locator("h1").inner_text() == "Ava Alpha"
    assert "ava_mom" in page.locator("header").inner_text()
    assert list(Guardian.objects.values_list("user__username", "student_id")) == [
        ("ava_mom", student_a.pk)
    ]
    other = page.goto(f"/family/{student_b.pk}/")
    assert other is not None
    assert other.status == 404
    again = page.goto(link.group(0))
    assert again is not None
    assert again.status == 404
