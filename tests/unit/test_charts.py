"""Charts: the radar of a person against roles, and its table twin with the same numbers."""

from __future__ import annotations

import pytest

from quiz.banks import load_bank
from quiz.charts import profile_table, radar_figure
from quiz.i18n import strings
from quiz.model import Bank, Lang
from quiz.scoring import DimensionScores

BANK: Bank = load_bank()
SCORES = DimensionScores(BANK.dimension_ids, (90.0, 45.0, 70.0, 30.0, 25.0, 95.0, 62.4))
LANGS: list[Lang] = ["en", "fr"]


def axis_label(theta: str) -> str:
    """A radar axis label as a reader sees it: long labels are broken over lines with <br>."""
    return theta.replace("<br>", " ")


class TestRadarFigure:
    def test_every_trace_is_a_polar_scatter(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["cto", "cpo"], SCORES)

        assert len(figure.data) == 3
        assert {trace.type for trace in figure.data} == {"scatterpolar"}

    def test_every_polygon_is_closed(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["cto", "cpo", "digital_pm"], SCORES)

        for trace in figure.data:
            assert len(trace.r) == len(BANK.dimensions) + 1
            assert trace.r[0] == trace.r[-1]
            assert trace.theta[0] == trace.theta[-1]

    @pytest.mark.parametrize("lang", LANGS)
    def test_the_axes_are_the_dimension_names_in_the_chosen_language(self, lang: Lang) -> None:
        figure = radar_figure(BANK, strings(lang), ["cto"], SCORES)

        for trace in figure.data:
            assert [axis_label(t) for t in trace.theta[:-1]] == [d.name(lang) for d in BANK.dimensions]

    def test_english_and_french_axes_differ(self) -> None:
        english = radar_figure(BANK, strings("en"), ["cto"]).data[0].theta
        french = radar_figure(BANK, strings("fr"), ["cto"]).data[0].theta

        assert axis_label(english[0]) == "Technical depth"
        assert axis_label(french[0]) == "Expertise technique"

    def test_a_roles_trace_draws_its_targets(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["marketing_pm"])

        assert list(figure.data[0].r) == [float(t.level) for t in BANK.role("marketing_pm").profile] + [20.0]

    def test_the_persons_trace_draws_their_scores(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["cto"], SCORES)

        person = figure.data[-1]
        assert list(person.r) == [*SCORES.values, SCORES.values[0]]

    def test_without_scores_there_is_no_trace_for_the_person(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["cto", "cpo"])

        assert [trace.name for trace in figure.data] == [
            "Chief Technology Officer (CTO)",
            "Chief Product Officer (CPO)",
        ]

    @pytest.mark.parametrize("lang", LANGS)
    def test_the_legend_names_the_roles_and_the_person_in_the_chosen_language(self, lang: Lang) -> None:
        text = strings(lang)

        figure = radar_figure(BANK, text, ["digital_pm", "marketing_pm"], SCORES)

        assert [trace.name for trace in figure.data] == [
            BANK.role("digital_pm").name(lang),
            BANK.role("marketing_pm").name(lang),
            text.t("chart.you"),
        ]
        assert figure.data[-1].name == {"en": "You", "fr": "Toi"}[lang]

    def test_with_no_role_only_the_person_is_drawn(self) -> None:
        figure = radar_figure(BANK, strings("en"), [], SCORES)

        assert [trace.name for trace in figure.data] == ["You"]

    def test_each_role_gets_its_own_colour(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["cto", "cpo", "digital_pm"], SCORES)

        colours = [trace.line.color for trace in figure.data]
        assert len(set(colours)) == len(colours)

    def test_the_radial_axis_spans_0_to_100(self) -> None:
        figure = radar_figure(BANK, strings("en"), ["cto"], SCORES)

        assert list(figure.layout.polar.radialaxis.range) == [0, 100]

    def test_an_unknown_role_raises_a_key_error(self) -> None:
        with pytest.raises(KeyError, match="astronaut"):
            radar_figure(BANK, strings("en"), ["astronaut"])


class TestProfileTable:
    @pytest.mark.parametrize("lang", LANGS)
    def test_there_is_one_row_per_dimension_named_in_the_chosen_language(self, lang: Lang) -> None:
        table = profile_table(BANK, strings(lang), ["cto"], SCORES)

        assert list(table.index) == [d.name(lang) for d in BANK.dimensions]
        assert table.index.name == strings(lang).t("chart.dimension")

    def test_the_columns_are_the_person_then_each_role(self) -> None:
        table = profile_table(BANK, strings("en"), ["cto", "cpo"], SCORES)

        assert list(table.columns) == ["You", "Chief Technology Officer (CTO)", "Chief Product Officer (CPO)"]

    def test_the_values_are_the_rounded_scores_and_the_targets(self) -> None:
        table = profile_table(BANK, strings("en"), ["cto", "cpo"], SCORES)

        assert list(table["You"]) == [90, 45, 70, 30, 25, 95, 62]
        assert list(table["Chief Technology Officer (CTO)"]) == [90, 50, 70, 35, 20, 85, 60]
        assert list(table["Chief Product Officer (CPO)"]) == [45, 90, 30, 65, 60, 85, 75]

    def test_without_scores_there_is_no_column_for_the_person(self) -> None:
        table = profile_table(BANK, strings("fr"), ["cto"])

        assert list(table.columns) == ["Directeur / Directrice technique (CTO)"]

    def test_the_table_holds_the_same_numbers_as_the_radar(self) -> None:
        text = strings("en")
        figure = radar_figure(BANK, text, ["growth_marketer"], SCORES)
        table = profile_table(BANK, text, ["growth_marketer"], SCORES)

        role_trace, person_trace = figure.data
        assert list(table[role_trace.name]) == pytest.approx(list(role_trace.r[:-1]))
        assert list(table["You"]) == pytest.approx(list(person_trace.r[:-1]), abs=0.5)
