"""One measured run against one target (the app or its bare twin): start its servers, let
the coach and the participants through, probe the CPU of each interaction alone, check the
database, stop everything.

CPU per interaction is measured in a quiet moment after the load, while all the load's
sessions are still connected (their memory is what makes a rerun dear): a few extra
participants go through the whole quiz one after the other, with the dashboard paused, and the
servers' CPU time read from /proc before and after each interaction is that interaction's
cost (to the 10 ms tick; many answers average it out).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bench.load import flow
from bench.load.flow import Quiz, Recorder, Scenario, Shared
from bench.load.protocol import Client, Page, ProtocolError
from bench.load.verify import Check, check_database
from deploy.stack import HOST, Stack, Usage, start_nginx, start_postgres, start_streamlit, usage

ROOT: Final = Path(__file__).resolve().parents[2]
# Absolute: the twin runs from the project measured, which may be another checkout.
BARE_SCRIPT: Final = str(Path(__file__).resolve().parent / "bare_app.py")
SAMPLE_SECONDS: Final = 0.5
IDLE_SECONDS: Final = 2.0
PROBES: Final = 3  # participants run alone after the load, for CPU per interaction


@dataclass(frozen=True)
class Target:
    """What to run: a Streamlit script (or an already running URL) and its environment."""

    name: str  # "app" or "bare"
    script: str
    env: tuple[tuple[str, str], ...] = ()
    url: str | None = None  # ws://host:port of a running deployment: start nothing
    uses_database: bool = True


@dataclass(frozen=True)
class Options:
    scenario: Scenario
    n: int
    servers: int
    seed: int
    timeout: float
    interaction_timeout: float
    database: str  # "sqlite", "postgres" or "auto"
    server_args: tuple[str, ...]
    project: Path = ROOT  # the checkout whose app is measured (servers run from it)
    probes: int = PROBES


@dataclass
class Result:
    """Everything measured for one target; `report` turns it into JSON and Markdown."""

    target: str
    recorder: Recorder
    completed: int
    n: int
    elapsed: float
    reruns: int
    cpu_seconds: float
    rss_baseline_mib: float
    rss_peak_mib: float
    cpu_per_kind_ms: dict[str, float]
    cpu_samples_per_kind: dict[str, int]
    idle_cpu_share: float  # of a core, servers doing nothing (after the load)
    last_result_after: float | None
    dashboard_metric: str
    uses_forms: bool | None
    database: Check | None
    disconnects: int
    notes: list[str] = field(default_factory=list)


@dataclass
class Sampler:
    """Peak RSS of the servers, sampled in the background."""

    pids: Sequence[int]
    peak: float = 0.0
    running: bool = True

    async def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, usage(self.pids).rss_mib)
            await asyncio.sleep(SAMPLE_SECONDS)


def _launch(target: Target, options: Options, stack: Stack) -> str | None:
    """Start the target's servers (and nginx, and PostgreSQL); return the database URL."""
    if target.url:
        stack.url = target.url
        return os.environ.get("DATABASE_URL")
    env = dict(os.environ)
    env.update(target.env)
    env.setdefault("PYTHONUNBUFFERED", "1")
    database = None
    if target.uses_database:
        kind = options.database
        if kind == "auto":
            kind = "postgres" if options.servers > 1 else "sqlite"
        database = start_postgres(stack) if kind == "postgres" else f"sqlite:///{stack.folder / 'load.sqlite3'}"
        env["DATABASE_URL"] = database
    extra: list[str] = []
    for item in options.server_args:
        name, _, value = item.partition("=")
        extra += [f"--{name}", value]
    ports = [start_streamlit(stack, target.script, options.project, env, extra, i) for i in range(options.servers)]
    if options.servers > 1:
        stack.url = f"ws://{HOST}:{start_nginx(stack, ports)}"
    else:
        stack.url = f"ws://{HOST}:{ports[0]}"
    return database


async def _probe(shared: Shared, pids: Sequence[int], count: int) -> tuple[dict[str, float], dict[str, int], float]:
    """CPU per interaction kind (ms), each interaction run alone; see the module docstring."""
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    if not pids:
        return {}, {}, 0.0
    shared.quiet.set()
    await asyncio.sleep(1.0)  # let a dashboard refresh in flight end
    # What the servers burn with nothing to do (a polling file watcher, timers): subtracted.
    idle_before = usage(pids).cpu
    await asyncio.sleep(IDLE_SECONDS)
    idle_rate = (usage(pids).cpu - idle_before) / IDLE_SECONDS
    probe = Shared(
        scenario="stress",
        n=1,
        base_url=shared.base_url,
        quiz=shared.quiz,
        seed=shared.seed + 7,
        interaction_timeout=shared.interaction_timeout,
        deadline=time.monotonic() + 300,
        code=shared.code,
    )
    recorder = _CpuRecorder(pids, totals, counts, idle_rate)
    probe.recorder = recorder
    for index in range(count):
        await flow.participant(probe, index, time.monotonic(), name=f"probe{index}")
    for client in probe.clients:
        await client.close()
    # The dashboard alone: a few refreshes of its fragment.
    coach = shared.clients[0] if shared.clients else None
    if coach is not None and coach.auto_rerun:
        fragment_id = next(iter(coach.auto_rerun))
        for _ in range(count):
            await recorder.timed("dashboard_refresh", coach, lambda: coach.interact({}, fragment_id=fragment_id))
    shared.quiet.clear()
    per_kind = {k: 1000 * totals[k] / counts[k] for k in counts if counts[k]}
    return per_kind, dict(counts), idle_rate


