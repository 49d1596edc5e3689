"""The page behind an invitation link: choose a password (and, for a new account, a username),
then land signed in on one's work."""

from __future__ import annotations

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from staffing.invitations.forms import AcceptForm
from staffing.invitations.services import (
    InvitationUnusable,
    invitation_accept,
    invitation_kind,
    invitation_open,
)

UNUSABLE_STATUS = 404


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "invitations/unusable.html", status=UNUSABLE_STATUS)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    found = invitation_kind(kind)
    if found is None:
        return _unusable(request)
    try:
        invitation = invitation_open(kind=found, token=token)
    except InvitationUnusable:
        return _unusable(request)
    form = AcceptForm(
        request.POST or None, user=invitation.user, choose_username=invitation.made_account
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                kind=found,
                token=token,
                password=form.cleaned_data["new_password1"],
                username=form.cleaned_data.get("username"),
            )
        except InvitationUnusable:
            return _unusable(request)
        user = get_user_model()._default_manager.get(pk=user.pk)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(found.landing(invitation))
    context = {
        "form": form,
        "invitation": invitation,
        "what": found.describe(invitation),
        "username": None if invitation.made_account else invitation.user.get_username(),
    }
    return render(request, "invitations/accept.html", context)
