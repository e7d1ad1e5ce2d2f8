"""Fixtures of the page tests: fresh AppTests of the whole app, router included."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.paths import ROOT


@pytest.fixture
def app_test() -> Callable[[], AppTest]:
    """A factory of fresh AppTests of the whole app (router included)."""

    def make() -> AppTest:
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)

    return make
