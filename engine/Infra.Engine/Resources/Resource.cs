using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Infra;

/// <summary>
/// A declared resource: a type, a name, typed args and options. Declaring one (calling its constructor while a
/// stack program runs) registers it with the engine, which plans and applies it after the program returns.
/// </summary>
/// <remarks>
/// Derive from <see cref="CustomResource"/> for resources a provider manages, and from
/// <see cref="ComponentResource"/> for reusable groups of resources.
/// </remarks>
public abstract partial class Resource
{
    private protected Resource(string type, string name, object? args, ResourceOptions? options, bool isCustom)
    {
        ValidateType(type);
        ValidateName(type, name);
        Type = type;
        Name = name;
        Args = args;
        IsCustom = isCustom;
        Options = Freeze(options ?? (isCustom ? new CustomResourceOptions() : new ComponentResourceOptions()));
        Program = ProgramContext.Current ?? throw new InvalidOperationException(
            $"Resource '{name}' of type '{type}' was declared outside a stack program. Declare resources inside a Stack " +
            "constructor or an inline program run by the CLI, the Automation API or the testing kit.");
        Parent = Options.Parent;
        QualifiedType = Infra.Urn.QualifiedType(Parent?.QualifiedType, type);
        Urn = Infra.Urn.Create(Program.StackName, Program.ProjectName, Parent?.QualifiedType, type, name);
        Program.Register(this);
    }

    /// <summary>The type token, <c>package:module:Type</c>, e.g. <c>random:index:RandomPassword</c>.</summary>
    public string Type { get; }

    /// <summary>The name, unique among resources of the same type under the same parent.</summary>
    public string Name { get; }

    /// <summary>The resource's URN: its identity in state.</summary>
    public string Urn { get; }

    /// <summary>The parent resource, if any.</summary>
    public Resource? Parent { get; }

    /// <summary>True for provider-managed resources, false for components.</summary>
    public bool IsCustom { get; }

    /// <summary>The parent types and this type joined by <c>$</c>, as used in URNs.</summary>
    internal string QualifiedType { get; }

    internal object? Args { get; }

    internal ResourceOptions Options { get; }

    internal ProgramContext Program { get; }

    /// <summary>The resource's URN.</summary>
    public override string ToString() => Urn;

    private static ResourceOptions Freeze(ResourceOptions options) =>
        options with
        {
            DependsOn = options.DependsOn.IsDefault ? [] : options.DependsOn,
            IgnoreChanges = options.IgnoreChanges.IsDefault ? [] : options.IgnoreChanges,
            ReplaceOnChanges = options.ReplaceOnChanges.IsDefault ? [] : options.ReplaceOnChanges,
            Aliases = options.Aliases.IsDefault ? [] : options.Aliases,
        };

    private static void ValidateType(string type)
    {
        if (type is null || !TypeToken().IsMatch(type))
        {
            throw new InfraException(
                $"Resource type {ErrorText.Quote(type)} is not a valid type token; use 'package:module:Type', e.g. 'random:index:RandomPassword'.");
        }
    }

    private static void ValidateName(string type, string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InfraException($"A resource of type '{type}' has an empty name; every resource needs a name.");
        }

        if (name.Contains("::", StringComparison.Ordinal) || name.Any(char.IsControl) || name.Length > 400)
        {
            throw new InfraException(
                $"Resource name {ErrorText.Quote(name)} of type '{type}' is invalid: names must be at most 400 characters without '::' or control characters.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_./-]*:[A-Za-z][A-Za-z0-9_]*\z")]
    private static partial Regex TypeToken();

    internal ImmutableArray<Resource> DeclaredDependencies()
    {
        var found = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
        InputEvaluator.CollectResources(Args, found);
        foreach (var dependency in Options.DependsOn)
        {
            found.Add(dependency);
        }

        found.Remove(this);
        return [.. found];
    }
}
