"""The invitation page's form: Django's own password form (its validators, both entries
matching), with a username for an account made for the invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm

from staffing.models import District, Membership, School


class AcceptForm(SetPasswordForm):  # type: ignore[type-arg]
    username = forms.CharField(
        max_length=150,
        help_text="What you will sign in with: letters, digits and @/./+/-/_ only.",
    )
    field_order = ["username", "new_password1", "new_password2"]

    def __init__(self, *args: Any, user: Any, choose_username: bool, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if choose_username:
            self.fields["username"].initial = user.email
        else:
            del self.fields["username"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        user_model = get_user_model()
        user_model.username_validator(username)
        taken = user_model._default_manager.filter(username__iexact=username).exclude(
            pk=self.user.pk
        )
        if taken.exists():
            raise forms.ValidationError("This username is taken; choose another.")
        # The password validators (in clean) compare the password with the chosen username.
        self.user.username = username
        return username


class StaffInviteForm(forms.Form):
    """The membership admin's add form: who to invite, with which role and schools. An
    operator also chooses the district (they provision a district's first director)."""

    district = forms.ModelChoiceField(queryset=District.objects.all())
    email = forms.EmailField(help_text="The invitation goes to this address.")
    role = forms.ChoiceField(choices=Membership.Role.choices)
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A case manager with schools sees only their students; none: the district.",
    )

    def __init__(self, *args: Any, district: District | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant_district = district
        schools: Any = self.fields["schools"]
        if district is None:
            schools.queryset = School.objects.select_related("district")
        else:
            del self.fields["district"]
            schools.queryset = School.objects.filter(district=district)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        district = self.tenant_district or cleaned.get("district")
        schools = cleaned.get("schools") or []
        if district is not None and any(s.district_id != district.pk for s in schools):
            self.add_error("schools", "Choose one of your district's own records.")
        cleaned["district"] = district
        return cleaned
