using Infra.Policy;
using Infra.Values;

namespace Infra.Policies;

/// <summary>What a <see cref="ResourcePolicy"/> sees of one resource, its config, and where it reports problems.</summary>
public sealed class ResourcePolicyContext
{
    private readonly List<string> _reports = [];

    internal ResourcePolicyContext(string stack, PolicyResource resource, PolicyConfig config, PolicyConfig packConfig)
    {
        Stack = stack;
        Resource = resource;
        Config = config;
        PackConfig = packConfig;
    }

    /// <summary>The stack being checked.</summary>
    public string Stack { get; }

    /// <summary>The resource: URN, type token, name, options and inputs.</summary>
    public PolicyResource Resource { get; }

    /// <summary>The resource's inputs (secrets marked; unknown values possible in a preview).</summary>
    public PropertyMap Inputs => Resource.Inputs;

    /// <summary>This policy's settings for the stack, validated against its <see cref="PolicyDefinition.Config"/>.</summary>
    public PolicyConfig Config { get; }

    /// <summary>The pack's shared settings for the stack, validated against <see cref="PolicyPack.Config"/>.</summary>
    public PolicyConfig PackConfig { get; }

    /// <summary>The problems reported so far.</summary>
    internal IReadOnlyList<string> Reports => _reports;

    /// <summary>
    /// Reports one problem with the resource. Say what is wrong and how to fix it, naming the property path; never
    /// include a secret value.
    /// </summary>
    public void Report(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _reports.Add(message);
    }
}
