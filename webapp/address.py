"""Values read from the address (query parameters). Anyone can type an address, so each value
is checked where it is read, against the rule of the module that reads it: a length and the
characters it may hold. A value that breaks its rule raises `AddressError`; an absent or empty
one reads as None."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import streamlit as st


class AddressError(ValueError):
    """A query parameter breaks its rule (too long, or characters it may not hold)."""


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, its longest value, and the characters it may hold (a
    regular-expression character class such as `[A-Za-z0-9_-]`; None: any printable ones)."""

    name: str
    longest: int
    characters: str | None = None

    def read(self) -> str | None:
        """The value in the address; None when absent or empty.

        Raises:
            AddressError: longer than `longest`, or holding characters it may not hold.
        """
        value = st.query_params.get(self.name)
        if not value:
            return None
        if len(value) > self.longest:
            raise AddressError(f"?{self.name}= is {len(value)} characters long; at most {self.longest}.")
        if self.characters is not None and not re.fullmatch(f"{self.characters}*", value):
            raise AddressError(f"?{self.name}= holds characters outside {self.characters}.")
        if any(unicodedata.category(char) in {"Cc", "Cs"} for char in value):
            raise AddressError(f"?{self.name}= holds control characters.")
        return value

    def read_or_none(self) -> str | None:
        """The value in the address; None when absent, empty or breaking the rule."""
        try:
            return self.read()
        except AddressError:
            return None
