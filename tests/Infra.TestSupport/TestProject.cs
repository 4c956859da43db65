using Infra.Automation;
using Infra.Providers;
using Infra.Providers.Random;
using Infra.State;
using Infra.State.Postgres;
using Infra.State.Sqlite;

namespace Infra.TestSupport;

/// <summary>A throwaway project folder with a Pulumi.yaml, opened as a workspace on the embedded SQLite backend.</summary>
public sealed class TestProject : IAsyncDisposable
{
    public const string Passphrase = "correct horse battery staple";

    /// <summary>The state backends test workspaces open: SQLite (the default) and PostgreSQL.</summary>
    public static IReadOnlyList<IStateBackendFactory> StateBackends { get; } = [new SqliteStateBackendFactory(), new PostgresStateBackendFactory()];

    private TestProject(string directory, Workspace workspace)
    {
        Directory = directory;
        Workspace = workspace;
    }

    public string Directory { get; }

    public Workspace Workspace { get; }

    public static async Task<TestProject> CreateAsync(
        string? extraSchema = null, string? backendUrl = null, IReadOnlyList<IProviderFactory>? providers = null, string passphrase = Passphrase)
    {
        var directory = Path.Combine(Path.GetTempPath(), "infra-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "Pulumi.yaml"), $$"""
            name: platform
            runtime: dotnet
            description: test project
            stackConfigDir: environments
            config:
              app:name:
                type: string
                default: demo
              app:count:
                type: integer
              app:secret:
                type: string
                secret: true
            {{extraSchema ?? string.Empty}}
            """);
        var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = directory,
            BackendUrl = backendUrl,
            StateBackends = StateBackends,
            Passphrase = passphrase,
            Providers = providers ?? [new RandomProviderFactory()],
            Environment = new Dictionary<string, string?>(),
        });
        return new TestProject(directory, workspace);
    }

    public async Task<Workspace> ReopenAsync(string passphrase = Passphrase, IReadOnlyList<IProviderFactory>? providers = null) =>
        await Workspace.OpenAsync(Workspace.Options with
        {
            Passphrase = passphrase,
            Providers = providers ?? Workspace.Options.Providers,
        });

    public async ValueTask DisposeAsync()
    {
        await Workspace.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
