using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Infra.Automation;
using Infra.Deployment;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Testing;

/// <summary>Options for <see cref="StackTest"/>.</summary>
public sealed record StackTestOptions
{
    /// <summary>The stack name (part of every URN).</summary>
    public string StackName { get; init; } = "test";

    /// <summary>The project name (part of every URN).</summary>
    public string ProjectName { get; init; } = "project";

    /// <summary>Plain config values by namespaced key.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Secret config values by namespaced key.</summary>
    public IReadOnlyDictionary<string, string> SecretConfig { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Decides IDs and outputs; defaults to <see cref="EchoMocks"/>.</summary>
    public IMocks Mocks { get; init; } = new EchoMocks();

    /// <summary>Real providers to use for some packages instead of the mocks (e.g. the random provider).</summary>
    public IReadOnlyList<IProviderFactory> Providers { get; init; } = [];

    /// <summary>Extra files to place in the project folder, by relative path (e.g. <c>environments/plans.yaml</c>).</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = ImmutableDictionary<string, string>.Empty;
}

/// <summary>What a stack declared and what it would export, after a run under <see cref="StackTest"/>.</summary>
public sealed class StackTestResult
{
    internal StackTestResult(ImmutableArray<PlannedStep> steps, PropertyMap outputs, ImmutableArray<ResourceState> resources)
    {
        Steps = steps;
        Outputs = outputs;
        Resources = resources;
    }

    /// <summary>Every step of the run.</summary>
    public ImmutableArray<PlannedStep> Steps { get; }

    /// <summary>The stack outputs (secrets marked).</summary>
    public PropertyMap Outputs { get; }

    /// <summary>The resulting state (empty after a preview).</summary>
    public ImmutableArray<ResourceState> Resources { get; }

    /// <summary>The steps for resources of <paramref name="type"/>.</summary>
    public IEnumerable<PlannedStep> OfType(string type) => Steps.Where(s => s.Type == type);

    /// <summary>The step for the resource of <paramref name="type"/> named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">There is no such resource.</exception>
    public PlannedStep Get(string type, string name) =>
        Steps.SingleOrDefault(s => s.Type == type && Urn.NameOf(s.Urn) == name)
        ?? throw new InvalidOperationException($"No {type} named '{name}' was declared; declared: {string.Join(", ", Steps.Select(static s => Urn.NameOf(s.Urn)))}.");
}

/// <summary>
/// Runs a stack program offline with mocked providers and an in-memory state backend, for unit tests of stacks and
/// components. The real engine plans and applies the program, so declaration errors, cycles, secrets and config
/// validation behave exactly as in production.
/// </summary>
/// <example>
/// <code>
/// var result = await StackTest.UpAsync(StackProgram.FromStack&lt;TenantStack&gt;(), new StackTestOptions
/// {
///     Config = new Dictionary&lt;string, string&gt; { ["infra:kind"] = "tenant", ["tenant:id"] = "acme", ["tenant:plan"] = "standard" },
/// });
/// var database = result.Get("postgres:index:Database", "acme");
/// Assert.Equal(20, database.NewInputs!["connectionLimit"].AsNumber);
/// </code>
/// </example>
public static class StackTest
{
    private const string Passphrase = "infra-testing-kit";

    /// <summary>Runs <c>up</c> against empty state and returns what was created.</summary>
    public static Task<StackTestResult> UpAsync(StackProgram program, StackTestOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(program, options ?? new StackTestOptions(), preview: false, cancellationToken);

    /// <summary>Runs a preview against empty state and returns the plan (outputs of new resources are unknown).</summary>
    public static Task<StackTestResult> PreviewAsync(StackProgram program, StackTestOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(program, options ?? new StackTestOptions(), preview: true, cancellationToken);

    private static async Task<StackTestResult> RunAsync(StackProgram program, StackTestOptions options, bool preview, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "infra-stacktest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await WriteProjectAsync(directory, options, cancellationToken).ConfigureAwait(false);
            await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
            {
                ProjectDirectory = directory,
                BackendUrl = "memory://",
                Passphrase = Passphrase,
                Providers = [.. options.Providers, new ProviderFactory(ProviderSet.WildcardPackage, _ => new MockProvider(options.Mocks))],
                Environment = ImmutableDictionary<string, string?>.Empty,
            }, cancellationToken).ConfigureAwait(false);
            var stack = await workspace.CreateStackAsync(options.StackName, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in options.Config)
            {
                await stack.SetConfigAsync(key, value, secret: false, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (key, value) in options.SecretConfig)
            {
                await stack.SetConfigAsync(key, value, secret: true, cancellationToken).ConfigureAwait(false);
            }

            if (preview)
            {
                var plan = await stack.PreviewAsync(new PreviewOptions { Program = program }, cancellationToken).ConfigureAwait(false);
                return new StackTestResult(plan.Plan.Steps, plan.Plan.Outputs, []);
            }

            var result = await stack.UpAsync(new UpOptions { Program = program }, cancellationToken).ConfigureAwait(false);
            var snapshot = await stack.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
            return new StackTestResult(result.Steps, result.Outputs, snapshot.Resources);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WriteProjectAsync(string directory, StackTestOptions options, CancellationToken cancellationToken)
    {
        // Declare exactly the keys the test sets, so config validation runs as in production.
        var yaml = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"name: {options.ProjectName}")
            .AppendLine("runtime: dotnet")
            .AppendLine("stackConfigDir: environments")
            .AppendLine("config:");
        foreach (var key in options.Config.Keys)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  {key}: {{ type: string }}");
        }

        foreach (var key in options.SecretConfig.Keys)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  {key}: {{ type: string, secret: true }}");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "Pulumi.yaml"), yaml.ToString(), cancellationToken).ConfigureAwait(false);
        foreach (var (path, content) in options.Files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content, cancellationToken).ConfigureAwait(false);
        }
    }
}
