using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Values;

namespace Infra;

/// <summary>Turns a resource's args record into a property bag, evaluating every input in a scope.</summary>
internal static class InputEvaluator
{
    public static async ValueTask<PropertyMap> EvaluateArgsAsync(object? args, OutputScope scope)
    {
        if (args is null)
        {
            return PropertyMap.Empty;
        }

        var value = await EvaluateAsync(args, scope).ConfigureAwait(false);
        return value.Kind == PropertyValueKind.Object ? value.AsObject : PropertyMap.Empty;
    }

    /// <summary>Adds every resource the args read to <paramref name="into"/>, without evaluating anything.</summary>
    public static void CollectResources(object? value, HashSet<Resource> into)
    {
        switch (value)
        {
            case null or string or PropertyValue or PropertyMap or JsonElement or JsonNode:
                return;
            case IOutputSource source:
                source.Node.CollectResources(into);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    CollectResources(entry.Value, into);
                }

                return;
            case IEnumerable sequence:
                foreach (var item in sequence)
                {
                    CollectResources(item, into);
                }

                return;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.IsValueType)
        {
            return;
        }

        foreach (var (_, property) in ValueConverter.MembersOf(type))
        {
            CollectResources(property.GetValue(value), into);
        }
    }

    private static async ValueTask<PropertyValue> EvaluateAsync(object? value, OutputScope scope)
    {
        switch (value)
        {
            case null:
                return PropertyValue.Null;
            case string or PropertyValue or PropertyMap or JsonElement or JsonNode or Enum:
                return ValueConverter.ToProperty(value);
            case IOutputSource source:
                var data = await source.Node.EvaluateBoxedAsync(scope).ConfigureAwait(false);
                if (!data.IsKnown)
                {
                    return PropertyValue.Unknown;
                }

                var converted = await EvaluateAsync(data.Value, scope).ConfigureAwait(false);
                return data.IsSecret ? PropertyValue.Secret(converted) : converted;
            case IDictionary dictionary:
                var map = PropertyMap.CreateBuilder();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key as string ?? throw new InfraException("Only string-keyed dictionaries can be resource inputs.");
                    map[key] = await EvaluateAsync(entry.Value, scope).ConfigureAwait(false);
                }

                return PropertyValue.Create(map.ToPropertyMap());
            case IEnumerable sequence:
                var items = new List<PropertyValue>();
                foreach (var item in sequence)
                {
                    items.Add(await EvaluateAsync(item, scope).ConfigureAwait(false));
                }

                return PropertyValue.Create(items);
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsValueType)
        {
            return ValueConverter.ToProperty(value);
        }

        var builder = PropertyMap.CreateBuilder();
        foreach (var (name, property) in ValueConverter.MembersOf(type))
        {
            var member = property.GetValue(value);
            if (member is not null)
            {
                builder[name] = await EvaluateAsync(member, scope).ConfigureAwait(false);
            }
        }

        return PropertyValue.Create(builder.ToPropertyMap());
    }
}
