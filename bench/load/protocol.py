"""A Streamlit client that speaks the browser's websocket protocol, without a browser.

The rule it follows is the browser's: one `BackMsg.rerun_script` per interaction, carrying the
query string, the current page's script hash and the state of every widget the person has set,
plus the trigger that fired (a button or a form's submit button); then read `ForwardMsg`s until
the run that answers it finishes. The page that run drew is kept as a `Page`, a snapshot of its
widgets (found by the key at the end of their id), texts, tables and errors, so that the flow
code asks "is there a radio keyed `q_...`?" instead of knowing ids in advance.

A `switch_page` or `st.rerun` ends a run early (`FINISHED_EARLY_FOR_RERUN`) and starts another
in the same request: the interaction lasts until a run finishes for good.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

STREAM_PATH: Final = "/_stcore/stream"
# The prefix Streamlit gives generated element ids: `$$ID-<hash>-<user key>`.
ID_PREFIX: Final = "$$ID-"
# How many times a lost connection is re-opened (with the same session id, as the browser does)
# before the interaction counts as failed.
RECONNECTS: Final = 3
# The script_finished statuses (ForwardMsg.ScriptFinishedStatus).
FINISHED_SUCCESSFULLY: Final = 0
FINISHED_WITH_COMPILE_ERROR: Final = 1
FINISHED_EARLY_FOR_RERUN: Final = 2
FINISHED_FRAGMENT_RUN_SUCCESSFULLY: Final = 3


class ProtocolError(RuntimeError):
    """The server did not answer as a Streamlit app does (timeout, lost connection, error)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "timeout", "disconnect", "connect", "exception", "unexpected"


@dataclass(frozen=True)
class Widget:
    """A widget as the page drew it: its id, the element type (`radio`, `button`...), its user
    key (None when it has none), its form, its options (choice widgets) and whether it is a
    form's submit button."""

    id: str
    kind: str
    key: str | None
    form_id: str
    options: tuple[str, ...]
    label: str
    is_form_submitter: bool
    primary: bool


@dataclass(frozen=True)
class Page:
    """What one finished run left on screen (or, for a fragment run, inside the fragment)."""

    url_path: str  # the page's url path ("" for the default page)
    widgets: tuple[Widget, ...]
    texts: tuple[str, ...]  # headings, markdown, code blocks, alerts, captions
    table_rows: tuple[int, ...]  # the row count of each dataframe or table drawn
    metrics: tuple[str, ...]  # the value shown by each st.metric
    exceptions: tuple[str, ...]  # tracebacks shown on the page
    runs: int  # how many script runs the request took (2 after a switch_page or st.rerun)

    def widget(self, key: str) -> Widget | None:
        """The widget whose id ends with `-<key>` (the first one drawn), if any."""
        return next((w for w in self.widgets if w.key == key), None)

    def keyed(self, prefix: str) -> list[Widget]:
        """Every widget whose key starts with `prefix`, in page order."""
        return [w for w in self.widgets if w.key is not None and w.key.startswith(prefix)]

    def submitter(self, form_id: str, prefer_key: str | None = None) -> Widget | None:
        """The submit button of `form_id`: the one keyed `prefer_key` if there is one, else the
        primary one, else the last one drawn."""
        buttons = [w for w in self.widgets if w.is_form_submitter and w.form_id == form_id]
        if not buttons:
            return None
        keyed = [w for w in buttons if prefer_key is not None and w.key == prefer_key]
        primary = [w for w in buttons if w.primary]
        return (keyed or primary or buttons)[-1 if not (keyed or primary) else 0]


def widget_key(widget_id: str) -> str | None:
    """The user key at the end of a generated id (`$$ID-<hash>-<key>`), None for other ids.
    Form submit buttons without a key end with `FormSubmitter:<form>-<label>`: no key."""
    if not widget_id.startswith(ID_PREFIX):
        return None
    rest = widget_id[len(ID_PREFIX) :]
    _, _, key = rest.partition("-")
    if not key or key == "None" or key.startswith("FormSubmitter:"):
        return None
    return key


@dataclass(frozen=True)
class Value:
    """A widget value to send: exactly one of these is set, as the browser encodes it (a radio
    or selectbox sends the shown label as a string, a text input its text, a checkbox a bool)."""

    string: str | None = None
    boolean: bool | None = None
    integer: int | None = None

    def into(self, state: WidgetState) -> None:
        if self.string is not None:
            state.string_value = self.string
        elif self.boolean is not None:
            state.bool_value = self.boolean
        elif self.integer is not None:
            state.int_value = self.integer


@dataclass
class _Collector:
    """The page being drawn by the runs of one request."""

    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    table_rows: list[int] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    server_set: set[str] = field(default_factory=set)  # widgets whose value the script set


