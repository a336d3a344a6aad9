"""Attachment text: the sample site's PDF and DOCX, and detection of formats without an extractor."""

from __future__ import annotations

from crawler.extract import attachments as att
from crawler.extract import extract_attachment, kind_of
from crawler.sample_site.files import DOCX_LINES, PDF_LINES


def test_pdf_text_is_extracted_with_chinese(site):
    body = site["/zcwj/files/hf_ic_2023_guide.pdf"].body
    a = extract_attachment("http://x/zcwj/files/hf_ic_2023_guide.pdf", body, content_type="application/pdf")
    assert a.kind == "pdf" and a.error is None
    for line in PDF_LINES:
        assert line in a.text


def test_docx_text_includes_paragraphs_and_table(site):
    a = extract_attachment("http://x/f.docx", site["/zcwj/files/aq_award_2022_form.docx"].body)
    assert a.kind == "docx" and a.error is None
    for line in DOCX_LINES:
        assert line.strip() in a.text
    assert "安庆市投资促进中心" in a.text


def test_wps_and_xls_are_detected_and_reported():
    wps = extract_attachment("http://x/notice.wps", b"\xd0\xcf\x11\xe0whatever")
    xls = extract_attachment("http://x/list.xls", b"\xd0\xcf\x11\xe0whatever")
    assert (wps.kind, wps.text) == ("wps", None) and "WPS" in wps.error
    assert (xls.kind, xls.text) == ("xls", None) and "XLS" in xls.error


def test_missing_catdoc_is_reported(monkeypatch):
    monkeypatch.setattr(att.shutil, "which", lambda name: None)
    a = extract_attachment("http://x/old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert a.text is None and "catdoc" in a.error


def test_corrupt_pdf_and_docx_give_errors_not_crashes():
    pdf = extract_attachment("http://x/bad.pdf", b"%PDF-1.4 garbage")
    docx = extract_attachment("http://x/bad.docx", b"PK\x03\x04garbage")
    assert pdf.text is None and pdf.error
    assert docx.text is None and "DOCX" in docx.error


def test_kind_from_magic_bytes_beats_extension():
    assert kind_of("http://x/download.jsp?id=3", "application/octet-stream", b"%PDF-1.7") == "pdf"
    assert kind_of("http://x/a.et") == "xls"
    assert kind_of("http://x/a.bin", "application/msword") == "doc"
