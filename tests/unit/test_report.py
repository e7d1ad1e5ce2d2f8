"""The PDF report: built from the answers alone, in the person's language, nothing ever cut off.

Every check reads the PDF back with pypdf, as a person copying its text would: what is not in the
extracted text is not in the report. Running footers ("Page 2/4") are taken out of each page's
text and whitespace is normalised, so that an item flowing from one page onto the next reads as
one piece.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from quiz.describe import headline, ours_tag, percent
from quiz.i18n import strings
from quiz.model import Bank, Lang, SectionItem, Text
from quiz.report import build_report, format_date, radar_points
from quiz.result import person_result
from quiz.scoring import AnswerError

CREATED = datetime(2026, 11, 23, 14, 30)
LANGS: list[Lang] = ["en", "fr"]


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def normalised(text: str) -> str:
    """Whitespace and line breaks collapsed to single spaces."""
    return " ".join(text.split())


def report_text(pdf: bytes, lang: Lang) -> str:
    """The whole report's text, footers taken out, whitespace normalised."""
    pages = pdf_pages(pdf)
    footer = strings(lang).t
    return normalised(
        " ".join(
            text.replace(footer("report.page", page=number, pages=len(pages)), " ")
            for number, text in enumerate(pages, start=1)
        )
    )


def with_cto_item(bank: Bank, section: str, item: str) -> Bank:
    """The bank with one more item, in both languages, at the end of a CTO section."""
    cto = bank.role("cto")
    sections = tuple(
        (name, (*items, SectionItem(Text(en=item, fr=item), "seed:cto-cpo")) if name == section else items)
        for name, items in cto.sections
    )
    roles = tuple(dataclasses.replace(cto, sections=sections) if r.id == "cto" else r for r in bank.roles)
    return dataclasses.replace(bank, roles=roles)


def long_item(words: int = 400) -> str:
    """About 3,000 characters of distinct words, so that a lost word is noticed."""
    text = " ".join(f"mot{i:03d}-word" for i in range(words))
    assert len(text) >= 3000
    return text


@pytest.fixture(scope="module", params=LANGS)
def lang(request: pytest.FixtureRequest) -> Lang:
    language: Lang = request.param
    return language


@pytest.fixture(scope="module")
def cto_report(bank: Bank, cto_answers: dict[str, int], lang: Lang) -> bytes:
    return build_report(bank, strings(lang), cto_answers, CREATED)


@pytest.fixture(scope="module")
def cto_text(cto_report: bytes, lang: Lang) -> str:
    return report_text(cto_report, lang)


