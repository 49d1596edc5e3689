"""Forms that know their district before they validate and refuse rows of another district."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.db import models

from staffing.models import District, TenantModel


class TenantModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that knows its district before it validates, and refuses foreign rows."""

    tenant_district: ClassVar[District | None] = None
    foreign_row_message = "Choose one of your district's own records."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.tenant_district is not None and self.instance.district_id is None:
            self.instance.district = self.tenant_district

    def _district_id(self) -> int | None:
        chosen = self.cleaned_data.get("district")
        if isinstance(chosen, District):
            return chosen.pk
        return self.instance.district_id  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        district_id = self._district_id()
        for name, value in list(cleaned.items()):
            rows: Iterable[Any] = (
                value if isinstance(value, models.QuerySet | list | tuple) else [value]
            )
            if any(isinstance(row, TenantModel) and row.district_id != district_id for row in rows):
                self.add_error(name, self.foreign_row_message)
        return cleaned

    def _get_validation_exclusions(self) -> set[str]:
        # Django skips every constraint naming a field that is not on the form, and all our
        # unique constraints lead with `district`: validate it, it is set before validation.
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        if self.instance.district_id is not None:
            exclude.discard("district")
        return exclude


class TenantInlineFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """New inline rows take the parent's district (the parent's form has already set it)."""

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        if form.instance.district_id is None and self.instance.district_id is not None:
            form.instance.district_id = self.instance.district_id
        return form

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        # Django validates a row's hidden id against every row of the table, which would tell
        # an existing id of another district from a missing one: accept this parent's rows only.
        if self.model is None:
            return
        field = form.fields.get(self.model._meta.pk.name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = self.get_queryset()


class UsernameField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A user picked by typing their exact username: a select would list other districts'
    people, since users are not tenant rows."""

    widget = forms.TextInput

    def __init__(self, queryset: models.QuerySet[Any], **kwargs: Any) -> None:
        kwargs.pop("widget", None)
        kwargs.setdefault("help_text", "The person's exact username.")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "No account that can be linked has this username."}
        )
        super().__init__(queryset, to_field_name="username", **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return (
                get_user_model().objects.filter(pk=value).values_list("username", flat=True).first()
            )
        return super().prepare_value(value)
