using Infra.Policy;

namespace Infra.Policies;

/// <summary>What a <see cref="StackPolicy"/> sees of the stack, its config, and where it reports problems.</summary>
public sealed class StackPolicyContext
{
    private readonly List<(string? Urn, string Message)> _reports = [];

    internal StackPolicyContext(string stack, IReadOnlyList<PolicyResource> resources, PolicyConfig config, PolicyConfig packConfig)
    {
        Stack = stack;
        Resources = resources;
        Config = config;
        PackConfig = packConfig;
    }

    /// <summary>The stack being checked.</summary>
    public string Stack { get; }

    /// <summary>Every resource the stack will have after the operation, with remediated inputs, in declaration order.</summary>
    public IReadOnlyList<PolicyResource> Resources { get; }

    /// <summary>This policy's settings for the stack.</summary>
    public PolicyConfig Config { get; }

    /// <summary>The pack's shared settings for the stack.</summary>
    public PolicyConfig PackConfig { get; }

    /// <summary>The problems reported so far.</summary>
    internal IReadOnlyList<(string? Urn, string Message)> Reports => _reports;

    /// <summary>The resources <paramref name="selector"/> matches.</summary>
    public IEnumerable<PolicyResource> Select(ResourceSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Resources.Where(selector.Matches);
    }

    /// <summary>Reports a problem with one resource; the violation carries its URN.</summary>
    public void Report(PolicyResource resource, string message)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _reports.Add((resource.Urn, message));
    }

    /// <summary>Reports a problem with the stack as a whole (no single resource is at fault).</summary>
    public void Report(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _reports.Add((null, message));
    }
}
