"""An example policy pack: tenant ids must be on an allow list read from a file.

A resource carries a tenant id in its ``tenantId`` input or, for a Kubernetes object, in the
``infra.dev/tenant`` label. The allow list is a text file with one tenant id per line (``#`` starts a comment),
named by the pack's ``allowListFile`` setting.
"""
from __future__ import annotations

import os
from typing import Optional

from infra_plugin import PolicyPack, PropertyValue, ResourcePolicyContext, StackPolicyContext, serve_policy_pack, unwrap
from infra_plugin.protocol import PolicyResource

TENANT_LABEL = "infra.dev/tenant"

pack = PolicyPack(
    name="tenant-allowlist",
    version="0.1.0",
    description="Tenant ids come from an allow list, and a stack serves one tenant.",
    config=[{"key": "allowListFile", "type": "string", "description": "The allow list: one tenant id per line.", "required": True}],
)


def tenant_of(resource: PolicyResource) -> Optional[PropertyValue]:
    """The resource's tenant id, from ``tenantId`` or the ``infra.dev/tenant`` label; None when it has none."""
    inputs = resource.get("inputs", {})
    if "tenantId" in inputs:
        return unwrap(inputs["tenantId"])
    metadata = unwrap(inputs.get("metadata"))
    labels = unwrap(metadata.get("labels")) if isinstance(metadata, dict) else None
    return unwrap(labels.get(TENANT_LABEL)) if isinstance(labels, dict) and TENANT_LABEL in labels else None


def read_allow_list(path: str) -> set[str]:
    with open(path, encoding="utf-8") as file:
        return {line.split("#", 1)[0].strip() for line in file} - {""}


@pack.resource_policy("tenant-on-allow-list", "A resource's tenant id is on the allow list.", default_level="mandatory")
def tenant_on_allow_list(context: ResourcePolicyContext) -> None:
    tenant = tenant_of(context.resource)
    if tenant is None or not isinstance(tenant, str):
        return  # no tenant id, or one known only at apply time
    path = context.pack_config.get("allowListFile")
    if not isinstance(path, str):
        context.report("set the pack's 'allowListFile' to the allow list's path.")
        return
    if tenant not in read_allow_list(path):
        context.report(f"tenant '{tenant}' is not on the allow list {os.path.basename(path)}; add it there or fix the tenant id.")


@pack.stack_policy("one-tenant-per-stack", "A stack's resources belong to one tenant at most.", default_level="mandatory")
def one_tenant_per_stack(context: StackPolicyContext) -> None:
    owners: dict[str, PolicyResource] = {}
    for resource in context.resources:
        tenant = tenant_of(resource)
        if isinstance(tenant, str):
            owners.setdefault(tenant, resource)
    if len(owners) > 1:
        first, *others = sorted(owners)
        for tenant in others:
            context.report(f"the stack already serves tenant '{first}'; tenant '{tenant}' needs a stack of its own.", owners[tenant])


if __name__ == "__main__":
    serve_policy_pack(pack)
