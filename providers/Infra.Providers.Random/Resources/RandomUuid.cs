namespace Infra.Providers.Random;

/// <summary>Args for <see cref="RandomUuid"/>.</summary>
public sealed record RandomUuidArgs
{
    /// <summary>Arbitrary values; changing any of them generates a new UUID.</summary>
    public InputMap<string>? Keepers { get; init; }
}

/// <summary>A random version-4 UUID; the resource ID is the UUID.</summary>
public sealed class RandomUuid : CustomResource
{
    /// <summary>Declares a random UUID.</summary>
    public RandomUuid(string name, RandomUuidArgs? args = null, CustomResourceOptions? options = null)
        : base(RandomProvider.UuidType, name, args ?? new RandomUuidArgs(), options)
    {
    }

    /// <summary>The UUID.</summary>
    public Output<string> Result => GetOutput<string>("result");
}
