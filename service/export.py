"""Service export: leads as CSV or XLSX for analysts (cells that look like formulas are neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from core.schemas import LeadRecord

COLUMNS: tuple[str, ...] = (
    "id", "status", "org", "project", "location", "region_code", "amount_cny", "amount", "currency", "industry",
    "stage", "event_date", "confidence", "evidence", "document_id", "version", "merged_into", "updated_at",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Crawled text is hostile: a string that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
        if value.startswith(_FORMULA_START):
            return "'" + value
        return value
    if isinstance(value, int | float):
        return value
    return str(value)


def lead_rows(leads: Sequence[LeadRecord]) -> list[list[Any]]:
    return [[safe_cell(getattr(lead, col)) for col in COLUMNS] for lead in leads]


def leads_csv(leads: Sequence[LeadRecord]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(lead_rows(leads))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def leads_xlsx(leads: Sequence[LeadRecord]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "leads"
    sheet.append(list(COLUMNS))
    for row in lead_rows(leads):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
