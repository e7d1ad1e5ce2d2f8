"""Coaches and Streamlit's login: when the deployment configures it (an `[auth]` section in
`.streamlit/secrets.toml`), coaches sign in instead of receiving a coach secret, and each
session belongs to the coach who created it."""

from __future__ import annotations

from typing import Any

import streamlit as st


def login_configured() -> bool:
    """Whether the deployment configured Streamlit's login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def logged_in() -> bool:
    """Whether the person signed in with Streamlit's login."""
    return bool(st.user.get("is_logged_in"))


def coach_identity() -> str | None:
    """The logged-in coach's stable identity (OIDC subject, else e-mail), when login is used."""
    if not login_configured() or not logged_in():
        return None
    user: Any = st.user
    return str(user.get("sub") or user.get("email") or "") or None
