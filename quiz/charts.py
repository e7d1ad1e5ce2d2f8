"""Figures and tables of profiles: the radar (plotly) and the same numbers as a table.

The table is the radar's accessible twin: screen readers and people who read numbers better
than shapes get exactly the values the chart draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go

from quiz.i18n import Strings
from quiz.model import Bank
from quiz.scoring import DimensionScores

__all__ = ["counts_figure", "group_radar_figure", "profile_table", "radar_figure"]

T = TypeVar("T")

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PERSON_COLOUR = "#0072B2"
ROLE_COLOURS = ("#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
HOVER = "%{theta}: %{r:.0f}<extra>%{fullData.name}</extra>"


def _closed(values: Sequence[T]) -> list[T]:
    """The values with the first repeated at the end, so that a polar trace closes its polygon."""
    return [*values, values[0]]


def _wrapped(label: str, width: int = 12) -> str:
    """Break a long axis label over two lines at the space nearest its middle, so that labels
    stay inside a phone-width chart."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) / 2
    cut = min((i for i, c in enumerate(label) if c == " "), key=lambda i: abs(i - middle))
    return f"{label[:cut]}<br>{label[cut + 1 :]}"


def radar_figure(
    bank: Bank,
    strings: Strings,
    role_ids: Sequence[str],
    scores: DimensionScores | None = None,
) -> go.Figure:
    """A radar of the person's scores (if given) against one or more roles' targets.

    Axis labels are the dimension names in `strings.lang`; every trace is closed so the
    polygons read as shapes.
    """
    lang = strings.lang
    labels = _closed([_wrapped(d.name(lang)) for d in bank.dimensions])
    figure = go.Figure()
    for index, role_id in enumerate(role_ids):
        role = bank.role(role_id)
        figure.add_trace(
            go.Scatterpolar(
                r=_closed([float(t.level) for t in role.profile]),
                theta=labels,
                name=role.name(lang),
                line={"color": ROLE_COLOURS[index % len(ROLE_COLOURS)], "dash": "dash", "width": 2},
                fill="toself",
                opacity=0.55,
                hovertemplate=HOVER,
            )
        )
    if scores is not None:
        figure.add_trace(_person_trace(list(scores.values), labels, strings.t("chart.you")))
    return _laid_out(figure, bank)


def group_radar_figure(bank: Bank, strings: Strings, mean: Sequence[float], spread: Sequence[float]) -> go.Figure:
    """A group's profile: the average on each dimension (filled), and the average plus and minus
    the spread (dotted), clipped to the 0-100 scale. Values are in `bank.dimensions` order."""
    labels = _closed([_wrapped(d.name(strings.lang)) for d in bank.dimensions])
    figure = go.Figure()
    for name, values in (
        (strings.t("dashboard.spread_high"), [min(100.0, m + s) for m, s in zip(mean, spread, strict=True)]),
        (strings.t("dashboard.spread_low"), [max(0.0, m - s) for m, s in zip(mean, spread, strict=True)]),
    ):
        figure.add_trace(
            go.Scatterpolar(
                r=_closed(values),
                theta=labels,
                name=name,
                line={"color": PERSON_COLOUR, "dash": "dot", "width": 1.5},
                hovertemplate=HOVER,
            )
        )
    figure.add_trace(_person_trace(list(mean), labels, strings.t("dashboard.mean")))
    return _laid_out(figure, bank)


def _person_trace(values: list[float], labels: list[str], name: str) -> go.Scatterpolar:
    """The profile of a person (or a group's average): solid, filled, over the roles' dashes."""
    return go.Scatterpolar(
        r=_closed(values),
        theta=labels,
        name=name,
        line={"color": PERSON_COLOUR, "width": 3},
        fill="toself",
        opacity=0.7,
        hovertemplate=HOVER,
    )


def counts_figure(labels: Sequence[str], counts: Sequence[float], axis_title: str) -> go.Figure:
    """Horizontal bars, largest at the top, whole labels beside them (role names are long)."""
    figure = go.Figure(
        go.Bar(
            x=list(counts)[::-1],
            y=list(labels)[::-1],
            orientation="h",
            marker={"color": PERSON_COLOUR},
            text=[f"{c:g}" for c in list(counts)[::-1]],
            textposition="outside",
            hovertemplate="%{y}: %{x:g}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={
            "title": axis_title,
            "rangemode": "tozero",
            "tickformat": ",d",
            "dtick": 1 if max(counts, default=0) <= 10 else None,
        },
        yaxis={"automargin": True},
        margin={"l": 10, "r": 30, "t": 10, "b": 40},
        height=80 + 36 * len(labels),
    )
    return figure


def _laid_out(figure: go.Figure, bank: Bank) -> go.Figure:
    """The layout every radar shares: first dimension at the top, 0-100, legend below."""
    figure.update_layout(
        polar={
            # The radial ticks sit between the first two axes, not on top of the first one.
            "angularaxis": {"rotation": 90, "direction": "clockwise"},
            "radialaxis": {"range": [0, 100], "tickvals": [25, 50, 75, 100], "angle": 90 - 180 / len(bank.dimensions)},
        },
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0.5, "xanchor": "center"},
        margin={"l": 60, "r": 60, "t": 40, "b": 70},
        font={"size": 12},
        height=440,
    )
    return figure


def profile_table(
    bank: Bank,
    strings: Strings,
    role_ids: Sequence[str],
    scores: DimensionScores | None = None,
) -> pd.DataFrame:
    """The radar's numbers: one row per dimension, a column for the person and for each role."""
    lang = strings.lang
    columns: dict[str, list[float]] = {}
    if scores is not None:
        columns[strings.t("chart.you")] = [round(v) for v in scores.values]
    for role_id in role_ids:
        role = bank.role(role_id)
        columns[role.name(lang)] = [t.level for t in role.profile]
    index = pd.Index([d.name(lang) for d in bank.dimensions], name=strings.t("chart.dimension"))
    return pd.DataFrame(columns, index=index)
