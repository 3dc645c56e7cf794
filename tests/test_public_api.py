"""The public API is exactly what `__all__` names."""

import skinevidence


def test_all_names_exist():
    missing = [name for name in skinevidence.__all__ if not hasattr(skinevidence, name)]
    assert missing == []


def test_every_public_name_is_in_all():
    public = {name for name in vars(skinevidence) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(skinevidence, name)).__name__ == "module"}
    assert public - modules == set(skinevidence.__all__)
