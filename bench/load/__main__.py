"""`python -m bench.load --n 200 --scenario workshop|stress|finish [--servers K] [--url URL]`

Starts the app (K Streamlit processes, behind nginx when K > 1, on a throwaway database),
sends N simulated participants and a coach through it over Streamlit's own websocket protocol,
then does the same against the bare twin (`bench/load/bare_app.py`), and writes the report to
`bench/results/` (JSON and Markdown) and stdout. Everything started is stopped at the end, on
Ctrl-C and on errors too.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from bench.load import report
from bench.load.flow import Quiz, Scenario
from bench.load.run import BARE_SCRIPT, ROOT, Options, Result, Target, run_target

# Where the app's entry script may be: today's, then after the move into a package.
APP_SCRIPTS = ("app.py", "webapp/app.py", "streamlit_app.py")


def _quiz() -> tuple[Quiz, list[list[str]]]:
    """The quiz's shape from the bank: statements, roles, question ids per step, and what the
    simulated people answer from (each question's dimension and key, each role's targets)."""
    from quiz.banks import load_bank
    from quiz.scoring import quiz_steps

    bank = load_bank()
    steps = [[q.id for q in step] for step in quiz_steps(bank)]
    quiz = Quiz(
        questions=sum(map(len, steps)),
        roles=len(bank.roles),
        keys={q.id: (q.dimension, q.keyed) for q in bank.questions},
        profiles=tuple({t.dimension: float(t.level) for t in role.profile} for role in bank.roles),
    )
    return quiz, steps


def _app_script(given: str | None, project: Path) -> str:
    if given:
        return given
    for candidate in APP_SCRIPTS:
        if (project / candidate).exists():
            return candidate
    raise SystemExit(f"no app entry script found among {', '.join(APP_SCRIPTS)}; pass --app")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="participants (default 200)")
    parser.add_argument("--scenario", choices=["workshop", "stress", "finish"], default="workshop")
    parser.add_argument("--servers", type=int, default=1, help="app processes; >1 puts nginx in front")
    parser.add_argument("--url", help="ws://HOST:PORT of a running deployment (loopback): start nothing for the app")
    parser.add_argument("--app", help="the app's entry script, relative to the project (default: found)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="the checkout to measure (default: this one), e.g. an exported older commit for a 'before' figure",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=600.0, help="time limit per target (s), default 600")
    parser.add_argument("--interaction-timeout", type=float, default=120.0, help="per interaction (s)")
    parser.add_argument("--database", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare twin (no ratios)")
    parser.add_argument("--probes", type=int, default=3, help="participants run alone for CPU per interaction")
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="extra Streamlit option for every server, e.g. runner.postScriptGC=false (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.servers < 1:
        parser.error("--n and --servers must be at least 1")
    if args.url and not args.url.startswith(("ws://127.0.0.1", "ws://localhost")):
        parser.error("--url must be a loopback ws:// address (this driver sends traffic to 127.0.0.1 only)")
    return args


async def _main(args: argparse.Namespace) -> int:
    project = args.project.resolve()
    # The bank and the storage module are read from the checkout measured, not from this one.
    sys.path.insert(0, str(project))
    quiz, steps = _quiz()
    options = Options(
        scenario=cast(Scenario, args.scenario),
        n=args.n,
        servers=args.servers,
        seed=args.seed,
        timeout=args.timeout,
        interaction_timeout=args.interaction_timeout,
        database=args.database,
        server_args=tuple(args.server_arg),
        project=project,
        probes=args.probes,
    )
    timestamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    app_target = Target("app", _app_script(args.app, project), url=args.url)
    print(f"load: {args.scenario}, N = {args.n}, {args.servers} server(s): app ({app_target.script})", flush=True)
    app = await run_target(app_target, options, quiz)
    print(f"app: {app.completed}/{app.n} completed in {app.elapsed:.1f} s", flush=True)
    bare: Result | None = None
    if not args.no_bare:
        env = (
            ("LOAD_BARE_STEPS", ";".join(",".join(step) for step in steps)),
            ("LOAD_BARE_ROLES", str(quiz.roles)),
            # The twin's steps are forms exactly when the app's are.
            ("LOAD_BARE_FORMS", "1" if app.uses_forms else "0"),
        )
        print("load: bare twin", flush=True)
        bare = await run_target(Target("bare", BARE_SCRIPT, env=env, uses_database=False), options, quiz)
        print(f"bare: {bare.completed}/{bare.n} completed in {bare.elapsed:.1f} s", flush=True)
    meta = {
        "scenario": args.scenario,
        "n": args.n,
        "servers": args.servers,
        "seed": args.seed,
        "timestamp": timestamp,
        "app_script": app_target.script,
        "project": str(project),
        "server_args": list(args.server_arg),
    }
    built = report.build(meta, app, bare)
    json_path, md_path = report.write(built, args.out)
    print()
    print(report.markdown(built))
    print(f"written: {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path}, {md_path.name}")
    database = built["app"].get("database")
    return 0 if app.completed == app.n and (database is None or database["ok"]) else 1


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        # Servers are stopped by run_target's finally blocks, which Ctrl-C reaches through
        # asyncio.run cancelling the main task.
        return asyncio.run(_main(args))
    except KeyboardInterrupt:
        print("interrupted: every server started was stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
