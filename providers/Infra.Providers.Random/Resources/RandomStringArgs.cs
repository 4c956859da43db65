namespace Infra.Providers.Random;

/// <summary>Args for <see cref="RandomString"/> and <see cref="RandomPassword"/>.</summary>
public record RandomStringArgs
{
    /// <summary>Number of characters (1 to 1024).</summary>
    public required Input<int> Length { get; init; }

    /// <summary>Include upper-case letters. Default true.</summary>
    public Input<bool>? Upper { get; init; }

    /// <summary>Include lower-case letters. Default true.</summary>
    public Input<bool>? Lower { get; init; }

    /// <summary>Include digits. Default true.</summary>
    public Input<bool>? Numeric { get; init; }

    /// <summary>Include special characters. Default true.</summary>
    public Input<bool>? Special { get; init; }

    /// <summary>The special characters to use instead of the default set.</summary>
    public Input<string>? OverrideSpecial { get; init; }

    /// <summary>At least this many upper-case letters.</summary>
    public Input<int>? MinUpper { get; init; }

    /// <summary>At least this many lower-case letters.</summary>
    public Input<int>? MinLower { get; init; }

    /// <summary>At least this many digits.</summary>
    public Input<int>? MinNumeric { get; init; }

    /// <summary>At least this many special characters.</summary>
    public Input<int>? MinSpecial { get; init; }

    /// <summary>Arbitrary values; changing any of them generates a new value.</summary>
    public InputMap<string>? Keepers { get; init; }
}

/// <summary>Args for <see cref="RandomPassword"/>.</summary>
public sealed record RandomPasswordArgs : RandomStringArgs;
