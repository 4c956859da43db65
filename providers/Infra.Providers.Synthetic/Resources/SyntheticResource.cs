namespace Infra.Providers.Synthetic;

/// <summary>Args of a synthetic resource.</summary>
public sealed record SyntheticResourceArgs
{
    /// <summary>Length of the random value.</summary>
    public required Input<int> Length { get; init; }

    /// <summary>A value this resource depends on (the previous resource's result in a chain); changing it replaces the resource.</summary>
    public Input<string>? Upstream { get; init; }
}

/// <summary>A random value served by the synthetic provider, which can add latency and record a simulated cloud.</summary>
public sealed class SyntheticResource : CustomResource
{
    /// <summary>The resource's type token.</summary>
    public const string TypeToken = "synthetic:index:Resource";

    /// <summary>Declares a synthetic resource.</summary>
    public SyntheticResource(string name, SyntheticResourceArgs args, CustomResourceOptions? options = null)
        : base(TypeToken, name, args, options)
    {
    }

    /// <summary>The random value.</summary>
    public Output<string> Result => GetOutput<string>("result");
}
