using System.Collections.Immutable;

namespace Infra;

/// <summary>
/// A config key has no usable value: it is required but not set, or it is secret and was given in plaintext. It
/// carries what setting it needs, so each host can say how in its own terms (a CLI command, a request field).
/// </summary>
public sealed class MissingConfigException : ConfigException
{
    /// <summary>Creates the error for <paramref name="key"/> in <paramref name="file"/>.</summary>
    /// <param name="file">The stack settings file.</param>
    /// <param name="key">The key to set.</param>
    /// <param name="problem">What is wrong, e.g. <c>is required but not set</c>.</param>
    /// <param name="stack">The stack, when known.</param>
    /// <param name="secret">Whether the value must be set as a secret.</param>
    /// <param name="valueHint">What the value is, e.g. <c>plan</c> or <c>admin connection</c>.</param>
    /// <param name="choices">The values allowed, when there are few.</param>
    public MissingConfigException(
        string file, string key, string problem = "is required but not set", string? stack = null, bool secret = false, string valueHint = "value",
        IEnumerable<string>? choices = null)
        : this(file, key, problem, stack, secret, valueHint, choices?.ToImmutableArray() ?? [])
    {
    }

    private MissingConfigException(string file, string key, string problem, string? stack, bool secret, string valueHint, ImmutableArray<string> choices)
        : base(file, key, choices.IsEmpty ? $"{problem}." : $"{problem}; use one of {string.Join(", ", choices)}.")
    {
        Problem = problem;
        Stack = stack;
        Secret = secret;
        ValueHint = valueHint;
        Choices = choices;
    }

    /// <summary>What is wrong, e.g. <c>is required but not set</c>.</summary>
    public string Problem { get; }

    /// <summary>The stack whose settings file it is, when known.</summary>
    public string? Stack { get; }

    /// <summary>Whether the value must be set as a secret.</summary>
    public bool Secret { get; }

    /// <summary>What the value is, for a placeholder such as <c>&lt;plan&gt;</c>.</summary>
    public string ValueHint { get; }

    /// <summary>The values allowed, when there are few; empty otherwise.</summary>
    public ImmutableArray<string> Choices { get; }
}
