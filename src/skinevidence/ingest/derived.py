"""A derived value and why it was derived: the type every field of a classification has."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Derived(BaseModel, Generic[T]):
    """A value and why: the cue, publication type or heading that gave it, or why it stays empty. ``confidence``
    (0-1) says how sure the classifier is where it weighed evidence; ``guess`` marks a value for a person to
    confirm, never written into a record as fact."""

    model_config = ConfigDict(frozen=True)
    value: T | None = None
    why: str
    guess: bool = False
    confidence: float | None = None


def quote(words) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))
