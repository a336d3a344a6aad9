"""Sample site attachments: a PDF (reportlab, CID font STSong-Light) and a DOCX (python-docx), built deterministically."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

PDF_TITLE = "合肥市集成电路产业政策申报指南（示例文本）"
PDF_LINES = (
    PDF_TITLE,
    "一、申报条件：在合肥市注册的集成电路企业，固定资产投资不低于10亿元。",
    "二、申报材料：项目备案文件、投资到位证明、企业营业执照复印件。",
    "三、受理时间：2023年7月1日至2023年8月31日。",
    "四、受理部门：合肥市投资促进局。",
)
DOCX_TITLE = "安庆市招商引资重大项目奖励申请表（示例文本）"
DOCX_LINES = (
    "引荐人姓名或单位名称：",
    "引进项目名称：新能源汽车零部件生产基地项目",
    "项目固定资产投资：5亿元，实际到位资金：3亿元",
    "申请奖励金额：30万元",
)


def build_pdf() -> bytes:
    """A one-page Chinese PDF whose text pdfplumber can extract."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(PDF_TITLE)
    y = 780
    for n, line in enumerate(PDF_LINES):
        c.setFont("STSong-Light", 16 if n == 0 else 11)
        c.drawString(50, y, line)
        y -= 28
    c.showPage()
    c.save()
    return buf.getvalue()


def build_docx() -> bytes:
    """A DOCX with a heading, paragraphs and a table."""
    import docx

    document = docx.Document()
    fixed = dt.datetime(2022, 9, 1, 9, 0, 0)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.core_properties.title = DOCX_TITLE
    document.add_heading(DOCX_TITLE, level=1)
    for line in DOCX_LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "审核单位"
    table.cell(0, 1).text = "安庆市投资促进中心"
    table.cell(1, 0).text = "联系电话"
    table.cell(1, 1).text = "0556-0000000"
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so the DOCX bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2022, 9, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
