using System.Collections.Immutable;
using Infra.Plugins.Protocol;
using Infra.Values;

namespace Infra.Policies.Plugins;

/// <summary>Turns a plugin's declared settings into the policy SDK's schema, so stack settings are checked the same way for every pack.</summary>
internal static class PolicyConfigMapping
{
    public static PolicyConfigSchema ToSchema(ImmutableArray<PolicyConfigDescription> properties)
    {
        var schema = PolicyConfigSchema.Empty;
        foreach (var p in properties.IsDefault ? [] : properties)
        {
            schema = p.Type switch
            {
                "boolean" => schema.Boolean(p.Key, p.Description, p.Default?.Unwrapped.TryGetBool(out var b) == true ? b : null, p.Required),
                "integer" => schema.Integer(p.Key, p.Description, Number(p.Default) is { } i ? (long)i : null, p.Minimum is { } m ? (long)m : null, p.Required),
                "number" => schema.Number(p.Key, p.Description, Number(p.Default), p.Minimum, p.Required),
                "string" => schema.String(p.Key, p.Description, p.Default?.Unwrapped.TryGetString(out var s) == true ? s : null, p.AllowedValues, p.Required),
                "stringList" => schema.StringList(p.Key, p.Description,
                    p.Default?.Unwrapped is { Kind: PropertyValueKind.Array } list ? list.AsArray.Select(static v => v.AsString) : null, p.AllowedValues, p.Required),
                _ => throw new InfraException($"policy setting '{p.Key}' has the type '{p.Type}'; use boolean, integer, number, string or stringList."),
            };
        }

        return schema;
    }

    /// <summary>The protocol's form of a C# pack's settings, for a pack served out of process.</summary>
    public static ImmutableArray<PolicyConfigDescription> FromSchema(PolicyConfigSchema schema) =>
        [.. schema.Properties.Select(static p => new PolicyConfigDescription(
            p.Key, p.Type == PolicyConfigType.StringList ? "stringList" : p.TypeName, p.Description, p.Default, p.Required, p.Minimum, p.AllowedValues.IsDefaultOrEmpty ? null : p.AllowedValues))];

    private static double? Number(PropertyValue? value) => value?.Unwrapped.TryGetNumber(out var n) == true ? n : null;
}
