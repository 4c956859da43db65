using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Builds the real CLI once (through ./infra, as users run it) before the process-level tests start.</summary>
public sealed class CliBuild : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, new Dictionary<string, string?>(), "--help");
        Assert.True(result.ExitCode == 0, $"./infra --help failed: {result}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliBuild>
{
    public const string Name = "cli";
}
