"""A result's headline and a role's description, worded once for the pages and the report."""

from __future__ import annotations

import dataclasses

import pytest

from quiz.describe import OURS_MARK, chance, describe_role, headline, ours_tag, percent, profile_lines
from quiz.i18n import strings
from quiz.model import SECTIONS, Bank, Lang
from quiz.result import PersonResult, person_result


@pytest.fixture(params=["en", "fr"])
def lang(request: pytest.FixtureRequest) -> Lang:
    value: Lang = request.param
    return value


def tied(bank: Bank, result: PersonResult) -> PersonResult:
    """The same result with its second role marked as too close to call."""
    matches = list(result.ranking.matches)
    matches[1] = dataclasses.replace(matches[1], tied_with_top=True)
    return dataclasses.replace(result, ranking=dataclasses.replace(result.ranking, matches=tuple(matches)))


class TestChance:
    @pytest.mark.parametrize(
        ("probability", "expected"),
        [(0.7, "about 7 in 10"), (0.66, "about 7 in 10"), (0.12, "about 1 in 10"), (0.96, "more than 9 in 10")],
    )
    def test_a_probability_is_said_in_tenths(self, probability: float, expected: str) -> None:
        assert chance(probability, strings("en")) == expected

    def test_french_says_it_in_french(self) -> None:
        assert chance(0.7, strings("fr")) == "environ 7 sur 10"

    def test_a_tiny_chance_is_never_rounded_to_none(self) -> None:
        assert chance(0.01, strings("en")) == "less than 1 in 10"
        assert percent(0.004, strings("en")) == "under 1%" and percent(0.72, strings("fr")) == "72\u00a0%"


class TestHeadline:
    def test_it_names_the_most_likely_role_with_its_chance_and_why(
        self, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        t = strings(lang)
        result = person_result(bank, cto_answers)

        words = headline(bank, result, t)

        top = result.most_likely
        assert top.role_id == "cto" and top.probability is not None
        assert words.best == t.t(
            "results.most_likely", role=bank.role("cto").name(lang), chance=chance(top.probability, t)
        )
        assert (words.role_id, words.probability) == ("cto", top.probability)
        assert bank.role("cto").name(lang) in words.why

    def test_the_english_wording_is_most_likely_about_n_in_10(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        words = headline(bank, person_result(bank, cto_answers), strings("en"))

        assert words.best.startswith("Most likely: Chief Technology Officer (CTO) (")
        assert words.best.endswith(" in 10)")

    def test_the_french_wording_puts_a_non_breaking_space_before_the_colon(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        words = headline(bank, person_result(bank, cto_answers), strings("fr"))

        assert words.best.startswith("Le plus probable\u00a0: ")

    def test_roles_too_close_to_call_are_named_with_their_chance(
        self, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        t = strings(lang)
        result = tied(bank, person_result(bank, cto_answers))
        second = result.ranking.matches[1]
        named = t.t(
            "results.role_chance", role=bank.role(second.role_id).name(lang), chance=chance(second.probability or 0, t)
        )

        words = headline(bank, result, t)

        assert words.ties == t.t("results.too_close", roles=named)
        assert words.runners_up == (second.role_id,)

    def test_what_would_make_it_surer_names_the_deciding_dimensions(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        t = strings("en")
        complete = tied(bank, person_result(bank, cto_answers))
        asked = {q: v for q, v in cto_answers.items() if q.endswith(("_1", "_2", "_3"))}
        partial = person_result(bank, asked)

        assert complete.deciding and all(d in bank.dimension_ids for d in complete.deciding)
        # Every statement answered: nothing more to ask, so it names what decides.
        assert (headline(bank, complete, t).surer or "").startswith("What decides between these roles: ")
        if partial.runners_up:
            assert (headline(bank, partial, t).surer or "").startswith("To make the result surer, answer more")

    def test_a_clear_first_has_no_runners_up_and_nothing_to_make_surer(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        result = person_result(bank, cto_answers)
        clear = dataclasses.replace(
            result,
            ranking=dataclasses.replace(
                result.ranking,
                matches=tuple(
                    dataclasses.replace(m, tied_with_top=i == 0) for i, m in enumerate(result.ranking.matches)
                ),
            ),
        )

        words = headline(bank, clear, strings("en"))

        assert (words.ties, words.surer, words.runners_up) == (None, None, ())

    def test_a_result_that_is_not_rankable_has_no_headline(self, bank: Bank) -> None:
        flat = person_result(bank, {q.id: 4 for q in bank.questions})

        with pytest.raises(ValueError, match="no most likely role"):
            headline(bank, flat, strings("en"))


class TestDescribeRole:
    def test_a_seed_role_tags_our_additions_and_its_path(self, bank: Bank, lang: Lang) -> None:
        role = bank.role("cto")
        t = strings(lang)
        tag = ours_tag(t)
        description = describe_role(bank, role, t)

        assert tag == OURS_MARK.format(tag=t.t("roles.ours_tag")) and tag in (" [our addition]", " [ajout]")
        items = {s.name: s.items for s in description.sections}
        for name, expected in role.sections:
            marked = [f"{i.text(lang)}{tag}" if i.source == "ours" else i.text(lang) for i in expected]
            assert list(items[name]) == marked
        assert any(item.endswith(tag) for section in description.sections for item in section.items)
        assert role.leads_from and description.path is not None and description.path.endswith(tag)
        assert description.summary == role.summary(lang)  # the seed's own summary
        assert description.sources == t.t("roles.sources_seed")

    def test_the_cto_shows_the_impact_and_practices_sections_in_order(self, bank: Bank, lang: Lang) -> None:
        names = [s.name for s in describe_role(bank, bank.role("cto"), strings(lang)).sections]

        assert "impact" in names and "practices" in names
        assert names == [s for s in SECTIONS if s in names]

    def test_a_role_of_ours_tags_its_summary_only_and_says_so(self, bank: Bank, lang: Lang) -> None:
        role = next(r for r in bank.roles if r.source == "ours" and r.leads_from)
        t = strings(lang)
        tag = ours_tag(t)

        description = describe_role(bank, role, t)

        assert description.summary == role.summary(lang) + tag
        assert not any(tag in item for section in description.sections for item in section.items)
        names = ", ".join(bank.role(r).name(lang) for r in role.leads_from)
        assert description.path == t.t("roles.path", roles=names)
        assert description.sources == t.t("roles.sources_ours")

    def test_profile_lines_give_each_target_as_our_estimate_in_the_languages_typography(self, bank: Bank) -> None:
        role = bank.role("cto")
        french = profile_lines(bank, role, strings("fr"))
        english = profile_lines(bank, role, strings("en"))

        assert len(french) == len(english) == len(bank.dimensions)
        assert french[0].startswith("Expertise technique\u00a0: ") and "notre estimation" in french[0]
        assert english[0].startswith("Technical depth: ") and "our estimate" in english[0]
        ours = [t for t in role.profile if t.source == "ours"]
        assert sum(line.endswith(ours_tag(strings("en"))) for line in english) == len(ours)

    def test_it_has_the_summary_the_kind_and_the_sections_in_order(self, bank: Bank, lang: Lang) -> None:
        role = bank.role("cpo")
        t = strings(lang)

        description = describe_role(bank, role, t)

        assert (description.name, description.summary) == (role.name(lang), role.summary(lang))  # a seed role
        assert description.kind == f"{t.t('family.' + role.family)} · {t.t('level.' + role.level)}"
        names = [s.name for s in description.sections]
        assert names == [s for s in SECTIONS if role.section(s)]
        assert [s.title for s in description.sections] == [t.t("section." + s) for s in names]
