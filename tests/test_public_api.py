"""The public API is exactly what `__all__` names, and every name in it resolves."""

import skinevidence


def test_every_public_name_resolves():
    missing = [name for name in skinevidence.__all__ if getattr(skinevidence, name, None) is None]
    assert missing == []


def test_an_unknown_name_is_an_attribute_error():
    import pytest
    with pytest.raises(AttributeError):
        skinevidence.no_such_thing  # noqa: B018
