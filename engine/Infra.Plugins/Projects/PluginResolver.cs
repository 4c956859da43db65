using System.Collections.Immutable;
using System.Text;
using Infra.Plugins.Registry;
using Infra.Plugins.Versions;
using NuGet.Versioning;

namespace Infra.Plugins.Projects;

/// <summary>A plugin chosen by the resolver, with who asked for it.</summary>
/// <param name="Name">The plugin.</param>
/// <param name="Release">The chosen version.</param>
/// <param name="RequiredBy">Who wants it: <c>Pulumi.yaml</c> and/or <c>other@version</c>.</param>
public sealed record ResolvedPlugin(string Name, PluginRelease Release, ImmutableArray<string> RequiredBy);

/// <summary>No set of versions satisfies every requirement. The message says who wants what and what exists.</summary>
public sealed class PluginConflictException(string message) : InfraException(message);

/// <summary>
/// Chooses one version of every plugin a project needs, directly or through other plugins' dependencies: for each
/// plugin the highest version that satisfies every range asked of it, that this engine can run (its protocol and
/// SDK, <see cref="PluginCompatibility"/>), preferring the version already locked while it still fits. It repeats
/// until the choice is stable, since a chosen version's dependencies add ranges of their own.
/// </summary>
public sealed class PluginResolver(Func<string, CancellationToken, Task<PluginEntry?>> lookup)
{
    /// <summary>The project itself, as a requirer in messages.</summary>
    public const string Project = "Pulumi.yaml";

    private const int MaxRounds = 32;
    private readonly Dictionary<string, PluginEntry?> _entries = new(StringComparer.Ordinal);

    /// <summary>Resolves <paramref name="requirements"/>.</summary>
    /// <param name="requirements">The project's requirements.</param>
    /// <param name="preferred">Versions to keep when they still fit (the lock), by name.</param>
    /// <param name="cancellationToken">Stops the registry reads.</param>
    /// <exception cref="PluginConflictException">A plugin is unknown, or no version fits every range; one line saying who wants what.</exception>
    public async Task<ImmutableArray<ResolvedPlugin>> ResolveAsync(
        IReadOnlyDictionary<string, VersionRange> requirements, IReadOnlyDictionary<string, NuGetVersion> preferred, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(preferred);
        var chosen = new SortedDictionary<string, PluginRelease>(StringComparer.Ordinal);
        for (var round = 0; round < MaxRounds; round++)
        {
            var wants = Wants(requirements, chosen);
            var next = new SortedDictionary<string, PluginRelease>(StringComparer.Ordinal);
            foreach (var (name, asks) in wants)
            {
                next[name] = await ChooseAsync(name, asks, preferred.GetValueOrDefault(name), cancellationToken).ConfigureAwait(false);
            }

            if (next.Count == chosen.Count && next.All(n => chosen.TryGetValue(n.Key, out var c) && c.Version == n.Value.Version))
            {
                return [.. next.Select(n => new ResolvedPlugin(n.Key, n.Value, [.. wants[n.Key].Select(static w => w.By).Distinct()]))];
            }

            chosen = next;
        }

        throw new PluginConflictException($"plugin versions do not settle after {MaxRounds} rounds (dependencies that pull each other up and down); pin versions in {Project}.");
    }

    private static SortedDictionary<string, List<(string By, VersionRange Range)>> Wants(
        IReadOnlyDictionary<string, VersionRange> requirements, SortedDictionary<string, PluginRelease> chosen)
    {
        var wants = new SortedDictionary<string, List<(string, VersionRange)>>(StringComparer.Ordinal);
        void Add(string name, string by, VersionRange range)
        {
            if (!wants.TryGetValue(name, out var list))
            {
                wants[name] = list = [];
            }

            list.Add((by, range));
        }

        foreach (var (name, range) in requirements)
        {
            Add(name, Project, range);
        }

        foreach (var (name, release) in chosen)
        {
            foreach (var (dependency, range) in release.DependencyRanges)
            {
                Add(dependency, $"{name}@{release.Version}", range);
            }
        }

        return wants;
    }

    private async Task<PluginRelease> ChooseAsync(string name, List<(string By, VersionRange Range)> asks, NuGetVersion? preferred, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            _entries[name] = entry = await lookup(name, cancellationToken).ConfigureAwait(false);
        }

        if (entry is null || entry.Versions.IsEmpty)
        {
            throw new PluginConflictException($"plugin '{name}': the registry has no such plugin ({Who(asks)}); check the name with 'infra plugin search'.");
        }

        var fitting = entry.Newest()
            .Where(r => PluginCompatibility.Incompatibility(r.Kind, r.Protocol, r.Sdk) is null && asks.All(a => a.Range.Satisfies(r.SemanticVersion)))
            .ToList();
        return fitting.FirstOrDefault(r => r.SemanticVersion == preferred) ?? fitting.FirstOrDefault() ?? throw Conflict(name, entry, asks);
    }

    private static PluginConflictException Conflict(string name, PluginEntry entry, List<(string By, VersionRange Range)> asks)
    {
        var available = new StringBuilder();
        foreach (var release in entry.Newest())
        {
            available.Append(available.Length == 0 ? string.Empty : ", ").Append(release.Version);
            if (PluginCompatibility.Incompatibility(release.Kind, release.Protocol, release.Sdk) is { } why)
            {
                available.Append(" (").Append(why).Append(')');
            }
        }

        return new PluginConflictException($"plugin '{name}': no version satisfies every requirement: {Who(asks)}; the registry has {available}.");
    }

    private static string Who(List<(string By, VersionRange Range)> asks) =>
        string.Join("; ", asks.Select(static a => $"{a.By} wants {a.Range.PrettyPrint()}"));
}
