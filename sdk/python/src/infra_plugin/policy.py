"""Policy packs: declare a :class:`PolicyPack`, register policies with its decorators, call :func:`serve_policy_pack`."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .errors import PluginError
from .protocol import EnforcementLevel, PolicyConfigProperty, PolicyResource, PolicySelector
from .rpc import PluginInfo, run, serve
from .values import PropertyMap


@dataclass
class ResourcePolicyContext:
    """What a resource policy sees, and where it reports problems."""

    stack: str
    resource: PolicyResource
    config: PropertyMap
    pack_config: PropertyMap
    reports: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> PropertyMap:
        """The inputs (secrets marked; unknowns possible in a preview: skip what cannot be decided yet)."""
        return self.resource.get("inputs", {})

    def report(self, message: str) -> None:
        """Reports one problem: what is wrong and how to fix it. Never include a secret value."""
        self.reports.append(message)


@dataclass
class StackPolicyContext:
    """What a stack policy sees, and where it reports problems."""

    stack: str
    resources: list[PolicyResource]
    config: PropertyMap
    pack_config: PropertyMap
    reports: list[dict[str, str]] = field(default_factory=list)

    def report(self, message: str, resource: Optional[PolicyResource] = None) -> None:
        """Reports one problem, naming the resource at fault when there is one."""
        self.reports.append({"message": message} if resource is None else {"message": message, "urn": resource["urn"]})


@dataclass
class Policy:
    name: str
    description: str
    kind: str
    validate: Callable[[Any], Any]
    default_level: EnforcementLevel = "advisory"
    selector: Optional[PolicySelector] = None
    config: list[PolicyConfigProperty] = field(default_factory=list)
    remediate: Optional[Callable[[ResourcePolicyContext], Any]] = None


@dataclass
class PolicyPack:
    """A named, versioned set of policies."""

    name: str
    version: str
    description: str = ""
    config: list[PolicyConfigProperty] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)

    def resource_policy(self, name: str, description: str, *, default_level: EnforcementLevel = "advisory",
                        selector: Optional[PolicySelector] = None,
                        config: Optional[list[PolicyConfigProperty]] = None) -> Callable[[Callable[[ResourcePolicyContext], Any]], Policy]:
        """Registers a function ``(ResourcePolicyContext) -> None`` as a resource policy."""
        def register(validate: Callable[[ResourcePolicyContext], Any]) -> Policy:
            policy = Policy(name, description, "resource", validate, default_level, selector, config or [])
            self.policies.append(policy)
            return policy
        return register

    def stack_policy(self, name: str, description: str, *, default_level: EnforcementLevel = "advisory",
                     config: Optional[list[PolicyConfigProperty]] = None) -> Callable[[Callable[[StackPolicyContext], Any]], Policy]:
        """Registers a function ``(StackPolicyContext) -> None`` as a stack policy."""
        def register(validate: Callable[[StackPolicyContext], Any]) -> Policy:
            policy = Policy(name, description, "stack", validate, default_level, None, config or [])
            self.policies.append(policy)
            return policy
        return register

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "config": self.config,
            "policies": [{
                "name": p.name,
                "description": p.description,
                "kind": p.kind,
                "defaultLevel": p.default_level,
                "canRemediate": p.remediate is not None,
                "selector": p.selector,
                "config": p.config,
            } for p in self.policies],
        }

    def find(self, name: Any, kind: str) -> Policy:
        for policy in self.policies:
            if policy.name == name and policy.kind == kind:
                return policy
        raise PluginError.invalid_params(f"pack '{self.name}' has no {kind} policy '{name}'", "policy")


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def policy_methods(pack: PolicyPack) -> dict[str, Any]:
    """The protocol methods of ``pack``."""

    async def validate_resource(params: Any) -> dict[str, Any]:
        context = ResourcePolicyContext(params["stack"], params["resource"], params.get("config", {}), params.get("packConfig", {}))
        await _maybe_await(pack.find(params.get("policy"), "resource").validate(context))
        return {"violations": context.reports}

    async def remediate(params: Any) -> dict[str, Any]:
        policy = pack.find(params.get("policy"), "resource")
        if policy.remediate is None:
            raise PluginError.invalid_params(f"policy '{policy.name}' cannot remediate", "policy")
        context = ResourcePolicyContext(params["stack"], params["resource"], params.get("config", {}), params.get("packConfig", {}))
        return {"inputs": await _maybe_await(policy.remediate(context))}

    async def validate_stack(params: Any) -> dict[str, Any]:
        context = StackPolicyContext(params["stack"], params["resources"], params.get("config", {}), params.get("packConfig", {}))
        await _maybe_await(pack.find(params.get("policy"), "stack").validate(context))
        return {"violations": context.reports}

    return {
        "describe": lambda _params: pack.describe(),
        "validateResource": validate_resource,
        "remediate": remediate,
        "validateStack": validate_stack,
    }


def serve_policy_pack(pack: PolicyPack, **io: Any) -> None:
    """Serves ``pack`` on stdin and stdout until the engine closes stdin."""
    run(serve(PluginInfo(pack.name, pack.version, ("policy",)), policy_methods(pack), **io), end_process=not io)
