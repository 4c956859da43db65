"""The Python SDK for infra plugins: providers and policy packs that run out of process and speak ``infra-plugin/1``."""
from .errors import ErrorCodes, PluginError
from .policy import Policy, PolicyPack, ResourcePolicyContext, StackPolicyContext, policy_methods, serve_policy_pack
from .provider import Provider, diff_inputs, provider_info, provider_methods, serve_provider
from .protocol import name_of
from .rpc import PROTOCOL_VERSION, PluginInfo, serve
from .values import UNKNOWN, PropertyMap, PropertyValue, Secret, Unknown, from_wire, is_fully_known, to_wire, unwrap

__all__ = [
    "ErrorCodes", "PluginError", "Policy", "PolicyPack", "ResourcePolicyContext", "StackPolicyContext", "policy_methods",
    "serve_policy_pack", "Provider", "diff_inputs", "provider_info", "provider_methods", "serve_provider", "name_of", "PROTOCOL_VERSION",
    "PluginInfo", "serve", "UNKNOWN", "PropertyMap", "PropertyValue", "Secret", "Unknown", "from_wire", "is_fully_known",
    "to_wire", "unwrap",
]
