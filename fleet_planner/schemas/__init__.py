"""Input models (pydantic v2, strict and frozen)."""