class _CpuRecorder(Recorder):
    """A recorder that notes the servers' CPU time spent by each interaction instead."""

    def __init__(self, pids: Sequence[int], totals: dict[str, float], counts: dict[str, int], idle_rate: float) -> None:
        super().__init__()
        self.idle_rate = idle_rate
        self.pids = pids
        self.totals = totals
        self.counts = counts

    async def timed(self, kind: str, client: Client, action: Callable[[], Awaitable[Page]]) -> Page:
        before = usage(self.pids).cpu
        start = time.monotonic()
        page = await super().timed(kind, client, action)
        await asyncio.sleep(0.05)  # the server's last sends and bookkeeping after the run
        spent = usage(self.pids).cpu - before - self.idle_rate * (time.monotonic() - start)
        self.totals[kind] += max(0.0, spent)
        self.counts[kind] += 1
        return page


async def run_target(target: Target, options: Options, quiz: Quiz) -> Result:
    """Run the scenario against one target and stop everything it started, whatever happens.
    The servers' logs (and the SQLite file) are deleted after a clean run and kept otherwise:
    the report's notes say where."""
    folder = Path(tempfile.mkdtemp(prefix=f"load-{target.name}-"))
    stack = Stack(folder)
    clean = False
    try:
        database = await asyncio.to_thread(_launch, target, options, stack)
        result = await _drive(target, options, quiz, stack, database)
        clean = result.completed == result.n and not result.recorder.errors and not result.notes
        if not clean:
            result.notes.append(f"server logs kept in {folder}")
        return result
    finally:
        await asyncio.to_thread(stack.close)
        if clean:
            shutil.rmtree(folder, ignore_errors=True)


async def _drive(target: Target, options: Options, quiz: Quiz, stack: Stack, database: str | None) -> Result:
    pids = list(stack.server_pids)
    start = time.monotonic()
    shared = Shared(
        scenario=options.scenario,
        n=options.n,
        base_url=stack.url,
        quiz=quiz,
        seed=options.seed,
        interaction_timeout=options.interaction_timeout,
        deadline=start + options.timeout,
    )
    notes: list[str] = []
    code_ready = asyncio.Event()
    coach_task = asyncio.create_task(flow.coach(shared, code_ready))
    waiter = asyncio.create_task(code_ready.wait())
    await asyncio.wait({coach_task, waiter}, timeout=options.interaction_timeout * 3, return_when="FIRST_COMPLETED")
    if not code_ready.is_set():
        waiter.cancel()
        error = coach_task.exception() if coach_task.done() else None
        coach_task.cancel()
        raise RuntimeError(f"the coach could not create a session on {target.name}: {error!r}")
    baseline = usage(pids)
    sampler = Sampler(pids, peak=baseline.rss_mib)
    sampler_task = asyncio.create_task(sampler.run())
    runs_before = sum(c.runs for c in shared.clients)
    t0 = time.monotonic()
    barrier = asyncio.create_task(flow.finish_barrier(shared)) if options.scenario == "finish" else None
    people = [
        asyncio.create_task(flow.participant(shared, i, when))
        for i, when in enumerate(flow.arrivals(options.scenario, options.n, options.seed, t0))
    ]
    await asyncio.wait(people, timeout=max(1.0, shared.deadline - time.monotonic() + 5))
    for task in people:
        if not task.done():
            task.cancel()
            notes.append("some participants were still running at the time limit")
    await asyncio.gather(*people, return_exceptions=True)
    if barrier is not None:
        barrier.cancel()
    elapsed = time.monotonic() - t0
    loaded: Usage = usage(pids)
    reruns = sum(c.runs for c in shared.clients) - runs_before
    try:
        await flow.final_refresh(shared)
    except (ProtocolError, flow.FlowError) as error:
        notes.append(f"final dashboard refresh failed: {error}")
    check = None
    completed_names = set(shared.done)
    if target.uses_database and database and shared.code:
        try:
            check = await asyncio.to_thread(check_database, database, shared.code, shared.answers, completed_names)
        except Exception as error:
            notes.append(f"database check failed: {error!r}")
    cpu_kind: dict[str, float] = {}
    cpu_counts: dict[str, int] = {}
    idle_rate = 0.0
    if options.probes and pids:
        try:
            cpu_kind, cpu_counts, idle_rate = await _probe(shared, pids, options.probes)
        except (ProtocolError, flow.FlowError) as error:
            notes.append(f"CPU probe failed: {error}")
    shared.stop_dashboard.set()
    sampler.running = False
    await asyncio.gather(coach_task, sampler_task, return_exceptions=True)
    for client in shared.clients:
        await client.close()
    finish_after = (
        shared.last_result - shared.finish_t0 if options.scenario == "finish" and shared.go.is_set() else None
    )
    return Result(
        target=target.name,
        recorder=shared.recorder,
        completed=shared.completed,
        n=options.n,
        elapsed=elapsed,
        reruns=reruns,
        cpu_seconds=loaded.cpu - baseline.cpu,
        rss_baseline_mib=baseline.rss_mib,
        rss_peak_mib=sampler.peak,
        cpu_per_kind_ms=cpu_kind,
        cpu_samples_per_kind=cpu_counts,
        idle_cpu_share=idle_rate,
        last_result_after=finish_after,
        dashboard_metric=shared.dashboard_metric,
        uses_forms=shared.uses_forms,
        database=check,
        disconnects=sum(c.disconnects for c in shared.clients),
        notes=notes,
    )
