using System.Collections.Immutable;

namespace Infra.Architecture.Tests;

/// <summary>
/// The layers of the repository and which may reference which. Layers point one way: hosts → stacks → components →
/// providers → engine, with the policy SDK and packs beside components (they see only the engine) and the tenant
/// conventions a leaf that references nothing, so that any layer may follow them without pulling anything in. The
/// SDKs' C# plugin host serves in-process providers and policy packs out of process, so it sees those two layers.
/// docs/architecture.md draws the same graph; a test keeps the two equal.
/// </summary>
internal static class Layers
{
    public const string Engine = "engine";
    public const string Providers = "providers";
    public const string Components = "components";
    public const string Policies = "policies";
    public const string Stacks = "stacks";
    public const string Hosts = "hosts";
    public const string Sdk = "sdk";
    public const string Conventions = "conventions";

    /// <summary>The project, by file name, that holds the tenant conventions: a leaf in components/ that every layer may use.</summary>
    public const string ConventionsProject = "Infra.Tenancy.csproj";

    /// <summary>The engine core: it references no database driver and no other project.</summary>
    public const string EngineCoreProject = "Infra.Engine.csproj";

    /// <summary>Packages a library of the engine core must not reference: database drivers belong to the state backends.</summary>
    public static ImmutableHashSet<string> Drivers { get; } = ["Npgsql", "Microsoft.Data.Sqlite", "Microsoft.Data.Sqlite.Core"];

    /// <summary>The layers each layer references directly; what those reach it may reference too.</summary>
    public static ImmutableDictionary<string, ImmutableHashSet<string>> Edges { get; } = new Dictionary<string, ImmutableHashSet<string>>
    {
        [Hosts] = [Stacks, Policies, Sdk],
        [Stacks] = [Components],
        [Components] = [Providers],
        [Providers] = [Engine, Conventions],
        [Policies] = [Engine, Conventions],
        [Sdk] = [Providers, Policies],
        [Engine] = [],
        [Conventions] = [],
    }.ToImmutableDictionary();

    /// <summary>The layer of a project, by its first folder; <see langword="null"/> for tests and benchmarks, which may reference anything.</summary>
    /// <exception cref="InvalidOperationException">The folder belongs to no layer.</exception>
    public static string? Of(string relativePath)
    {
        var segments = relativePath.Replace('\\', '/').Split('/');
        if (segments[^1] == ConventionsProject)
        {
            return Conventions;
        }

        return segments[0] switch
        {
            "engine" => Engine,
            "providers" => Providers,
            "components" => Components,
            "policies" => Policies,
            "stacks" => Stacks,
            "cli" or "services" => Hosts,
            "sdk" => Sdk,
            "tests" or "bench" => null,
            _ => throw new InvalidOperationException(
                $"'{relativePath}' is in no layer; add its folder to {nameof(Layers)} and to the diagram in docs/architecture.md."),
        };
    }

    /// <summary>Every layer <paramref name="layer"/> may reference: itself and what its edges reach.</summary>
    public static ImmutableHashSet<string> Reachable(string layer, IReadOnlyDictionary<string, ImmutableHashSet<string>> edges)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { layer };
        var queue = new Queue<string>([layer]);
        while (queue.Count > 0)
        {
            foreach (var next in edges.GetValueOrDefault(queue.Dequeue()) ?? [])
            {
                if (reached.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return [.. reached];
    }
}
