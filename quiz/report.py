"""The PDF report of one person's results, in their language, drawn without a browser.

What it holds, in this order: the title, the date and the bank version; the most likely role
with its chance, the runners-up too close to call, what would make the result surer and the
"why" sentence; the profile (a radar of the person against the most likely role, and the same
numbers as a table); how to read the figures and their limits; the ranking of every role, most
likely first, with each one's chance of being the best match and the roles too close to call
marked; strengths and gaps for the first three; the most likely role's full description (with
the impact and practices sections where it has them, and our additions tagged). A result that
is not rankable (`PersonResult.flat`: straight-lining, a see-saw, contradictory answers or a
flat profile) gets the app's explanation instead of a ranking, then the profile and the limits.

Rules the layout follows:
- the figures and their wording come from the same functions as the app (`person_result`,
  `explain`, `headline`, `describe_role`), so the report and the screen always agree;
- every text goes through `multi_cell` or a table with automatic page breaks: nothing is cut, a
  long item flows onto the next page; headings move to the next page rather than end one alone;
- the radar is vector drawing (polygons) by fpdf2: no plotly, no kaleido, no Chrome, so the
  report works on a server without a browser;
- the font is DejaVu Sans, shipped in `quiz/fonts/` next to this module (never a system font):
  it covers French typography (é è à ç œ « » — € ’ and the non-breaking spaces).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.fonts import FontFace

from quiz.describe import describe_role, headline, percent
from quiz.explain import explain, fit_lines, why_sentence
from quiz.i18n import Strings
from quiz.matching import SHAPE_SHARE, Ranking
from quiz.measurement import CALL_LEVEL, standard_error
from quiz.model import Bank, Role
from quiz.result import PersonResult, person_result
from quiz.scoring import DimensionScores

__all__ = ["FONT_DIR", "build_report", "format_date", "radar_points"]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"

RGB = tuple[int, int, int]
# The Okabe-Ito colours of quiz.charts (not imported: it loads plotly), readable with the common
# colour-vision deficiencies.
PERSON_COLOUR: RGB = (0, 114, 178)
ROLE_COLOUR: RGB = (213, 94, 0)
TEXT_COLOUR: RGB = (33, 37, 41)
MUTED_COLOUR: RGB = (100, 106, 112)
GRID_COLOUR: RGB = (200, 204, 208)
HEADING_FILL: RGB = (232, 238, 244)
TIE_FILL: RGB = (250, 236, 224)

MARGIN = 18.0  # mm, top, left and right
BOTTOM_MARGIN = 16.0  # mm, where text stops; the footer sits inside it
LINE = 5.0  # mm, the height of a body text line at 10 pt
RINGS = (25, 50, 75, 100)
RADAR_RADIUS = 36.0  # mm
EXPLAINED = 3  # how many of the best matches get their strengths and gaps
# A paragraph or list item no taller than this (mm) is never split across two pages; a taller
# one flows onto the next page rather than leave a large blank.
KEEP_WHOLE = 40.0
CELL_PADDING = 1.5  # mm, left and right inside table cells


class _ReportPDF(FPDF):
    """An A4 document in DejaVu Sans whose footer says "Page n/N" in the report's language."""

    def __init__(self, strings: Strings) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.strings = strings
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.set_text_color(*TEXT_COLOUR)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED_COLOUR)
        # "{nb}" is fpdf2's alias for the page count, filled in when the document is output.
        self.cell(0, 5, self.strings.t("report.page", page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(*TEXT_COLOUR)


def format_date(created: datetime, strings: Strings) -> str:
    """The date as the language writes it: "23 November 2026", "1er novembre 2026".

    Month names, the order of the parts and the way the first of the month is written all come
    from the locale files (`report.months`, `report.date_format`, `report.day_one`), so no system
    locale is needed.
    """
    months = [name.strip() for name in strings.t("report.months").split(",")]
    day = strings.t("report.day_one") if created.day == 1 else str(created.day)
    return strings.t("report.date_format", day=day, month=months[created.month - 1], year=created.year)


def radar_points(values: Sequence[float], cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """Page coordinates (mm, y downwards) of 0-100 values on a radar centred on (cx, cy).

    The first axis points straight up and the others follow clockwise at equal angles, as on the
    app's radar; a value of 100 lies on the outer ring (`radius`), 0 on the centre.
    """
    count = len(values)
    return [
        (
            cx + radius * value / 100 * math.cos(-math.pi / 2 + 2 * math.pi * i / count),
            cy + radius * value / 100 * math.sin(-math.pi / 2 + 2 * math.pi * i / count),
        )
        for i, value in enumerate(values)
    ]


# ---------------------------------------------------------------------------------------------
# Text blocks
# ---------------------------------------------------------------------------------------------


def _keep_space(pdf: FPDF, height: float) -> None:
    """Start a new page unless `height` mm still fit on this one (keeps a heading with its text)."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _text_height(pdf: FPDF, text: str, width: float, line: float) -> float:
    """How tall `text` will be in the current font, wrapped to `width` mm (nothing is drawn)."""
    height = pdf.multi_cell(width, line, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT)
    assert isinstance(height, float | int)  # what output=HEIGHT returns
    return float(height)


def _keep_text_whole(pdf: FPDF, text: str, width: float, line: float) -> None:
    """Move `text` to the next page if it would be split there and is no taller than
    `KEEP_WHOLE`; a taller one only needs its first line to fit. Measuring costs a dry run, so
    it is done only near the foot of a page, the one place where it can change anything."""
    if not pdf.will_page_break(KEEP_WHOLE):
        return
    height = _text_height(pdf, text, width, line)
    _keep_space(pdf, height if height <= KEEP_WHOLE else line)


def _heading(pdf: FPDF, text: str, size: float = 14, space_after: float = 12) -> None:
    """A bold heading, kept on the same page as at least `space_after` mm of what follows."""
    pdf.set_font(FONT, "B", size)
    if pdf.will_page_break(2 * size * 0.5 + space_after):  # measured only where it may matter
        _keep_space(pdf, _text_height(pdf, text, pdf.epw, size * 0.5) + space_after)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _paragraph(pdf: FPDF, text: str, size: float = 10, colour: RGB = TEXT_COLOUR, bold: bool = False) -> None:
    """Running text over the full width: kept whole if short, flowing onto the next page if not."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    _keep_text_whole(pdf, text, pdf.epw, size * 0.5)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT_COLOUR)


def _bullets(pdf: FPDF, items: Sequence[str], size: float = 10) -> None:
    """A bulleted list; each item wraps under its own first word, never under the bullet, and is
    kept whole on one page if short, flowing onto the next page if not."""
    pdf.set_font(FONT, "", size)
    indent = 5.0
    for item in items:
        _keep_text_whole(pdf, item, pdf.epw - indent, size * 0.5)
        pdf.set_x(pdf.l_margin + 1)
        pdf.cell(indent - 1, size * 0.5, "•")
        pdf.multi_cell(pdf.epw - indent, size * 0.5, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)


def _label_and_text(pdf: FPDF, label: str, text: str, size: float = 10) -> None:
    """A bold label followed by text on the same line, wrapping like a paragraph ("Path: ...")."""
    pdf.set_font(FONT, "B", size)
    pdf.write(size * 0.5, f"{label} ")
    pdf.set_font(FONT, "", size)
    pdf.write(size * 0.5, text)
    pdf.ln(size * 0.5)


# ---------------------------------------------------------------------------------------------
# Sections of the report
# ---------------------------------------------------------------------------------------------


def _title_block(pdf: FPDF, bank: Bank, strings: Strings, created: datetime) -> None:
    """The title, then the date and the bank version on one muted line, then a rule."""
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*PERSON_COLOUR)
    pdf.multi_cell(0, 10, strings.t("report.title"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    meta = "   ·   ".join(
        [
            strings.t("report.date", date=format_date(created, strings)),
            strings.t("report.version", version=bank.version),
        ]
    )
    _paragraph(pdf, meta, size=9, colour=MUTED_COLOUR)
    pdf.ln(2)
    with pdf.local_context(draw_color=PERSON_COLOUR, line_width=0.6):
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(5)


def _headline(pdf: FPDF, bank: Bank, strings: Strings, result: PersonResult) -> None:
    """The most likely role with its chance, the runners-up too close to call with it, what
    would make the result surer, and why it fits."""
    words = headline(bank, result, strings)
    _paragraph(pdf, words.best, size=13, colour=PERSON_COLOUR, bold=True)
    pdf.ln(1.5)
    for sentence in (words.ties, words.surer):
        if sentence:
            _paragraph(pdf, sentence)
            pdf.ln(1.5)
    _paragraph(pdf, words.why)
    pdf.ln(5)


def _flat_block(pdf: FPDF, strings: Strings, reason: str) -> None:
    """Why a flat profile is not ranked, and what to do next: the app's own words."""
    _heading(pdf, strings.t("report.flat_title"))
    _paragraph(pdf, strings.t(f"results.flat_{reason}"))
    pdf.ln(2)
    _paragraph(pdf, strings.t("results.flat_next"))
    pdf.ln(5)


def _radar_label(pdf: FPDF, text: str, x: float, y: float, cos: float, sin: float) -> None:
    """Write an axis label just outside the ring at (x, y), on the side it points to: centred
    above or below near the vertical, otherwise starting (right side) or ending (left side) there."""
    width = pdf.get_string_width(text)
    height = pdf.font_size
    if abs(cos) < 0.25:
        left = x - width / 2
    elif cos > 0:
        left = x
    else:
        left = x - width
    # A very long name (a bank edit) stays on the page, even if it then reaches into the chart.
    left = min(max(left, pdf.l_margin), pdf.w - pdf.r_margin - width)
    # Baseline: centred on y, pushed up above the top axis and down below the bottom ones.
    baseline = y + height * 0.35 + sin * height * 0.55
    pdf.text(left, baseline, text)


def _lowest_vertex(count: int) -> float:
    """How far below the centre the lowest axis ends, as a share of the radius."""
    return max(math.sin(-math.pi / 2 + 2 * math.pi * i / count) for i in range(count))


def _radar_height(count: int) -> float:
    """The radar's full height (mm): the top label, the chart, the bottom labels and the legend."""
    return 7 + RADAR_RADIUS * (1 + _lowest_vertex(count)) + 9 + 8


def _draw_radar(pdf: FPDF, bank: Bank, strings: Strings, scores: DimensionScores, role: Role | None) -> None:
    """The radar: grid rings at 25/50/75/100, one axis per dimension, the role's typical profile
    (dashed, if any) under the person's (solid), the dimension names around, then a legend."""
    lang = strings.lang
    count = len(bank.dimensions)
    radius = RADAR_RADIUS
    lowest = _lowest_vertex(count)
    _keep_space(pdf, _radar_height(count))
    cx = pdf.w / 2
    cy = pdf.get_y() + 7 + radius

    with pdf.local_context(draw_color=GRID_COLOUR, line_width=0.2):
        for ring in RINGS:
            pdf.polygon(radar_points([ring] * count, cx, cy, radius), style="D")
        for x, y in radar_points([100] * count, cx, cy, radius):
            pdf.line(cx, cy, x, y)
    if role is not None:
        points = radar_points([float(t.level) for t in role.profile], cx, cy, radius)
        with pdf.local_context(fill_color=ROLE_COLOUR, fill_opacity=0.12):
            pdf.polygon(points, style="F")
        with pdf.local_context(draw_color=ROLE_COLOUR, line_width=0.5):
            pdf.set_dash_pattern(dash=1.6, gap=1.0)
            pdf.polygon(points, style="D")
            pdf.set_dash_pattern()
    person = radar_points(list(scores.values), cx, cy, radius)
    with pdf.local_context(fill_color=PERSON_COLOUR, fill_opacity=0.22):
        pdf.polygon(person, style="F")
    with pdf.local_context(draw_color=PERSON_COLOUR, fill_color=PERSON_COLOUR, line_width=0.7):
        pdf.polygon(person, style="D")
        for x, y in person:
            pdf.circle(x, y, 0.8, style="F")

    # Ring values between the first two axes, drawn over the polygons on a pale halo so that a
    # line passing under them does not make them unreadable.
    pdf.set_font(FONT, "", 6.5)
    pdf.set_text_color(*MUTED_COLOUR)
    angle = -math.pi / 2 + math.pi / count
    for ring in RINGS:
        x = cx + radius * ring / 100 * math.cos(angle) + 0.6
        y = cy + radius * ring / 100 * math.sin(angle) + 0.8
        width = pdf.get_string_width(str(ring))
        with pdf.local_context(fill_color=(255, 255, 255), fill_opacity=0.7):
            pdf.rect(x - 0.4, y - 2.4, width + 0.8, 3.0, style="F")
        pdf.text(x, y, str(ring))

    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*TEXT_COLOUR)
    for i, (dimension, (x, y)) in enumerate(
        zip(bank.dimensions, radar_points([100] * count, cx, cy, radius + 2.5), strict=True)
    ):
        theta = -math.pi / 2 + 2 * math.pi * i / count
        _radar_label(pdf, dimension.name(lang), x, y, math.cos(theta), math.sin(theta))

    pdf.set_y(cy + radius * lowest + 9)
    entries: list[tuple[str, RGB, bool]] = [(strings.t("report.you"), PERSON_COLOUR, False)]
    if role is not None:
        entries.append((strings.t("report.legend_role", role=role.name(lang)), ROLE_COLOUR, True))
    _legend(pdf, entries)


def _legend(pdf: FPDF, entries: Sequence[tuple[str, RGB, bool]]) -> None:
    """One centred line of legend entries, each a line sample (dashed for a role) and its name;
    entries go one under the other when they do not fit side by side."""
    pdf.set_font(FONT, "", 8.5)
    sample, gap, spacing = 8.0, 2.0, 8.0
    widths = [sample + gap + pdf.get_string_width(text) for text, _, _ in entries]
    total = sum(widths) + spacing * (len(entries) - 1)
    paired = list(zip(entries, widths, strict=True))
    rows = [paired] if total <= pdf.epw else [[entry] for entry in paired]
    for row in rows:
        row_width = sum(w for _, w in row) + spacing * (len(row) - 1)
        x = (pdf.w - row_width) / 2
        y = pdf.get_y() + 2.5
        for (text, colour, dashed), width in row:
            with pdf.local_context(draw_color=colour, line_width=0.7 if not dashed else 0.5):
                if dashed:
                    pdf.set_dash_pattern(dash=1.6, gap=1.0)
                pdf.line(x, y, x + sample, y)
                pdf.set_dash_pattern()
            pdf.text(x + sample + gap, y + 1.1, text)
            x += width + spacing
        pdf.ln(5)
    pdf.ln(2)


def _profile_table(pdf: FPDF, bank: Bank, strings: Strings, scores: DimensionScores, role: Role | None) -> None:
    """The radar's numbers: one row per dimension, the person's score and the role's target."""
    lang = strings.lang
    headings = [strings.t("report.dimension"), strings.t("report.you")]
    widths: list[float] = [70, 25]
    if role is not None:
        headings.append(role.name(lang))
        widths.append(45)
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        width=sum(widths),
        col_widths=widths,
        align="CENTER",
        text_align=("LEFT", "RIGHT", "RIGHT")[: len(widths)],
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        line_height=5.5,
        padding=(0.6, 1.5),
    ) as table:
        table.row(headings)
        for dimension in bank.dimensions:
            cells = [dimension.name(lang), str(round(scores[dimension.id]))]
            if role is not None:
                cells.append(str(role.target(dimension.id).level))
            table.row(cells)
    pdf.ln(6)


def _profile(pdf: FPDF, bank: Bank, strings: Strings, scores: DimensionScores, role: Role | None) -> None:
    """The profile heading, what it shows, the radar and its table twin."""
    _heading(pdf, strings.t("report.profile"), space_after=LINE * 3 + _radar_height(len(bank.dimensions)))
    if role is None:
        _paragraph(pdf, strings.t("report.profile_intro_flat"))
    else:
        _paragraph(pdf, strings.t("report.profile_intro", role=role.name(strings.lang)))
    pdf.ln(2)
    _draw_radar(pdf, bank, strings, scores, role)
    _profile_table(pdf, bank, strings, scores, role)


def _column_width(pdf: FPDF, heading: str, cells: Sequence[str], size: float) -> float:
    """The narrowest width (mm) that holds every cell on one line and the heading's longest word
    (headings may wrap between words, never inside one), padding included. Measured in bold:
    the rows too close to call are bold."""
    pdf.set_font(FONT, "B", size)
    widest = max(pdf.get_string_width(word) for word in heading.split())
    widest = max([widest, *(pdf.get_string_width(cell) for cell in cells)])
    return widest + 2 * CELL_PADDING + 1


def _ranking(pdf: FPDF, bank: Bank, strings: Strings, ranking: Ranking) -> None:
    """Every role with its match and its chance of being the best match, most likely first; as in
    the app, '=' marks the roles too close to call, only when there is more than one. The short
    columns are as wide as their words, the role name takes the rest; the table is kept on one
    page if it fits."""
    lang = strings.lang
    size, line = 9.5, 5.0
    marked = len(ranking.tied_top) > 1
    rows = [
        [
            str(rank),
            bank.role(match.role_id).name(lang),
            strings.t("level." + bank.role(match.role_id).level),
            str(round(match.match)),
            percent(match.probability, strings) if match.probability is not None else "",
            "=" if marked and match.tied_with_top else "",
        ]
        for rank, match in enumerate(ranking.matches, start=1)
    ]
    headings = [
        strings.t("report.rank"),
        strings.t("report.role"),
        strings.t("report.level"),
        strings.t("report.match"),
        strings.t("report.probability"),
        strings.t("report.tie"),
    ]
    widths = [_column_width(pdf, heading, [row[i] for row in rows], size) for i, heading in enumerate(headings)]
    widths[1] = pdf.epw - (sum(widths) - widths[1])

    pdf.set_font(FONT, "", size)
    if pdf.will_page_break(12 + (len(rows) + 1) * (2 * line + 1.6)):  # measured only where it may matter
        table_height = sum(
            max(
                _text_height(pdf, cell, width - 2 * CELL_PADDING, line) for cell, width in zip(row, widths, strict=True)
            )
            + 1.6
            for row in [headings, *rows]
        )
        _keep_space(pdf, 12 + (table_height if table_height < pdf.eph - 12 else 25))
    _heading(pdf, strings.t("report.ranking"), space_after=25)
    pdf.set_font(FONT, "", size)
    with pdf.table(
        col_widths=widths,
        text_align=("RIGHT", "LEFT", "LEFT", "RIGHT", "RIGHT", "CENTER"),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        line_height=line,
        padding=(0.8, CELL_PADDING),
    ) as table:
        table.row(headings)
        for row in rows:
            tied = row[5] == "="
            table.row(row, style=FontFace(emphasis="BOLD", fill_color=TIE_FILL) if tied else None)
    pdf.ln(6)


def _explanations(pdf: FPDF, bank: Bank, strings: Strings, scores: DimensionScores, ranking: Ranking) -> None:
    """For each of the best `EXPLAINED` matches: its figure, why, where it matches, largest gaps."""
    best = ranking.matches[:EXPLAINED]
    _heading(pdf, strings.t("report.explained", count=len(best)), space_after=30)
    for rank, match in enumerate(best, start=1):
        role = bank.role(match.role_id)
        explanation = explain(bank, scores, role.id)
        heading = strings.t("report.match_heading", rank=rank, role=role.name(strings.lang), match=round(match.match))
        _heading(pdf, heading, size=11.5, space_after=25)
        _paragraph(pdf, why_sentence(bank, explanation, strings))
        pdf.ln(2)
        strengths, gaps = fit_lines(bank, strings, explanation)
        for title, lines in ((strings.t("report.strengths"), strengths), (strings.t("report.gaps"), gaps)):
            _heading(pdf, title, size=10, space_after=LINE)
            _bullets(pdf, lines or [strings.t("report.none")])
            pdf.ln(1.5)
        pdf.ln(3)


def _role_details(pdf: FPDF, bank: Bank, strings: Strings, role: Role) -> None:
    """A role's full description, as the app's role view shows it (`describe_role`): summary,
    every section, the path to it, and where the text comes from, our additions marked."""
    description = describe_role(bank, role, strings)
    _heading(pdf, strings.t("report.role_details", role=description.name), space_after=20)
    _paragraph(pdf, description.kind, colour=MUTED_COLOUR)
    pdf.ln(1.5)
    _paragraph(pdf, description.summary)
    pdf.ln(3)
    for section in description.sections:
        _heading(pdf, section.title, size=11, space_after=2 * LINE)
        _bullets(pdf, section.items)
        pdf.ln(2)
    if description.path:
        _keep_space(pdf, 2 * LINE)
        _label_and_text(pdf, description.path_label, description.path)
        pdf.ln(2)
    _paragraph(pdf, description.sources, size=8.5, colour=MUTED_COLOUR)
    pdf.ln(5)


def _reading_notes(pdf: FPDF, bank: Bank, strings: Strings, flat: bool) -> None:
    """How to read the match figures, then their limits, each heading kept on the page of the
    whole paragraph under it. A flat profile has no match figures: it gets the limits alone."""
    size = 9.5
    pdf.set_font(FONT, "", size)
    limits = strings.t("report.limits")
    limits_height = _text_height(pdf, limits, pdf.epw, size * 0.5) + 2
    if flat:
        _heading(pdf, strings.t("report.limits_title"), space_after=limits_height)
        _paragraph(pdf, limits, size=size)
        return
    level_share = round(100 * (1 - SHAPE_SHARE))
    # The error of a dimension score on all the bank's statements (the typical one: the bank's first dimension).
    dimension = bank.dimensions[0]
    available = sum(q.dimension == dimension.id for q in bank.questions)
    reading = strings.t(
        "report.reading",
        level_share=level_share,
        shape_share=100 - level_share,
        error=round(standard_error(dimension, available, available)),
        level=round(CALL_LEVEL * 10),
    )
    pdf.set_font(FONT, "", size)
    _heading(pdf, strings.t("report.how_to_read"), space_after=_text_height(pdf, reading, pdf.epw, size * 0.5))
    _paragraph(pdf, reading, size=size)
    pdf.ln(2.5)
    _heading(pdf, strings.t("report.limits_title"), size=10, space_after=limits_height)
    _paragraph(pdf, limits, size=size)
    pdf.ln(5)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def build_report(bank: Bank, strings: Strings, answers: Mapping[str, int], created: datetime) -> bytes:
    """The A4 PDF report of one person's answers, in `strings.lang`.

    Scores, probabilities, ranking and explanations come from `person_result`, as on the results
    page. A result that is not rankable gets no ranking: the app's explanation of why, and the
    profile, instead.

    Args:
        bank: the validated bank; its `version` is printed so the report says which bank made it.
        strings: the UI strings of the report's language.
        answers: question id -> 1..5, the statements the person answered (all or some).
        created: when the report is made; printed as the language writes dates.

    Returns:
        The PDF file's bytes.

    Raises:
        AnswerError: an answer is unknown or off the scale, or there is none (from `person_result`).
    """
    result = person_result(bank, answers)
    scores, ranking = result.scores, result.ranking

    pdf = _ReportPDF(strings)
    pdf.set_title(strings.t("report.title"))
    pdf.set_lang(strings.lang)
    pdf.set_creator("career-quiz")
    pdf.set_creation_date(created)
    pdf.add_page()
    _title_block(pdf, bank, strings, created)

    if ranking.flat:
        _flat_block(pdf, strings, ranking.flat)
        _profile(pdf, bank, strings, scores, None)
        _reading_notes(pdf, bank, strings, flat=True)
    else:
        top = bank.role(ranking.top.role_id)
        _headline(pdf, bank, strings, result)
        _profile(pdf, bank, strings, scores, top)
        # How to read the figures, and their limits, before the figures themselves.
        _reading_notes(pdf, bank, strings, flat=False)
        _ranking(pdf, bank, strings, ranking)
        _explanations(pdf, bank, strings, scores, ranking)
        _role_details(pdf, bank, strings, top)
    return bytes(pdf.output())
