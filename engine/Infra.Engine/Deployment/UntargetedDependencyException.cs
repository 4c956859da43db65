namespace Infra.Deployment;

/// <summary>
/// A targeted resource reads a resource that is not targeted and does not exist yet, so it cannot be planned;
/// <see cref="Dependency"/> must be targeted too.
/// </summary>
public sealed class UntargetedDependencyException : ResourceException
{
    /// <summary>Creates the error for <paramref name="urn"/>, which reads <paramref name="dependency"/>.</summary>
    public UntargetedDependencyException(string urn, string dependency)
        : base(urn, $"it depends on '{dependency}', which is not targeted and does not exist yet; target it too.")
    {
        Dependency = dependency;
    }

    /// <summary>The URN of the resource that must be targeted too.</summary>
    public string Dependency { get; }
}
