"""What the simulated people do: a coach creates a session and keeps its dashboard open, and
participants join by the code, answer every statement, go through every step and finish.

Which widgets an interaction sets and which trigger fires is written once, in `TABLE`; the
widgets themselves are found on the page the server drew, by key, never by id. The quiz steps
are discovered the same way: when the `q_<question id>` radios sit in a form, a step is one
"step_submit" (the five choices travel with the form's submit button); when they do not, each
choice is its own "answer" rerun and the `next` button is a "next". The last step's submit is
"finish_to_results": from the click until the results page shows a ranking.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Final, Literal

from bench.load.protocol import Client, Page, ProtocolError, Value, Widget
from deploy.proxy import ROUTE_COOKIE

Scenario = Literal["workshop", "stress", "finish"]

# The interaction kinds the report lists, in its order.
KINDS: Final = ("open", "join", "answer", "step_submit", "next", "finish_to_results", "dashboard_refresh")
COACH_KINDS: Final = ("coach_open", "create_session", "open_dashboard")
# Participants' answers are chosen among the options by position: position i means SCALE[i].
SCALE: Final = (1, 2, 3, 4, 5)
# Workshop pauses (seconds) and the window in which participants open the join link.
PAUSE_RANGE: Final = (2.0, 6.0)
ARRIVAL_WINDOW: Final = 60.0
# The finish scenario: everyone clicks Finish within this window once all are on the last step.
FINISH_WINDOW: Final = 1.0
# The cookie a proxy hashes on to keep a participant on one server.
_CODE_IN_LINK = re.compile(r"[?&]code=([A-Za-z0-9-]+)")


@dataclass(frozen=True)
class Spec:
    """One interaction: the widget keys it sets (a key ending with `*` is a prefix: every such
    widget on the page) and what fires the rerun: `button:<key>`, `form:<form id>` (that form's
    submit button), `form-of:<key prefix>` (the submit button of the form those widgets are in,
    the one keyed `next` if several), or `change` (setting the value reruns by itself)."""

    kind: str
    sets: tuple[str, ...]
    trigger: str


# The table: per interaction, which widget keys get values and which trigger fires. When the
# quiz steps become forms, the driver picks STEP_SUBMIT instead of ANSWER + NEXT by itself.
TABLE: Final = {
    "create_session": Spec("create_session", ("session_title",), "form:create_form"),
    "open_dashboard": Spec("open_dashboard", (), "button:coach_open_new"),
    "join": Spec("join", ("join_code", "join_pseudonym"), "form:join_form"),
    "answer": Spec("answer", ("q_*",), "change"),  # one radio per rerun
    "next": Spec("next", (), "button:next"),
    "step_submit": Spec("step_submit", ("q_*",), "form-of:q_"),
}


# The quiz page's "answer every statement" toggle.
EVERY_TOGGLE: Final = "every_toggle"


class FlowError(RuntimeError):
    """The page was not what the step expected (a widget missing, an error shown)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Recorder:
    """Durations, errors and disconnects per interaction kind, for one target."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    disconnects: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_error: list[str] = field(default_factory=list)

    async def timed(self, kind: str, client: Client, action: Callable[[], Awaitable[Page]]) -> Page:
        """Run one interaction, time it, and count its failure (then re-raise) or its success."""
        before = client.disconnects
        start = time.monotonic()
        try:
            page = await action()
            if page.exceptions:
                raise FlowError("exception", page.exceptions[0][:300])
        except (ProtocolError, FlowError) as error:
            self.fail(kind, error.reason, str(error))
            raise
        finally:
            self.disconnects[kind] += client.disconnects - before
        self.samples[kind].append(time.monotonic() - start)
        return page

    def relabel_last(self, kind: str, to: str) -> None:
        """The last `kind` sample turned out to be a `to` (an adaptive quiz's last step is known
        only once its submit shows the results)."""
        if self.samples[kind]:
            self.samples[to].append(self.samples[kind].pop())

    def fail(self, kind: str, reason: str, message: str) -> None:
        self.errors[kind] += 1
        self.reasons[f"{kind}:{reason}"] += 1
        if len(self.first_error) < 5:
            self.first_error.append(f"{kind}: {reason}: {message}")


@dataclass(frozen=True)
class Quiz:
    """What the driver knows of the quiz from the bank: statements in all, roles ranked, each
    question's dimension and key (+1/-1), and each role's target per dimension."""

    questions: int
    roles: int
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    profiles: tuple[dict[str, float], ...] = ()

    def respondent(self, rng: random.Random) -> dict[str, float]:
        """A plausible person: near one role's profile (each dimension moved by N(0, 12)
        points), so that the app has something to rank, as it has with real people; random
        clicking would rightly be refused a ranking by the response-quality rules."""
        if not self.profiles:
            return {}
        profile = rng.choice(self.profiles)
        return {d: min(100.0, max(0.0, level + rng.gauss(0.0, 12.0))) for d, level in profile.items()}

    def choice(self, rng: random.Random, person: Mapping[str, float], question_id: str, options: int) -> int:
        """The position (0-based) of this person's answer: the scale point nearest their level,
        give or take one point of noise, flipped on a reverse-keyed statement."""
        if question_id not in self.keys or not person:
            return rng.randrange(options)
        dimension, keyed = self.keys[question_id]
        point = round(1 + person[dimension] / 25 + rng.gauss(0.0, 0.6))
        point = min(options, max(1, point))
        return (point if keyed > 0 else options + 1 - point) - 1


@dataclass
class Shared:
    """The state the people of one run share: the join code, the finish barrier, the stop."""

    scenario: Scenario
    n: int
    base_url: str
    quiz: Quiz
    seed: int
    interaction_timeout: float
    deadline: float  # time.monotonic() after which nobody starts anything new
    recorder: Recorder = field(default_factory=Recorder)
    code: str = ""
    ready: int = 0  # participants on the last step, answers chosen (finish scenario)
    failed: int = 0
    completed: int = 0
    go: asyncio.Event = field(default_factory=asyncio.Event)
    finish_t0: float = 0.0
    last_result: float = 0.0
    stop_dashboard: asyncio.Event = field(default_factory=asyncio.Event)
    quiet: asyncio.Event = field(default_factory=asyncio.Event)  # set: the dashboard pauses
    dashboard_metric: str = ""
    uses_forms: bool | None = None
    answers: dict[str, dict[str, int]] = field(default_factory=dict)  # pseudonym -> answers sent
    done: set[str] = field(default_factory=set)  # pseudonyms that saw their results
    clients: list[Client] = field(default_factory=list)

    def pause(self, rng: random.Random) -> float:
        return rng.uniform(*PAUSE_RANGE) if self.scenario == "workshop" else 0.0


def pseudonym(index: int) -> str:
    return f"p{index:04d}"


def _need(page: Page, key: str) -> Widget:
    widget = page.widget(key)
    if widget is None:
        raise FlowError("unexpected", f"no widget keyed {key!r} on page /{page.url_path}")
    return widget


def _trigger(page: Page, spec: Spec) -> str | None:
    """The id of the widget that fires `spec`, found on `page`."""
    how, _, what = spec.trigger.partition(":")
    if how == "change":
        return None
    if how == "button":
        return _need(page, what).id
    if how == "form":
        submit = page.submitter(what)
    else:  # form-of: the form the keyed widgets sit in
        members = page.keyed(what)
        submit = page.submitter(members[0].form_id, prefer_key="next") if members else None
    if submit is None:
        raise FlowError("unexpected", f"no submit button for {spec.trigger!r} on page /{page.url_path}")
    return submit.id


async def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


def _check_deadline(shared: Shared) -> None:
    if time.monotonic() > shared.deadline:
        raise FlowError("deadline", "the run's time limit passed")


# ---------------------------------------------------------------------------------------------
# The coach
# ---------------------------------------------------------------------------------------------


async def coach(shared: Shared, code_ready: asyncio.Event) -> None:
    """Create a session, read its join code, open its dashboard and keep it refreshing as the
    browser does: one fragment rerun every `run_every` seconds, never two at once."""
    rec = shared.recorder
    client = Client(shared.base_url, cookie=f"{ROUTE_COOKIE}=coach", timeout=shared.interaction_timeout)
    shared.clients.append(client)
    page = await rec.timed("coach_open", client, lambda: client.open("coach"))
    spec = TABLE["create_session"]
    title = _need(page, "session_title")
    trigger = _trigger(page, spec)
    page = await rec.timed(
        "create_session", client, lambda: client.interact({title.id: Value(string="Load test")}, trigger)
    )
    codes = [m.group(1) for text in page.texts if (m := _CODE_IN_LINK.search(text))]
    if not codes:
        raise FlowError("unexpected", "no join link with ?code= after creating the session")
    shared.code = codes[0]
    trigger = _trigger(page, TABLE["open_dashboard"])
    page = await rec.timed("open_dashboard", client, lambda: client.interact({}, trigger))
    if page.metrics:
        shared.dashboard_metric = page.metrics[0]
    code_ready.set()
    if not client.auto_rerun:
        raise FlowError("unexpected", "the dashboard asked for no automatic refresh (no st.fragment run_every)")
    fragment_id, interval = next(iter(client.auto_rerun.items()))
    next_tick = time.monotonic() + interval
    while not shared.stop_dashboard.is_set() and time.monotonic() < shared.deadline:
        try:
            await asyncio.wait_for(shared.stop_dashboard.wait(), max(0.0, next_tick - time.monotonic()))
            break
        except TimeoutError:
            pass
        # A browser's timer fires every interval; a refresh still running delays the next.
        next_tick = max(next_tick + interval, time.monotonic())
        if shared.quiet.is_set():
            continue
        try:
            page = await rec.timed("dashboard_refresh", client, lambda: client.interact({}, fragment_id=fragment_id))
        except (ProtocolError, FlowError):
            continue
        if page.metrics:
            shared.dashboard_metric = page.metrics[0]


async def final_refresh(shared: Shared) -> None:
    """One last dashboard refresh after everyone finished: its count is checked against N."""
    client = shared.clients[0]
    if not client.auto_rerun:
        return
    fragment_id = next(iter(client.auto_rerun))
    page = await client.interact({}, fragment_id=fragment_id)
    if page.metrics:
        shared.dashboard_metric = page.metrics[0]


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


async def participant(shared: Shared, index: int, start_at: float, name: str | None = None) -> None:
    """One participant from the join link to the results. Failures are counted by the recorder
    (for the interaction that failed) and end this participant only."""
    rng = random.Random(shared.seed * 1_000_003 + index)
    who = name or pseudonym(index)
    client = Client(shared.base_url, cookie=f"{ROUTE_COOKIE}={who}", timeout=shared.interaction_timeout)
    shared.clients.append(client)
    done = False
    try:
        await _sleep_until(start_at)
        _check_deadline(shared)
        await _journey(shared, client, rng, who)
        shared.completed += 1
        shared.done.add(who)
        shared.last_result = max(shared.last_result, time.monotonic())
        done = True
    except (ProtocolError, FlowError) as error:
        if isinstance(error, FlowError) and error.reason == "deadline":
            shared.recorder.reasons["deadline"] += 1
    finally:
        if not done:
            shared.failed += 1


async def _journey(shared: Shared, client: Client, rng: random.Random, who: str) -> None:
    rec = shared.recorder
    page = await rec.timed("open", client, lambda: client.open("join", f"code={shared.code}"))
    spec = TABLE["join"]
    code_box, name_box = (_need(page, key) for key in spec.sets)
    trigger = _trigger(page, spec)
    await asyncio.sleep(shared.pause(rng))
    _check_deadline(shared)
    values = {code_box.id: Value(string=shared.code), name_box.id: Value(string=who)}
    page = await rec.timed("join", client, lambda: client.interact(values, trigger))
    sent: dict[str, int] = {}
    shared.answers[who] = sent
    person = shared.quiz.respondent(rng)
    next_label = ""
    if shared.scenario == "finish":
        # Everyone must wait on their last step: answering every statement makes it known in
        # advance (the adaptive quiz knows it is done only once a step is sent).
        page = await _every_statement(client, page)
    while True:
        radios = page.keyed("q_")
        if not radios:
            if page.url_path == "results":  # the adaptive quiz was sure: that step was the last
                rec.relabel_last("step_submit" if shared.uses_forms else "next", "finish_to_results")
                break
            raise FlowError("unexpected", f"no quiz radios on page /{page.url_path}")
        # The last step's submit says "See my results" instead of "Next" when the quiz knows it
        # is the last (every statement asked); an adaptive quiz may also stop after any step.
        forward = next((w for w in page.widgets if w.key == "next"), None)
        label = forward.label if forward is not None else ""
        next_label = next_label or label
        last = len(sent) + len(radios) >= shared.quiz.questions or (bool(label) and label != next_label)
        in_form = bool(radios[0].form_id)
        shared.uses_forms = in_form
        chosen = {
            r.key or "": shared.quiz.choice(rng, person, (r.key or "").removeprefix("q_"), len(r.options) or len(SCALE))
            for r in radios
        }
        if in_form:
            page = await _submit_step(shared, client, rng, page, chosen, sent, last)
        else:
            page = await _answer_step(shared, client, rng, page, chosen, sent, last)
        if last:
            break
    _check_results(shared, page)


async def _every_statement(client: Client, page: Page) -> Page:
    """Switch the quiz's "answer every statement" toggle on, if the page has one."""
    toggle = next((w for w in page.widgets if w.key == EVERY_TOGGLE), None)
    if toggle is None:
        return page
    return await client.interact({toggle.id: Value(boolean=True)})


