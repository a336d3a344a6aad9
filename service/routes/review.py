"""Service review actions: approve, reject, edit, merge, undo — each checks the expected version and is audited."""

from __future__ import annotations

from fastapi import APIRouter

from core.errors import ConflictError
from core.schemas import LeadRecord
from core.store import Store
from service.deps import ActorDep, StoreDep
from service.errors import ERROR_RESPONSES
from service.responses import ApproveRequest, EditRequest, MergeRequest, RejectRequest

router = APIRouter(prefix="/v1/leads", tags=["review"], responses=ERROR_RESPONSES)


def check_version(store: Store, lead_id: int, expected: int) -> LeadRecord:
    """For actions whose store method takes no version: refuse when the lead moved on (409)."""
    lead = store.get_lead(lead_id)
    if lead.version != expected:
        raise ConflictError(
            f"lead {lead_id} was changed by someone else (version {lead.version}, you reviewed version {expected}); reload it"
        )
    return lead


@router.post("/{lead_id}/approve", response_model=LeadRecord, summary="Approve a lead")
def approve(lead_id: int, body: ApproveRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    return store.set_lead_status(lead_id, "approved", actor=actor, expected_version=body.version)


@router.post("/{lead_id}/reject", response_model=LeadRecord, summary="Reject a lead (a reason is required)")
def reject(lead_id: int, body: RejectRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    return store.set_lead_status(lead_id, "rejected", actor=actor, expected_version=body.version,
                                 reason=body.reason.strip())


@router.post("/{lead_id}/edit", response_model=LeadRecord, summary="Correct fields of a lead")
def edit(lead_id: int, body: EditRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    return store.update_lead(lead_id, body.changes, actor=actor, expected_version=body.version)


@router.post("/{lead_id}/merge", response_model=LeadRecord, summary="Fold duplicate leads into this one")
def merge(lead_id: int, body: MergeRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    check_version(store, lead_id, body.version)
    return store.merge_leads(lead_id, sorted(set(body.duplicate_ids)), actor=actor)


@router.post("/{lead_id}/undo", response_model=LeadRecord, summary="Undo the last review action on a lead")
def undo(lead_id: int, body: ApproveRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    check_version(store, lead_id, body.version)
    return store.undo_last(lead_id, actor=actor)
