"""Store repository, documents aggregate: crawl sources, raw documents and near-duplicate stories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from core.schemas import Document
from core.store.base import Repository, get_row
from core.store.tables import DocumentRow, SourceRow, StoryRow


def document_from_row(row: DocumentRow) -> Document:
    return Document.model_validate(
        {c: getattr(row, c) for c in Document.model_fields if c != "attachments"} | {"attachments": row.attachments or []}
    )


class DocumentRepository(Repository):
    """Sources, documents and stories."""

    # -- sources ---------------------------------------------------------
    def upsert_source(self, name: str, *, region: str | None, region_code: str | None, kind: str, start_urls: list[str]) -> None:
        with self.db.session() as s:
            row = s.get(SourceRow, name) or SourceRow(name=name)
            row.region, row.region_code, row.kind, row.start_urls = region, region_code, kind, list(start_urls)
            s.add(row)

    def list_sources(self) -> list[dict[str, Any]]:
        with self.db.session() as s:
            rows = s.scalars(select(SourceRow).order_by(SourceRow.name)).all()
            counts = dict(s.execute(select(DocumentRow.source, func.count()).group_by(DocumentRow.source)).all())
            return [
                {"name": r.name, "region": r.region, "region_code": r.region_code, "kind": r.kind,
                 "start_urls": r.start_urls, "documents": counts.get(r.name, 0)}
                for r in rows
            ]

    # -- documents -------------------------------------------------------
    def save_document(self, doc: Document) -> tuple[int, str]:
        """Insert or update by URL. Returns (id, "created" | "updated" | "unchanged")."""
        with self.db.session() as s:
            row = s.scalars(select(DocumentRow).where(DocumentRow.url == doc.url)).first()
            data = doc.model_dump(exclude={"id", "attachments"})
            data["attachments"] = [a.model_dump() for a in doc.attachments]
            if row is None:
                row = DocumentRow(**data)
                s.add(row)
                s.flush()
                return row.id, "created"
            if row.content_hash == doc.content_hash:
                row.fetched_at = doc.fetched_at
                return row.id, "unchanged"
            for key, value in data.items():
                if key != "story_id" or value is not None:
                    setattr(row, key, value)
            row.mined_at = None
            return row.id, "updated"

    def get_document(self, doc_id: int) -> Document:
        with self.db.session() as s:
            return document_from_row(get_row(s, DocumentRow, doc_id, f"document {doc_id} does not exist"))

    def find_document_by_hash(self, content_hash: str) -> Document | None:
        with self.db.session() as s:
            row = s.scalars(select(DocumentRow).where(DocumentRow.content_hash == content_hash)).first()
            return document_from_row(row) if row else None

    def document_urls(self, source: str | None = None) -> set[str]:
        with self.db.session() as s:
            stmt = select(DocumentRow.url)
            if source:
                stmt = stmt.where(DocumentRow.source == source)
            return set(s.scalars(stmt).all())

    def list_documents(
        self, *, kind: str | None = None, source: str | None = None, unmined: bool = False,
        limit: int = 100, offset: int = 0,
    ) -> list[Document]:
        with self.db.session() as s:
            stmt = select(DocumentRow).order_by(DocumentRow.id)
            if kind:
                stmt = stmt.where(DocumentRow.kind == kind)
            if source:
                stmt = stmt.where(DocumentRow.source == source)
            if unmined:
                stmt = stmt.where(DocumentRow.mined_at.is_(None))
            return [document_from_row(r) for r in s.scalars(stmt.limit(limit).offset(offset)).all()]

    def count_documents(self, *, kind: str | None = None) -> int:
        with self.db.session() as s:
            stmt = select(func.count()).select_from(DocumentRow)
            if kind:
                stmt = stmt.where(DocumentRow.kind == kind)
            return int(s.scalar(stmt) or 0)

    # -- stories ---------------------------------------------------------
    def create_story(self, title: str) -> int:
        """A new near-duplicate group (stories row); returns its id."""
        with self.db.session() as s:
            row = StoryRow(title=title)
            s.add(row)
            s.flush()
            return row.id

    def set_story(self, doc_ids: Sequence[int], story_id: int) -> None:
        with self.db.session() as s:
            for doc_id in doc_ids:
                row = s.get(DocumentRow, doc_id)
                if row is not None:
                    row.story_id = story_id
