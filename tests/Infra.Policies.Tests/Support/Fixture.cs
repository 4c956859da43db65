using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Tests.Support;

/// <summary>Resources as policies see them, written as plain property bags: JSON, with <c>{"$secret": ...}</c> and <c>{"$unknown": true}</c> markers.</summary>
internal static class Fixture
{
    public const string Stack = "dev";

    /// <summary>A resource of <paramref name="type"/> with inputs from <paramref name="json"/>.</summary>
    public static PolicyResource Resource(string type, string name, string json, bool protect = false) => new()
    {
        Urn = Urn.Create(Stack, "platform", null, type, name),
        Type = type,
        Inputs = PropertyJson.ParseMap(json, PropertyJsonMode.Plaintext),
        Protect = protect,
    };

    /// <summary>
    /// A Kubernetes object. The type token is deliberately not the Kubernetes provider's: policies must recognise
    /// objects by their own apiVersion and kind, whatever provider declares them.
    /// </summary>
    public static PolicyResource Kubernetes(string json, string type = "gitops:index:Manifest")
    {
        var inputs = PropertyJson.ParseMap(json, PropertyJsonMode.Plaintext);
        var name = $"{inputs.GetString("kind")}-{(inputs["metadata"].AsObject.GetString("namespace") is { } ns ? ns + "-" : string.Empty)}{inputs["metadata"].AsObject.GetString("name")}";
        return Resource(type, name, json);
    }
}

/// <summary>One-change variants of fixtures, so each failing fixture differs from a passing one in exactly what the rule is about.</summary>
internal static class FixtureChanges
{
    /// <summary>The resource with the value at <paramref name="path"/> set to the JSON <paramref name="json"/>.</summary>
    public static PolicyResource Set(this PolicyResource resource, string path, string json) =>
        resource with { Inputs = PropertyPath.Parse(path).Set(resource.Inputs, PropertyJson.Parse(json, PropertyJsonMode.Plaintext)) };

    /// <summary>The resource without the value at <paramref name="path"/>.</summary>
    public static PolicyResource Remove(this PolicyResource resource, string path) =>
        resource with { Inputs = PropertyPath.Parse(path).Set(resource.Inputs, null) };
}
