using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Policies;

/// <summary>The type of a policy setting.</summary>
public enum PolicyConfigType
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>Any number.</summary>
    Number,

    /// <summary>A string.</summary>
    String,

    /// <summary>A list of strings.</summary>
    StringList,
}

/// <summary>One setting a policy (or a pack) accepts per stack.</summary>
public sealed record PolicyConfigProperty
{
    /// <summary>The key in the settings file, e.g. <c>minDays</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The value's type.</summary>
    public required PolicyConfigType Type { get; init; }

    /// <summary>What the setting means.</summary>
    public required string Description { get; init; }

    /// <summary>The value used when the stack sets none, or <see langword="null"/> for no default.</summary>
    public PropertyValue? Default { get; init; }

    /// <summary>True when every stack must set the value (only meaningful without a default).</summary>
    public bool Required { get; init; }

    /// <summary>The smallest number allowed, for numbers and integers.</summary>
    public double? Minimum { get; init; }

    /// <summary>The values allowed, for strings and string lists; empty for any value.</summary>
    public ImmutableArray<string> AllowedValues { get; init; } = [];

    /// <summary>The type's name as written in docs and listings.</summary>
    public string TypeName => Type switch
    {
        PolicyConfigType.Boolean => "boolean",
        PolicyConfigType.Integer => "integer",
        PolicyConfigType.Number => "number",
        PolicyConfigType.String => "string",
        _ => "list of strings",
    };
}
