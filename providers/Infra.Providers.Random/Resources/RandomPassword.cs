namespace Infra.Providers.Random;

/// <summary>A random password. Its <see cref="Result"/> is a secret: it never appears in plaintext in state, plans or output.</summary>
/// <example>
/// <code>
/// var password = new RandomPassword("db-password", new RandomPasswordArgs
/// {
///     Length = 32,
///     Special = false,
///     Keepers = new InputMap&lt;string&gt; { ["rotation"] = "2026-q4" },
/// });
/// </code>
/// </example>
public sealed class RandomPassword : CustomResource
{
    /// <summary>Declares a random password.</summary>
    public RandomPassword(string name, RandomPasswordArgs args, CustomResourceOptions? options = null)
        : base(RandomProvider.PasswordType, name, args, options)
    {
    }

    /// <summary>The password (secret).</summary>
    public Output<string> Result => GetOutput<string>("result");
}
