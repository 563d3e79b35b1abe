"""Report files: the commissioner pack as a PDF (charts as tables, SPC summaries in words)
and as a spreadsheet. Both show the same disclosed figures as the dashboard."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

from evaluation.exports import DISCLOSURE_NOTE, workbook_bytes
from evaluation.presenters.dashboard import Chart, Headline

PDF_MIMETYPE = "application/pdf"
NHS_BLUE = (0, 94, 184)
_REPLACEMENTS = {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\xa0": " "}


def _latin1(text: object) -> str:
    """The PDF core fonts are Latin-1: fold anything else to its nearest plain letter."""
    value = str(text)
    for char, plain in _REPLACEMENTS.items():
        value = value.replace(char, plain)
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", value)
        value = folded.encode("latin-1", "ignore").decode("latin-1")
    return value


class _Pack(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"MECC Portal commissioner pack - page {self.page_no()}", align="C")


def report_pdf(
    *,
    title: str,
    filter_words: Sequence[str],
    headlines: Sequence[Headline],
    charts: Sequence[Chart],
) -> bytes:
    """The pack as a PDF: headline figures, then each chart as a table with its reading."""
    pdf = _Pack(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_author("MECC Portal")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.set_text_color(*NHS_BLUE)
    pdf.multi_cell(0, 9, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", size=10)
    for words in filter_words:
        pdf.multi_cell(0, 6, _latin1(words), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, _latin1(DISCLOSURE_NOTE), new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, "Headline figures")
    _table(pdf, ["Figure", "Value"], [[h.label, h.value] for h in headlines])
    for chart in charts:
        _heading(pdf, chart.title)
        pdf.set_font("Helvetica", size=9)
        if chart.kind == "spc" or chart.kind == "table":
            pdf.multi_cell(0, 5, _latin1(chart.summary), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if chart.rows:
            _table(pdf, chart.headings, chart.rows)
        else:
            pdf.multi_cell(0, 6, "None recorded.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.set_text_color(*NHS_BLUE)
    pdf.multi_cell(0, 8, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _table(pdf: FPDF, headings: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    pdf.set_font("Helvetica", size=9)
    widths = (3, *([2] * (len(headings) - 1))) if len(headings) > 2 else (3, 1)
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 237, 238)),
        line_height=6,
        text_align=("LEFT", *(["RIGHT"] * (len(headings) - 1))),
    ) as table:
        table.row([_latin1(h) for h in headings])
        for row in rows:
            table.row([_latin1(cell) for cell in row])


def report_xlsx(
    *,
    title: str,
    filter_words: Sequence[str],
    headlines: Sequence[Headline],
    charts: Sequence[Chart],
) -> bytes:
    return workbook_bytes(headlines, charts, [title, *filter_words])