class TestCtoReport:
    def test_it_is_a_pdf_of_more_than_one_page(self, cto_report: bytes) -> None:
        assert cto_report.startswith(b"%PDF")
        assert len(PdfReader(io.BytesIO(cto_report)).pages) > 1

    def test_it_is_a4(self, cto_report: bytes) -> None:
        box = PdfReader(io.BytesIO(cto_report)).pages[0].mediabox

        assert (round(float(box.width)), round(float(box.height))) == (595, 842)

    def test_it_has_the_title_the_date_and_the_bank_version(self, cto_text: str, bank: Bank, lang: Lang) -> None:
        t = strings(lang)

        # The PDF's text layer gives a no-break space back as a space: compare the words.
        assert normalised(t.t("report.title")) in cto_text
        assert normalised(t.t("report.date", date=format_date(CREATED, t))) in cto_text
        assert normalised(t.t("report.version", version=bank.version)) in cto_text

    def test_it_names_the_most_likely_role_with_its_chance(
        self, cto_text: str, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        result = person_result(bank, cto_answers)

        assert result.most_likely.role_id == "cto"
        assert normalised(headline(bank, result, strings(lang)).best) in cto_text

    def test_the_ranking_gives_each_roles_chance_of_being_the_best_match(
        self, cto_text: str, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        t = strings(lang)
        top = person_result(bank, cto_answers).most_likely

        assert t.t("report.probability") in cto_text
        assert top.probability is not None
        row = f"1 {normalised(bank.role('cto').name(lang))} {normalised(t.t('level.executive'))} {round(top.match)} "
        assert normalised(row + percent(top.probability, t)) in cto_text

    def test_it_ranks_every_role(self, cto_text: str, bank: Bank, lang: Lang) -> None:
        assert strings(lang).t("report.ranking") in cto_text
        assert [r.id for r in bank.roles if normalised(r.name(lang)) not in cto_text] == []

    def test_every_item_of_the_best_match_is_there_whole(self, cto_text: str, bank: Bank, lang: Lang) -> None:
        cto = bank.role("cto")
        items = [normalised(item.text(lang)) for _, section in cto.sections for item in section]

        assert len(items) > 30  # every section, frictions, impact and practices included
        assert normalised(cto.summary(lang)) in cto_text
        assert [item for item in items if item not in cto_text] == []

    def test_a_responsibility_of_the_cto_is_there(self, cto_text: str, bank: Bank, lang: Lang) -> None:
        first = bank.role("cto").section("responsibilities")[0].text(lang)

        assert normalised(first) in cto_text

    def test_our_additions_to_a_seed_role_carry_the_visible_tag(self, cto_text: str, bank: Bank, lang: Lang) -> None:
        ours = [item for _, section in bank.role("cto").sections for item in section if item.source == "ours"]
        tag = normalised(ours_tag(strings(lang)))

        assert ours and tag in ("[our addition]", "[ajout]")
        assert [i.text(lang) for i in ours if f"{normalised(i.text(lang))} {tag}" not in cto_text] == []
        assert "†" not in cto_text

    def test_the_impact_and_practices_sections_of_the_cto_are_there(self, cto_text: str, lang: Lang) -> None:
        t = strings(lang)

        assert normalised(t.t("section.impact")) in cto_text
        assert normalised(t.t("section.practices")) in cto_text

    def test_it_explains_the_three_best_matches(
        self, cto_text: str, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        t = strings(lang)
        ranking = person_result(bank, cto_answers).ranking  # most likely first

        assert t.t("report.strengths") in cto_text
        assert t.t("report.gaps") in cto_text
        for rank, match in enumerate(ranking.matches[:3], start=1):
            heading = t.t(
                "report.match_heading", rank=rank, role=bank.role(match.role_id).name(lang), match=round(match.match)
            )
            assert normalised(heading) in cto_text

    def test_it_says_how_to_read_the_figures_and_their_limits(self, cto_text: str, lang: Lang) -> None:
        t = strings(lang)

        assert t.t("report.how_to_read") in cto_text
        assert normalised(t.t("report.limits")) in cto_text
        assert "70 %" in cto_text and "30 %" in cto_text

    def test_a_clear_first_has_no_tie_mark(self, cto_text: str) -> None:
        # The only '=' is the one the reading note explains.
        assert cto_text.count("=") == 1

    def test_it_builds_in_under_a_second(self, bank: Bank, cto_answers: dict[str, int], lang: Lang) -> None:
        # The best of three: about 0.4 s on a quiet machine (35 roles), so only a real slowdown
        # fails, not another process's load on a shared machine.
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            build_report(bank, strings(lang), cto_answers, CREATED)
            timings.append(time.perf_counter() - start)

        assert min(timings) < 1.0


class TestFrenchReport:
    def test_french_typography_survives(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        text = report_text(build_report(bank, strings("fr"), cto_answers, CREATED), "fr")

        for expected in (
            "Expertise technique",
            "Responsabilités",
            "Compétences clés",
            "« = »",
            "Ton bilan d'orientation",
        ):
            assert expected in text
        assert "23 novembre 2026" in text


class TestTies:
    def test_roles_too_close_to_call_are_named_and_marked(self, bank: Bank, lang: Lang) -> None:
        # Halfway between a CTO and a CPO: several roles too close to call.
        cto, cpo = bank.role("cto"), bank.role("cpo")
        answers = {}
        for question in bank.questions:
            level = (cto.target(question.dimension).level + cpo.target(question.dimension).level) / 2
            point = round(1 + level / 25)
            answers[question.id] = point if question.keyed > 0 else 6 - point
        ranking = person_result(bank, answers).ranking
        assert len(ranking.tied_top) > 1 and ranking.flat is None  # the case this test is about

        text = report_text(build_report(bank, strings(lang), answers, CREATED), lang)

        words = headline(bank, person_result(bank, answers), strings(lang))
        assert words.ties is not None and normalised(words.ties) in text
        assert words.surer is not None and normalised(words.surer) in text
        assert text.count("=") == len(ranking.tied_top) + 1  # the marks, and the reading note's


class TestFlatProfile:
    def test_the_same_answer_everywhere_gets_the_flat_explanation_and_no_ranking(self, bank: Bank, lang: Lang) -> None:
        t = strings(lang)
        pdf = build_report(bank, t, {q.id: 3 for q in bank.questions}, CREATED)
        text = report_text(pdf, lang)

        assert pdf.startswith(b"%PDF")
        assert normalised(t.t("results.flat_same_answers")) in text
        assert normalised(t.t("results.flat_next")) in text
        assert t.t("report.profile") in text
        assert t.t("report.ranking") not in text
        assert t.t("report.match") not in text
        assert [r.id for r in bank.roles if normalised(r.name(lang)) in text] == []

    def test_scores_with_no_contrast_get_their_own_explanation(self, bank: Bank, lang: Lang) -> None:
        # Agreeing (4) with every +keyed item and disagreeing (2) with every reverse-keyed one:
        # every dimension scores 75, yet the answers are not all the same value.
        answers = {q.id: 4 if q.keyed > 0 else 2 for q in bank.questions}
        t = strings(lang)

        text = report_text(build_report(bank, t, answers, CREATED), lang)

        assert normalised(t.t("results.flat_no_contrast")) in text
        assert t.t("report.ranking") not in text


class TestLongText:
    def test_a_3000_character_item_keeps_every_word(self, bank: Bank, cto_answers: dict[str, int], lang: Lang) -> None:
        item = long_item()
        longer = with_cto_item(bank, "responsibilities", item)

        text = report_text(build_report(longer, strings(lang), cto_answers, CREATED), lang)

        assert [word for word in item.split() if word not in text] == []
        assert item in text
        assert bank.role("cto").section("responsibilities")[-1].text != Text(item, item)  # fixture untouched

    def test_long_items_in_every_section_flow_onto_further_pages(
        self, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        longer = bank
        for section in ("responsibilities", "skills", "kpis", "frictions"):
            longer = with_cto_item(longer, section, long_item())
        pdf = build_report(longer, strings(lang), cto_answers, CREATED)
        text = report_text(pdf, lang)

        assert len(pdf_pages(pdf)) > len(pdf_pages(build_report(bank, strings(lang), cto_answers, CREATED)))
        assert text.count(long_item()) == 4
        assert normalised(strings(lang).t("report.limits")) in text  # the last section still there


class TestPartialAndBadAnswers:
    def test_the_statements_actually_asked_make_a_report(
        self, bank: Bank, cto_answers: dict[str, int], lang: Lang
    ) -> None:
        # As the adaptive quiz leaves it: some statements not asked.
        answers = {q: v for q, v in cto_answers.items() if not q.endswith(("_7", "_8"))}
        result = person_result(bank, answers)

        text = report_text(build_report(bank, strings(lang), answers, CREATED), lang)

        assert normalised(headline(bank, result, strings(lang)).best) in text

    def test_no_answers_at_all_raise_answer_error(self, bank: Bank) -> None:
        with pytest.raises(AnswerError) as error:
            build_report(bank, strings("en"), {}, CREATED)

        assert len(error.value.missing) == len(bank.questions)

    def test_an_answer_off_the_scale_raises_answer_error(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        with pytest.raises(AnswerError):
            build_report(bank, strings("en"), cto_answers | {bank.questions[0].id: 6}, CREATED)


class TestRendering:
    def test_page_one_renders_to_a_png(self, cto_report: bytes, tmp_path: Path) -> None:
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            pytest.fail("pdftoppm is missing: install Debian's poppler-utils (`apt-get install poppler-utils`).")
        source = tmp_path / "report.pdf"
        source.write_bytes(cto_report)

        subprocess.run(
            [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
            check=True,
            capture_output=True,
            timeout=60,
        )

        pngs = sorted(tmp_path.glob("page*.png"))
        assert len(pngs) == 1
        png = pngs[0].read_bytes()
        assert png.startswith(b"\x89PNG")
        # A4 at 60 dpi is about 496 x 702 pixels; text and the radar make the file far bigger
        # than a blank page's.
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (pytest.approx(496, abs=2), pytest.approx(702, abs=2))
        assert len(png) > 15_000


class TestFormatDate:
    @pytest.mark.parametrize(
        ("lang", "day", "expected"),
        [
            ("en", datetime(2026, 11, 23), "23 November 2026"),
            ("en", datetime(2026, 1, 1), "1 January 2026"),
            ("fr", datetime(2026, 11, 23), "23 novembre 2026"),
            ("fr", datetime(2026, 2, 1), "1er février 2026"),
            ("fr", datetime(2026, 8, 15), "15 août 2026"),
            ("fr", datetime(2026, 12, 31), "31 décembre 2026"),
        ],
    )
    def test_dates_are_written_as_each_language_writes_them(self, lang: Lang, day: datetime, expected: str) -> None:
        assert format_date(day, strings(lang)) == expected


class TestRadarPoints:
    def test_the_first_axis_points_up_and_100_lies_on_the_outer_ring(self) -> None:
        points = radar_points([100, 0, 50, 0], cx=100, cy=100, radius=40)

        assert points[0] == pytest.approx((100, 60))
        assert points[1] == pytest.approx((100, 100))
        assert points[2] == pytest.approx((100, 120))  # half-way down the opposite axis

    def test_axes_follow_clockwise(self) -> None:
        # The second of four axes points right on the page (clockwise from the top).
        assert radar_points([0, 100, 0, 0], cx=0, cy=0, radius=10)[1] == pytest.approx((10, 0))
