"""The public API is exactly what `__all__` names, and every name in it resolves."""

import skinevidence


def test_every_public_name_resolves():
    missing = [name for name in skinevidence.__all__ if getattr(skinevidence, name, None) is None]
    assert missing == []


def test_an_unknown_name_is_an_attribute_error():
    import pytest
    with pytest.raises(AttributeError):
        skinevidence.no_such_thing  # noqa: B018


def test_the_type_checking_imports_name_exactly_the_public_api():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(skinevidence))
    guarded = next(node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") ==
                   "TYPE_CHECKING")
    seen = {(f"{node.module.removeprefix('skinevidence.')}", alias.name) for node in guarded.body
            for alias in node.names}
    assert seen == {(home, name) for name, home in skinevidence._HOMES.items()}
    assert sorted(skinevidence.__all__) == sorted(skinevidence._HOMES)
