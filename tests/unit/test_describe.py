"""A result's headline and a role's description, worded once for the pages and the report."""

from __future__ import annotations

import dataclasses

import pytest

from quiz.describe import OURS_MARK, describe_role, headline
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


class TestHeadline:
    def test_it_names_the_best_match_with_its_figure_and_why(
        self, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        t = strings(lang)
        result = person_result(bank, cto_answers)

        words = headline(bank, result, t)

        assert words.best == t.t("results.top", role=bank.role("cto").name(lang), match=round(result.top.match))
        assert words.ties is None
        assert bank.role("cto").name(lang) in words.why

    def test_roles_too_close_to_call_are_named(self, bank: Bank, cto_answers: dict[str, int], lang: Lang) -> None:
        t = strings(lang)
        result = tied(bank, person_result(bank, cto_answers))
        second = bank.role(result.ranking.matches[1].role_id).name(lang)

        assert headline(bank, result, t).ties == t.t("results.tie", roles=second)

    def test_a_flat_profile_has_no_headline(self, bank: Bank) -> None:
        flat = person_result(bank, {q.id: 4 for q in bank.questions})

        with pytest.raises(ValueError, match="flat"):
            headline(bank, flat, strings("en"))


class TestDescribeRole:
    def test_a_seed_role_marks_our_additions_and_its_path(self, bank: Bank, lang: Lang) -> None:
        role = bank.role("cto")
        description = describe_role(bank, role, strings(lang))

        items = {s.name: s.items for s in description.sections}
        for name, expected in role.sections:
            marked = [f"{i.text(lang)}{OURS_MARK}" if i.source == "ours" else i.text(lang) for i in expected]
            assert list(items[name]) == marked
        assert any(item.endswith(OURS_MARK) for section in description.sections for item in section.items)
        assert role.leads_from and description.path is not None and description.path.endswith(OURS_MARK)
        assert description.sources == strings(lang).t("roles.sources_seed")

    def test_a_role_of_ours_has_no_marks_and_says_so(self, bank: Bank, lang: Lang) -> None:
        role = next(r for r in bank.roles if r.source == "ours" and r.leads_from)
        t = strings(lang)

        description = describe_role(bank, role, t)

        assert not any(OURS_MARK in item for section in description.sections for item in section.items)
        names = ", ".join(bank.role(r).name(lang) for r in role.leads_from)
        assert description.path == t.t("roles.path", roles=names)
        assert description.sources == t.t("roles.sources_ours")

    def test_it_has_the_summary_the_kind_and_the_sections_in_order(self, bank: Bank, lang: Lang) -> None:
        role = bank.role("cpo")
        t = strings(lang)

        description = describe_role(bank, role, t)

        assert (description.name, description.summary) == (role.name(lang), role.summary(lang))
        assert description.kind == f"{t.t('family.' + role.family)} · {t.t('level.' + role.level)}"
        names = [s.name for s in description.sections]
        assert names == [s for s in SECTIONS if role.section(s)]
        assert [s.title for s in description.sections] == [t.t("section." + s) for s in names]
