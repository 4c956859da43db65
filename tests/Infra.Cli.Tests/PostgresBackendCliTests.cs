using Infra.TestSupport;

namespace Infra.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class PostgresCliCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<CliBuild>
{
    public const string Name = "postgres-cli";
}

/// <summary>The CLI on the team backend: INFRA_BACKEND_URL=postgres://… instead of the embedded SQLite.</summary>
[Collection(PostgresCliCollection.Name)]
public sealed class PostgresBackendCliTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Stacks_live_in_postgres_when_the_backend_url_says_so()
    {
        var database = await postgres.Server.CreateDatabaseAsync("cli_state");
        using var project = new CliProject(backendUrl: postgres.Server.Url(database));

        await project.RunOkAsync("stack", "init", "team");
        await project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await project.RunOkAsync("config", "set", "synthetic:count", "25");
        await project.RunOkAsync("config", "set", "synthetic:shape", "chain");
        await project.RunOkAsync("up", "--yes");

        Assert.Equal(0, (await project.RunAsync("preview", "--expect-no-changes")).ExitCode);
        Assert.False(File.Exists(project.StatePath), "nothing should be written to the embedded SQLite state");
        var listing = await project.RunOkAsync("stack", "ls", "--json");
        Assert.Contains("\"resourceCount\": 25", listing.Stdout, StringComparison.Ordinal);
        await project.RunOkAsync("destroy", "--yes");
        Assert.Contains("\"resourceCount\": 0", (await project.RunOkAsync("stack", "ls", "--json")).Stdout, StringComparison.Ordinal);
    }
}