async def _answer_step(
    shared: Shared,
    client: Client,
    rng: random.Random,
    page: Page,
    chosen: dict[str, int],
    sent: dict[str, int],
    last: bool,
) -> Page:
    """Today's quiz: every choice is a rerun, then Next (or Finish) is one more."""
    rec = shared.recorder
    for key, position in chosen.items():
        radio = _need(page, key)  # re-read: the run before may have redrawn it
        await asyncio.sleep(shared.pause(rng))
        _check_deadline(shared)
        values = {radio.id: Value(string=_option(radio, position))}
        page = await rec.timed("answer", client, partial(client.interact, values))
        sent[key.removeprefix("q_")] = SCALE[position]
    trigger = _trigger(page, TABLE["next"])
    return await _click_forward(shared, client, rng, lambda: client.interact({}, trigger), "next", last)


async def _submit_step(
    shared: Shared,
    client: Client,
    rng: random.Random,
    page: Page,
    chosen: dict[str, int],
    sent: dict[str, int],
    last: bool,
) -> Page:
    """A quiz step as a form: the person picks every choice (no rerun), then submits once."""
    values = {}
    for key, position in chosen.items():
        radio = _need(page, key)
        await asyncio.sleep(shared.pause(rng))
        values[radio.id] = Value(string=_option(radio, position))
    trigger = _trigger(page, TABLE["step_submit"])
    page_after = await _click_forward(
        shared, client, rng, lambda: client.interact(values, trigger), "step_submit", last
    )
    for key, position in chosen.items():
        sent[key.removeprefix("q_")] = SCALE[position]
    return page_after


