from infra_plugin import PolicyPack, ResourcePolicyContext, serve_policy_pack, unwrap

pack = PolicyPack(name="short-strings", version="0.1.0", description="Synthetic strings stay short.")


@pack.resource_policy("max-length", "Synthetic strings are at most 'max' characters long.",
                      default_level="mandatory", selector={"types": ["synthetic:index:Resource"]},
                      config=[{"key": "max", "type": "integer", "description": "The longest length allowed.", "default": 8}])
def max_length(context: ResourcePolicyContext) -> None:
    # Exercise: report a resource whose 'length' input is longer than the 'max' setting (default 8), saying how to
    # fix it. A length not known until apply must pass.
    pass


if __name__ == "__main__":
    serve_policy_pack(pack)
