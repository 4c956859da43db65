using Infra.Processes;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// The real <c>helm</c> executable: config <c>helm:binary</c>, else the repository's pinned <c>.tools/bin/helm</c>
/// (found by walking up from the project folder), else <c>helm</c> on the PATH.
/// </summary>
internal sealed class HelmBinary(string path)
{
    private static readonly string[] s_garbageCollectionSettings = ["GOGC", "GOMEMLIMIT"];

    /// <summary>The executable's path.</summary>
    public string Path { get; } = path;

    /// <summary>Finds the helm executable for a project.</summary>
    /// <exception cref="InfraException">No helm was found.</exception>
    public static HelmBinary Locate(string? configured, string projectDirectory)
    {
        if (configured is { Length: > 0 })
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDirectory, configured));
            return File.Exists(path) ? new HelmBinary(path) : throw new InfraException($"config 'helm:binary' names {ErrorText.Quote(path)}, which does not exist.");
        }

        for (var directory = new DirectoryInfo(projectDirectory); directory is not null; directory = directory.Parent)
        {
            var pinned = System.IO.Path.Combine(directory.FullName, ".tools", "bin", "helm");
            if (File.Exists(pinned))
            {
                return new HelmBinary(pinned);
            }
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(folder, "helm");
            if (File.Exists(candidate))
            {
                return new HelmBinary(candidate);
            }
        }

        throw new InfraException("helm was not found: run scripts/install-k8s-tools.sh, or set config 'helm:binary', or put helm on the PATH.");
    }

    /// <summary>Runs helm; returns its exit code and output.</summary>
    /// <param name="arguments">helm's arguments.</param>
    /// <param name="cancellationToken">Kills helm.</param>
    /// <param name="values">A release's values, given to helm on its standard input (<see cref="ValuesFromInput"/>).</param>
    public Task<ExternalProcess.Result> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, ReleaseValues? values = null) =>
        ExternalProcess.RunAsync(Path, arguments, workingDirectory: null, GarbageCollection, cancellationToken, s_garbageCollectionSettings, values?.Json);

    /// <summary>
    /// How helm's Go runtime collects garbage, unless this process's environment says otherwise (<c>GOGC</c>,
    /// <c>GOMEMLIMIT</c>, passed on then): no collection below 128 MiB of heap. A render is a short-lived process whose
    /// heap stays under 10 MB for a tenant's chart, yet Go's default collects four times on the way there, about a sixth
    /// of helm's CPU (10 of 58 ms a render, measured on the platform chart). A render that grows past the limit is
    /// collected as usual.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> GarbageCollection { get; } = GarbageCollectionUnless(Environment.GetEnvironmentVariable);

    /// <summary>The variables of <see cref="GarbageCollection"/>, or none when <paramref name="variable"/> sets either.</summary>
    internal static IReadOnlyDictionary<string, string> GarbageCollectionUnless(Func<string, string?> variable) =>
        s_garbageCollectionSettings.Any(name => variable(name) is not null)
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["GOGC"] = "off", ["GOMEMLIMIT"] = "128MiB" };

    /// <summary>The arguments that make helm read the values from its standard input.</summary>
    public static IEnumerable<string> ValuesFromInput => ["--values", "-"];
}