async def _click_forward(
    shared: Shared,
    client: Client,
    rng: random.Random,
    action: Callable[[], Awaitable[Page]],
    kind: str,
    last: bool,
) -> Page:
    """Next, a step's submit, or (on the last step) Finish: in the finish scenario everyone
    waits on the last step until all are there, then clicks within FINISH_WINDOW."""
    await asyncio.sleep(shared.pause(rng))
    _check_deadline(shared)
    if last and shared.scenario == "finish":
        shared.ready += 1
        await shared.go.wait()
        await _sleep_until(shared.finish_t0 + rng.uniform(0.0, FINISH_WINDOW))
    return await shared.recorder.timed("finish_to_results" if last else kind, client, action)


def _option(radio: Widget, position: int) -> str:
    if not radio.options:
        raise FlowError("unexpected", f"radio {radio.key!r} has no options")
    return radio.options[position]


def _explanations() -> frozenset[str]:
    """What the results page says instead of a ranking when answers cannot be ranked (a flat
    profile, careless or inconsistent answering), in both languages."""
    from quiz.i18n import strings

    return frozenset(
        text for lang in ("fr", "en") for key, text in strings(lang).table.items() if key.startswith("results.flat_")
    )


def _check_results(shared: Shared, page: Page) -> None:
    """The results page must show a ranking (a table with one row per role), or the app's
    explanation of why these answers are not ranked: a simulated person close to a role is now
    and then, rightly, found to have answered too flatly to rank, as a real one would be."""
    if any(text in _explanations() for text in page.texts):
        return
    if shared.quiz.roles not in page.table_rows:
        shared.recorder.fail(
            "finish_to_results",
            "no_ranking",
            f"page /{page.url_path} shows tables of {list(page.table_rows)} rows, not {shared.quiz.roles}",
        )
        raise FlowError("no_ranking", "no ranking on the results page")


async def finish_barrier(shared: Shared) -> None:
    """Release the finish scenario's clicks once every live participant is on the last step
    (or at the deadline)."""
    while time.monotonic() < shared.deadline:
        if shared.ready and shared.ready + shared.failed >= shared.n:
            break
        await asyncio.sleep(0.1)
    shared.finish_t0 = time.monotonic()
    shared.go.set()


def arrivals(scenario: Scenario, n: int, seed: int, t0: float) -> Sequence[float]:
    """When each participant opens the join link: spread at random over the first minute of a
    workshop (seeded), all at once otherwise."""
    if scenario != "workshop":
        return [t0] * n
    rng = random.Random(seed)
    return [t0 + rng.uniform(0.0, ARRIVAL_WINDOW) for _ in range(n)]
