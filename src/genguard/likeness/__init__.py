"""Likeness registry: people (or a child's guardian) who opt out of sexual or revealing edits."""

from genguard.likeness.registry import LikenessRegistry, Person

__all__ = ["LikenessRegistry", "Person"]
