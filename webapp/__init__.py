"""The Streamlit side of the quiz: everything that draws, reads the address or keeps the browser
session's state. The rules live in `quiz/`, which never imports Streamlit.

- `routes`: the one table of pages (script, address, title, icon, menu or not);
- `state`: every session-state key, with its default and a typed accessor;
- `resources`: the cached bank, the store, the UI strings of the session's language;
- `address`: query parameters, each checked where it is read;
- `links`: answer links (result and "continue later");
- `seat`: a participant's seat in a coach's session, and saving their result;
- `login`: coaches and Streamlit's login;
- `widgets`: the radar with its table, a role's description, the ranking table;
- `pages/`: one script per page, run by `app.py`'s navigation.
"""
