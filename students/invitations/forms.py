"""The guardian admin's add form: whom to invite, for which student (in the inviter's scope)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import QuerySet

from students.models import Guardian


class GuardianInviteForm(forms.Form):
    email = forms.EmailField(help_text="The invitation goes to this address.")
    relationship = forms.CharField(max_length=50, initial="parent")
    field_order = ["email", "student", "relationship"]

    def __init__(self, *args: Any, students: QuerySet[Any], admin_site: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The admin's autocomplete: it asks the student admin, which applies the same scope.
        self.fields["student"] = forms.ModelChoiceField(
            queryset=students,
            widget=AutocompleteSelect(Guardian._meta.get_field("student"), admin_site),
        )
        self.order_fields(self.field_order)
