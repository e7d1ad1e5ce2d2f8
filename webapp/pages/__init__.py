"""The page scripts, one per page, each run by the navigation in `app.py` (see
`webapp.routes`). Inside the package, a folder named `pages/` does not turn on Streamlit's
legacy multipage mode, which only looks next to the entry script."""
