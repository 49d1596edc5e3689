from tests.api_personas import _fresh_throttles  # noqa: F401
