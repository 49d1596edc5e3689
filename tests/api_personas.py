"""The API's callers, shared by the API tests: every role, a token per district, a client each."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from staffing.api.models import ApiToken
from staffing.api.tokens import api_token_issue

ROLES = [
    "director_a",
    "case_manager_a",
    "parent_a",
    "director_b",
    "token_a",
    "token_b",
    "anonymous",
]


def issue(district, director, name="SIS sync") -> str:
    return api_token_issue(district=district, token=ApiToken(name=name), created_by=director)


def client_as(user=None, raw_token=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    if raw_token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    return client


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counts live in the cache, which outlives a test.
    cache.clear()