@dataclass
class Client:
    """One simulated browser tab: a websocket to one app, its Streamlit session, its page.

    `cookie` is sent with the handshake so that a proxy hashing on it keeps this tab on one
    server (sticky sessions). `locale` and `timezone` are what the browser would report.
    """

    base_url: str  # ws://127.0.0.1:PORT
    cookie: str | None = None
    locale: str = "fr-FR"
    timezone: str = "Europe/Paris"
    timeout: float = 120.0
    ws: ClientConnection | None = None
    session_id: str = ""
    page_hash: str = ""
    url_path: str = ""
    query_string: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # page script hash -> url path
    held: dict[str, Value] = field(default_factory=dict)  # widget id -> value the person set
    shown: set[str] = field(default_factory=set)  # widget ids on screen after the last run
    auto_rerun: dict[str, float] = field(default_factory=dict)  # fragment id -> interval (s)
    runs: int = 0  # script runs seen (every script_finished), for CPU per rerun
    disconnects: int = 0
    # One request at a time per tab (the dashboard's timer and a final check may both ask).
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def connect(self) -> None:
        """Open the websocket (re-using the Streamlit session id after a lost connection, as
        the browser does, so that the server resumes the same session)."""
        headers = {"Cookie": self.cookie} if self.cookie else None
        # The subprotocol header carries "streamlit", the XSRF token and the session to resume.
        protocols = ["streamlit", "x", self.session_id] if self.session_id else ["streamlit"]
        try:
            self.ws = await asyncio.wait_for(
                websockets.connect(
                    self.base_url + STREAM_PATH,
                    subprotocols=protocols,  # type: ignore[arg-type]
                    additional_headers=headers,
                    max_size=None,
                    open_timeout=self.timeout,
                    ping_interval=20,
                    ping_timeout=self.timeout,
                    compression=None,
                ),
                self.timeout,
            )
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as error:
            raise ProtocolError("connect", f"cannot open {self.base_url}{STREAM_PATH}: {error!r}") from error

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(TimeoutError, ConnectionClosed, OSError):
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def open(self, url_path: str, query_string: str = "") -> Page:
        """Open a page by its address, as typing `/<url_path>?<query_string>` does."""
        self.url_path, self.query_string = url_path, query_string
        if self.ws is None:
            await self.connect()
        return await self._request(self._client_state(page_name=url_path))

    async def interact(
        self, values: Mapping[str, Value], trigger: str | None = None, fragment_id: str | None = None
    ) -> Page:
        """Set these widgets (by id) and fire `trigger` (a button's id), in one rerun. Values
        set once are sent again on every later rerun while their widget is on screen, as the
        browser does; a trigger is sent once."""
        self.held.update(values)
        state = self._client_state(fragment_id=fragment_id)
        if trigger is not None:
            state.rerun_script.widget_states.widgets.add(id=trigger, trigger_value=True)
        return await self._request(state)

    def _client_state(self, page_name: str = "", fragment_id: str | None = None) -> BackMsg:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query_string
        rerun.page_script_hash = self.page_hash
        rerun.page_name = page_name if not self.page_hash else ""
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = True
        info = rerun.context_info
        info.locale = self.locale
        info.timezone = self.timezone
        info.url = self._http_url()
        for widget_id, value in self.held.items():
            if widget_id in self.shown or not self.shown:
                value.into(rerun.widget_states.widgets.add(id=widget_id))
        return msg

    def _http_url(self) -> str:
        http = "http" + self.base_url.removeprefix("ws")
        path = f"{http}/{self.url_path}" if self.url_path else f"{http}/"
        return f"{path}?{self.query_string}" if self.query_string else path

    async def _request(self, msg: BackMsg) -> Page:
        async with self.lock:
            return await self._request_alone(msg)

    async def _request_alone(self, msg: BackMsg) -> Page:
        payload = msg.SerializeToString()
        fragment = bool(msg.rerun_script.fragment_id)
        deadline = time.monotonic() + self.timeout
        for attempt in range(RECONNECTS + 1):
            try:
                if self.ws is None:
                    await self.connect()
                assert self.ws is not None
                await self.ws.send(payload)
                return await self._read_until_finished(deadline, fragment)
            except ConnectionClosed as error:
                self.disconnects += 1
                self.ws = None
                if attempt == RECONNECTS or time.monotonic() > deadline:
                    raise ProtocolError("disconnect", f"connection lost: {error!r}") from error
        raise AssertionError("unreachable")

    async def _read_until_finished(self, deadline: float, fragment: bool) -> Page:
        assert self.ws is not None
        page = _Collector()
        runs = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProtocolError("timeout", f"no finished run within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError as error:
                raise ProtocolError("timeout", f"no finished run within {self.timeout:.0f} s") from error
            if isinstance(data, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                _collect_delta(fwd, page)
            elif kind == "new_session":
                self._on_new_session(fwd)
            elif kind == "navigation":
                self._on_navigation(fwd)
            elif kind == "page_info_changed":
                # The script changed the address (st.query_params): the browser shows it and
                # sends it back with the next rerun.
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                page.exceptions.append(f"page not found: {fwd.page_not_found.page_name}")
            elif kind == "auto_rerun":
                self.auto_rerun[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
            elif kind == "script_finished":
                runs += 1
                self.runs += 1
                status = fwd.script_finished
                if status == FINISHED_EARLY_FOR_RERUN:
                    page = _Collector()  # the next run draws the page anew
                    continue
                if status == FINISHED_WITH_COMPILE_ERROR:
                    page.exceptions.append("compile error")
                if not fragment:
                    self.shown = set(page.widgets)
                # A widget gone from the screen is forgotten; one whose value the script set
                # (session_state) shows that value, which the browser then keeps, not ours.
                self.held = {
                    k: v for k, v in self.held.items() if (fragment or k in self.shown) and k not in page.server_set
                }
                return Page(
                    url_path=self.url_path,
                    widgets=tuple(page.widgets.values()),
                    texts=tuple(page.texts),
                    table_rows=tuple(page.table_rows),
                    metrics=tuple(page.metrics),
                    exceptions=tuple(page.exceptions),
                    runs=runs,
                )

    def _on_new_session(self, fwd: ForwardMsg) -> None:
        new = fwd.new_session
        if new.HasField("initialize") and new.initialize.session_id:
            self.session_id = new.initialize.session_id
        # new_session names pages by title when st.navigation is used: navigation's names win.
        self._learn_pages(new.app_pages, override=False)
        if new.page_script_hash:
            self._set_page(new.page_script_hash)

    def _on_navigation(self, fwd: ForwardMsg) -> None:
        # st.navigation names the page that runs (also after st.switch_page): the browser
        # moves to its address and sends its hash with every later rerun.
        self._learn_pages(fwd.navigation.app_pages, override=True)
        self._set_page(fwd.navigation.page_script_hash)

    def _learn_pages(self, pages: Sequence[Any], override: bool) -> None:
        for app_page in pages:
            if override or app_page.page_script_hash not in self.pages:
                self.pages[app_page.page_script_hash] = app_page.url_pathname

    def _set_page(self, page_hash: str) -> None:
        self.page_hash = page_hash
        if page_hash in self.pages:
            self.url_path = self.pages[page_hash]


# The text-bearing elements and the field that holds their text.
_TEXT_FIELDS: Final = {
    "heading": "body",
    "markdown": "body",
    "code": "code_text",
    "alert": "body",
    "text": "body",
}


def _collect_delta(fwd: ForwardMsg, page: _Collector) -> None:
    delta = fwd.delta
    if delta.WhichOneof("type") != "new_element":
        return
    element = delta.new_element
    kind: str | None = element.WhichOneof("type")
    if not kind:
        return
    proto: Any = getattr(element, kind)
    if kind in _TEXT_FIELDS:
        page.texts.append(str(getattr(proto, _TEXT_FIELDS[kind], "")))
    elif kind == "exception":
        page.exceptions.append(f"{proto.type}: {proto.message}")
    elif kind == "metric":
        page.metrics.append(str(proto.body))
    elif kind == "dataframe":
        # Large frames come lazily, with their row count; small ones as one Arrow stream.
        lazy = proto.HasField("lazy_data")
        page.table_rows.append(int(proto.lazy_data.row_count) if lazy else _arrow_rows(bytes(proto.arrow_data.data)))
    elif kind == "table":  # st.table: always one Arrow stream
        page.table_rows.append(_arrow_rows(bytes(proto.arrow_data.data)))
    widget_id = getattr(proto, "id", "")
    if isinstance(widget_id, str) and widget_id and kind not in ("plotly_chart", "dataframe", "table"):
        options = getattr(proto, "options", ())
        page.widgets[widget_id] = Widget(
            id=widget_id,
            kind=kind,
            key=widget_key(widget_id),
            form_id=str(getattr(proto, "form_id", "")),
            options=tuple(o for o in options if isinstance(o, str)),
            label=str(getattr(proto, "label", "")),
            is_form_submitter=bool(getattr(proto, "is_form_submitter", False)),
            primary=getattr(proto, "type", "") == "primary",
        )
        if getattr(proto, "set_value", False):
            page.server_set.add(widget_id)


def _arrow_rows(data: bytes) -> int:
    """The number of rows of an Arrow IPC stream (how st.dataframe ships its table)."""
    if not data:
        return 0
    import pyarrow.ipc  # type: ignore[import-untyped]  # imported late: only result pages need it

    try:
        return int(pyarrow.ipc.open_stream(io.BytesIO(data)).read_all().num_rows)
    except Exception:  # not a table we can read: count it as shown, size unknown
        return -1
