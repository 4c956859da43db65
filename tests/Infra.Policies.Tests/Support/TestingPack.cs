using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Tests.Support;

/// <summary>A pack whose policies misbehave on purpose, to prove that failures are reported, never passed.</summary>
internal sealed class TestingPack : PolicyPack
{
    public override string Name => "testing";

    public override string Version => "0.0.1";

    public override IReadOnlyList<PolicyDefinition> Policies { get; } =
        [new ThrowingResourcePolicy(), new ThrowingStackPolicy(), new UnfixableRemediation()];

    /// <summary>Throws on every resource it selects (resources named <c>boom</c>).</summary>
    internal sealed class ThrowingResourcePolicy : ResourcePolicy
    {
        public override string Name => "throws-on-resource";

        public override string Description => "Throws while validating.";

        public override EnforcementLevel DefaultLevel => EnforcementLevel.Advisory;

        public override ResourceSelector Selector { get; } = ResourceSelector.Where("resources named boom", static r => r.Name == "boom");

        public override void Validate(ResourcePolicyContext context) =>
            throw new InvalidOperationException("the lookup table is missing\nsecond line");
    }

    /// <summary>Throws whenever it runs; disabled unless a test turns it on.</summary>
    internal sealed class ThrowingStackPolicy : StackPolicy
    {
        public override string Name => "throws-on-stack";

        public override string Description => "Throws while validating the stack.";

        public override EnforcementLevel DefaultLevel => EnforcementLevel.Disabled;

        public override void Validate(StackPolicyContext context) => throw new KeyNotFoundException("no such key");
    }

    /// <summary>Reports resources named <c>unfixable</c> and cannot fix them.</summary>
    internal sealed class UnfixableRemediation : RemediatingResourcePolicy
    {
        public override string Name => "unfixable";

        public override string Description => "Reports what its remediation cannot fix.";

        public override ResourceSelector Selector { get; } = ResourceSelector.Where("resources named unfixable", static r => r.Name == "unfixable");

        public override void Validate(ResourcePolicyContext context) => context.Report("this cannot be fixed automatically.");

        public override PropertyMap Remediate(ResourcePolicyContext context) => context.Inputs;
    }
}
