"""The career-orientation quiz's domain: banks, scoring, matching, explanations, charts, CLI.

Importable without Streamlit (a test checks it): the app's pages call into it.
"""
