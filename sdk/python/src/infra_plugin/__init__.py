"""The Python SDK for infra plugins: providers and policy packs that run out of process and speak ``infra-plugin/1``."""
from typing import TYPE_CHECKING, Any

from .errors import ErrorCodes, PluginError
from .provider import Provider, diff_inputs, provider_info, provider_methods, serve_provider
from .rpc import PROTOCOL_VERSION, PluginInfo, serve
from .values import UNKNOWN, PropertyMap, PropertyValue, Secret, Unknown, from_wire, is_fully_known, to_wire, unwrap

if TYPE_CHECKING:
    from .policy import Policy, PolicyPack, ResourcePolicyContext, StackPolicyContext, policy_methods, serve_policy_pack
    from .protocol import name_of

# A provider needs neither the policy module (its dataclasses) nor the protocol's message types (typing only): loading
# them cost every plugin's start 3 ms of CPU, so each is imported on the first use of one of its names.
_LAZY = {
    **dict.fromkeys(("Policy", "PolicyPack", "ResourcePolicyContext", "StackPolicyContext", "policy_methods", "serve_policy_pack"), "policy"),
    "name_of": "protocol",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'infra_plugin' has no attribute '{name}'")
    import importlib
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "ErrorCodes", "PluginError", "Policy", "PolicyPack", "ResourcePolicyContext", "StackPolicyContext", "policy_methods",
    "serve_policy_pack", "Provider", "diff_inputs", "provider_info", "provider_methods", "serve_provider", "name_of", "PROTOCOL_VERSION",
    "PluginInfo", "serve", "UNKNOWN", "PropertyMap", "PropertyValue", "Secret", "Unknown", "from_wire", "is_fully_known",
    "to_wire", "unwrap",
]
