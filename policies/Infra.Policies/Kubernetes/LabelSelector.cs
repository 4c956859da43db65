using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Policies.Kubernetes;

/// <summary>
/// A Kubernetes label selector (<c>matchLabels</c> and <c>matchExpressions</c>), evaluated the way the API server
/// does, so a policy can ask "would this selector pick that namespace?".
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(ImmutableDictionary<string, string> matchLabels, ImmutableArray<LabelRequirement> expressions)
    {
        MatchLabels = matchLabels;
        Expressions = expressions;
    }

    /// <summary>Labels that must be present with these values.</summary>
    public ImmutableDictionary<string, string> MatchLabels { get; }

    /// <summary>Further requirements.</summary>
    public ImmutableArray<LabelRequirement> Expressions { get; }

    /// <summary>True for the empty selector <c>{}</c>, which selects everything.</summary>
    public bool SelectsEverything => MatchLabels.IsEmpty && Expressions.IsEmpty;

    /// <summary>
    /// Reads a selector; <see langword="null"/> when <paramref name="value"/> is not a fully known object (so the caller
    /// can tell "no selector" and "not known yet" apart before calling).
    /// </summary>
    public static LabelSelector? Parse(PropertyValue? value)
    {
        if (value is null || !value.IsFullyKnown || value.Unwrapped.Kind != PropertyValueKind.Object)
        {
            return null;
        }

        var map = value.Unwrapped.AsObject;
        var expressions = map.ArrayAt("matchExpressions")
            .Where(static e => e.Unwrapped.Kind == PropertyValueKind.Object)
            .Select(static e => e.Unwrapped.AsObject)
            .Select(static e => new LabelRequirement(
                e.StringAt("key") ?? string.Empty,
                e.StringAt("operator") ?? string.Empty,
                [.. e.ArrayAt("values").Select(static v => v.TryGetString(out var s) ? s : string.Empty)]))
            .ToImmutableArray();
        return new LabelSelector(map.StringMapAt("matchLabels").ToImmutableDictionary(StringComparer.Ordinal), expressions);
    }

    /// <summary>True when an object with <paramref name="labels"/> is selected.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value) && Expressions.All(e => e.Matches(labels));
    }

    /// <summary>Every value the selector mentions for <paramref name="key"/>.</summary>
    public IEnumerable<string> ValuesFor(string key)
    {
        if (MatchLabels.TryGetValue(key, out var value))
        {
            yield return value;
        }

        foreach (var expression in Expressions.Where(e => e.Key == key))
        {
            foreach (var item in expression.Values)
            {
                yield return item;
            }
        }
    }
}

/// <summary>One <c>matchExpressions</c> entry.</summary>
/// <param name="Key">The label key.</param>
/// <param name="Operator"><c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.</param>
/// <param name="Values">The values for <c>In</c> and <c>NotIn</c>.</param>
public sealed record LabelRequirement(string Key, string Operator, ImmutableArray<string> Values)
{
    /// <summary>True when <paramref name="labels"/> satisfy the requirement; an unknown operator matches nothing.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "In" => present && Values.Contains(value!, StringComparer.Ordinal),
            "NotIn" => !present || !Values.Contains(value!, StringComparer.Ordinal),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => false,
        };
    }
}
