"""Service review actions: approve, reject, edit, merge, undo — analyst keys only, version-checked and audited."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from core.errors import ConflictError, InputError
from core.schemas import LeadRecord
from service.auth import ReviewActorDep as ActorDep
from service.deps import RegionsDep, StoreDep
from service.errors import ERROR_RESPONSES
from service.responses import ApproveRequest, EditRequest, MergeRequest, RejectRequest

router = APIRouter(prefix="/v1/leads", tags=["review"], responses=ERROR_RESPONSES)


def checked_changes(changes: dict[str, Any], regions: RegionsDep) -> dict[str, Any]:
    """A region code must exist; a new location without a code gets the code of the place it names."""
    changes = dict(changes)
    code = changes.get("region_code")
    if isinstance(code, str) and code.strip():
        changes["region_code"] = regions.get(code.strip()).code
    elif code is not None and not isinstance(code, str):
        raise InputError("region_code must be a 6-digit string or null")
    location = changes.get("location")
    if "region_code" not in changes and isinstance(location, str) and location.strip():
        region = regions.lookup(location.strip())
        if region is not None:
            changes["region_code"] = region.code
    return changes


@router.post("/{lead_id}/approve", response_model=LeadRecord, summary="Approve a lead")
def approve(lead_id: int, body: ApproveRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    return store.set_lead_status(lead_id, "approved", actor=actor, expected_version=body.version)


@router.post("/{lead_id}/reject", response_model=LeadRecord, summary="Reject a lead (a reason is required)")
def reject(lead_id: int, body: RejectRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    return store.set_lead_status(lead_id, "rejected", actor=actor, expected_version=body.version,
                                 reason=body.reason.strip())


@router.post("/{lead_id}/edit", response_model=LeadRecord, summary="Correct fields of a lead")
def edit(lead_id: int, body: EditRequest, store: StoreDep, regions: RegionsDep, actor: ActorDep) -> LeadRecord:
    changes = checked_changes(body.changes, regions)
    return store.update_lead(lead_id, changes, actor=actor, expected_version=body.version)


@router.post("/{lead_id}/merge", response_model=LeadRecord, summary="Fold duplicate leads into this one")
def merge(lead_id: int, body: MergeRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    keep = store.get_lead(lead_id)
    if keep.status == "merged":
        raise ConflictError(f"lead {lead_id} is itself merged into {keep.merged_into}; merge into that lead instead")
    duplicates = sorted(set(body.duplicate_ids))
    for dup_id in duplicates:
        dup = store.get_lead(dup_id)
        if dup.status == "merged":
            raise ConflictError(f"lead {dup_id} is already merged into {dup.merged_into}")
    return store.merge_leads(lead_id, duplicates, actor=actor, expected_version=body.version)


@router.post("/{lead_id}/undo", response_model=LeadRecord, summary="Undo the last review action on a lead")
def undo(lead_id: int, body: ApproveRequest, store: StoreDep, actor: ActorDep) -> LeadRecord:
    return store.undo_last(lead_id, actor=actor, expected_version=body.version)
