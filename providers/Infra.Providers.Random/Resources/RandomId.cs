namespace Infra.Providers.Random;

/// <summary>Args for <see cref="RandomId"/>.</summary>
public sealed record RandomIdArgs
{
    /// <summary>Number of random bytes (1 to 1024).</summary>
    public required Input<int> ByteLength { get; init; }

    /// <summary>A prefix for the hex, base64url and decimal forms.</summary>
    public Input<string>? Prefix { get; init; }

    /// <summary>Arbitrary values; changing any of them generates a new ID.</summary>
    public InputMap<string>? Keepers { get; init; }
}

/// <summary>Random bytes, exposed as hex, base64url and decimal; the resource ID is the base64url form.</summary>
public sealed class RandomId : CustomResource
{
    /// <summary>Declares a random ID.</summary>
    public RandomId(string name, RandomIdArgs args, CustomResourceOptions? options = null)
        : base(RandomProvider.IdType, name, args, options)
    {
    }

    /// <summary>The bytes as lower-case hex, with the prefix.</summary>
    public Output<string> Hex => GetOutput<string>("hex");

    /// <summary>The bytes as base64url, with the prefix.</summary>
    public Output<string> B64Url => GetOutput<string>("b64Url");

    /// <summary>The bytes as a decimal number, with the prefix.</summary>
    public Output<string> Dec => GetOutput<string>("dec");
}
