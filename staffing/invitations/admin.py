"""The admin's add page of memberships and guardian links is an invitation form: access is
given by inviting an email address, never by naming an existing account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

SENT = "Invitation sent to {email}."


class InviteAddView:
    """Mixin for a TenantAdmin: `invite_form` builds the form, `invite` calls the service.

    The answer is the same whatever the address: "Invitation sent", whether it is unknown,
    unused or another district's (see `staffing.invitations.accounts`)."""

    invite_title = "Invite"
    admin_site: Any
    opts: Any
    # Each admin that invites defines both: the form for its kind of invitation, and the call
    # of its service.
    invite_form: Callable[[HttpRequest, Any], forms.Form]
    invite: Callable[[HttpRequest, Any], None]

    def add_view(
        self,
        request: HttpRequest,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        form = self.invite_form(request, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            self.invite(request, form)
            email = form.cleaned_data["email"]
            self.message_user(request, SENT.format(email=email), messages.SUCCESS)  # type: ignore[attr-defined]
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        context = {
            **self.admin_site.each_context(request),
            "title": self.invite_title,
            "opts": self.opts,
            "form": form,
            # The names of Django's own add page, so that what inspects an add form reads it.
            "adminform": helpers.AdminForm(
                form,  # type: ignore[arg-type]
                [(None, {"fields": list(form.fields)})],
                prepopulated_fields={},
            ),
            "inline_admin_formsets": [],
            "expiry_days": settings.INVITATION_EXPIRY_DAYS,
            "media": self.media + form.media,  # type: ignore[attr-defined]
        }
        return TemplateResponse(request, "admin/invitations/invite.html", context)


def site_url(request: HttpRequest) -> str:
    """Where the link in the email points: the site the inviter is using."""
    return request.build_absolute_uri("/")
