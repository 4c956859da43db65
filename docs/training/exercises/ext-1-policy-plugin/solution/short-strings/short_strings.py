from infra_plugin import PolicyPack, ResourcePolicyContext, serve_policy_pack, unwrap

pack = PolicyPack(name="short-strings", version="0.1.0", description="Synthetic strings stay short.")


@pack.resource_policy("max-length", "Synthetic strings are at most 'max' characters long.",
                      default_level="mandatory", selector={"types": ["synthetic:index:Resource"]},
                      config=[{"key": "max", "type": "integer", "description": "The longest length allowed.", "default": 8}])
def max_length(context: ResourcePolicyContext) -> None:
    longest = context.config.get("max", 8)
    length = unwrap(context.inputs.get("length"))
    if isinstance(length, (int, float)) and length > longest:
        context.report(f"set length to at most {longest} (it is {length:g}).")


if __name__ == "__main__":
    serve_policy_pack(pack)
