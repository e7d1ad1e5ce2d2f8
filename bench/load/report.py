"""The report of a load run: per interaction kind, percentiles of the time from the click (or
the opening) until the run that answers it finished, errors and disconnects; completions; the
servers' CPU and memory; and app / bare ratios. Times are in seconds, CPU in milliseconds,
memory in MiB."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.load.flow import COACH_KINDS, KINDS
from bench.load.run import Result


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between the closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def summarise(result: Result) -> dict[str, Any]:
    """One target's figures, as they go into the JSON file."""
    rec = result.recorder
    kinds: dict[str, Any] = {}
    for kind in (*KINDS, *COACH_KINDS):
        samples = rec.samples.get(kind, [])
        if not samples and not rec.errors.get(kind) and kind not in result.cpu_per_kind_ms:
            continue
        kinds[kind] = {
            "count": len(samples),
            "p50": _round(percentile(samples, 50)),
            "p95": _round(percentile(samples, 95)),
            "p99": _round(percentile(samples, 99)),
            "max": _round(max(samples) if samples else None),
            "errors": rec.errors.get(kind, 0),
            "disconnects": rec.disconnects.get(kind, 0),
            "cpu_ms": _round(result.cpu_per_kind_ms.get(kind), 1),
        }
    sessions = result.n + 1  # the participants and the coach
    return {
        "completed": result.completed,
        "n": result.n,
        "elapsed": _round(result.elapsed, 1),
        "kinds": kinds,
        "reruns": result.reruns,
        "reruns_per_s": _round(result.reruns / result.elapsed if result.elapsed else None, 2),
        "cpu_seconds": _round(result.cpu_seconds, 2),
        "cpu_per_rerun_ms": _round(1000 * result.cpu_seconds / result.reruns if result.reruns else None, 1),
        "rss_baseline_mib": _round(result.rss_baseline_mib, 1),
        "rss_peak_mib": _round(result.rss_peak_mib, 1),
        "rss_per_session_mib": _round((result.rss_peak_mib - result.rss_baseline_mib) / sessions, 2),
        "last_result_after": _round(result.last_result_after),
        "dashboard_final_count": result.dashboard_metric,
        "quiz_steps_are_forms": result.uses_forms,
        "database": asdict(result.database) if result.database else None,
        "disconnects": result.disconnects,
        "error_reasons": dict(rec.reasons),
        "first_errors": rec.first_error,
        "cpu_probe_samples": result.cpu_samples_per_kind,
        "idle_cpu_share": _round(result.idle_cpu_share),
        "notes": result.notes,
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 2)


def build(meta: Mapping[str, Any], app: Result, bare: Result | None) -> dict[str, Any]:
    """The whole report: run settings, the app's figures at the top level (`kinds`,
    `completed`), the bare twin's, and the ratios between them."""
    report: dict[str, Any] = dict(meta)
    report["cpus"] = os.cpu_count()
    app_summary = summarise(app)
    report.update({"completed": app_summary["completed"], "kinds": app_summary["kinds"], "app": app_summary})
    if bare is not None:
        bare_summary = summarise(bare)
        report["bare"] = bare_summary
        ratios: dict[str, Any] = {}
        for kind, figures in app_summary["kinds"].items():
            twin = bare_summary["kinds"].get(kind)
            if twin:
                ratios[kind] = {
                    name: _ratio(figures[name], twin[name]) for name in ("p50", "p95", "p99", "max", "cpu_ms")
                }
        ratios["cpu_per_rerun"] = _ratio(app_summary["cpu_per_rerun_ms"], bare_summary["cpu_per_rerun_ms"])
        report["ratios"] = ratios
    return report


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def markdown(report: Mapping[str, Any]) -> str:
    """The report as a Markdown table with a few lines around it."""
    app = report["app"]
    bare = report.get("bare")
    ratios = report.get("ratios", {})
    lines = [
        f"## Load: {report['scenario']}, N = {report['n']}, {report['servers']} server(s), {report['timestamp']}",
        "",
        "| kind | count | p50 s | p95 s | p99 s | max s | errors | disc. | CPU ms | bare p50 | bare p95"
        " | bare CPU ms | p95 ratio | CPU ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, f in app["kinds"].items():
        twin = bare["kinds"].get(kind, {}) if bare else {}
        ratio = ratios.get(kind, {})
        lines.append(
            "| "
            + " | ".join(
                _cell(v)
                for v in (
                    kind,
                    f["count"],
                    f["p50"],
                    f["p95"],
                    f["p99"],
                    f["max"],
                    f["errors"],
                    f["disconnects"],
                    f["cpu_ms"],
                    twin.get("p50"),
                    twin.get("p95"),
                    twin.get("cpu_ms"),
                    ratio.get("p95"),
                    ratio.get("cpu_ms"),
                )
            )
            + " |"
        )
    lines.append("")
    for name, summary in (("app", app), ("bare", bare)):
        if not summary:
            continue
        lines.append(
            f"- {name}: {summary['completed']}/{summary['n']} completed in {_cell(summary['elapsed'])} s;"
            f" {summary['reruns']} reruns ({_cell(summary['reruns_per_s'])}/s),"
            f" {_cell(summary['cpu_per_rerun_ms'])} ms CPU per rerun;"
            f" RSS peak {_cell(summary['rss_peak_mib'])} MiB"
            f" ({_cell(summary['rss_per_session_mib'])} MiB per session);"
            f" dashboard count {summary['dashboard_final_count'] or '–'}"
            + (
                f"; last result {_cell(summary['last_result_after'])} s after the first Finish click"
                if summary["last_result_after"] is not None
                else ""
            )
        )
    database = app.get("database")
    if database:
        verdict = "OK" if database["ok"] else "WRONG"
        lines.append(
            f"- database: {verdict}: {database['stored']} stored for {database['expected']} who saw results"
            f" (missing {database['missing']}, duplicated {database['duplicated']},"
            f" wrong answers {database['wrong_answers']})"
        )
    if "cpu_per_rerun" in ratios:
        lines.append(f"- CPU per rerun, app / bare: {_cell(ratios['cpu_per_rerun'])}")
    for name, summary in (("app", app), ("bare", bare)):
        if summary and (summary["error_reasons"] or summary["notes"]):
            lines.append(f"- {name} errors: {summary['error_reasons']}; {'; '.join(summary['notes'])}")
            lines.extend(f"  - {e}" for e in summary["first_errors"])
    return "\n".join(lines) + "\n"


def write(report: Mapping[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write `load-<scenario>-<n>-<timestamp>.json` and `.md` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"load-{report['scenario']}-{report['n']}-{report['timestamp']}"
    json_path = folder / f"{stem}.json"
    md_path = folder / f"{stem}.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(report))
    return json_path, md_path
