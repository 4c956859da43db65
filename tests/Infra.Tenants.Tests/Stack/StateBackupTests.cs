using System.Security.Cryptography;
using System.Text.Json;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Microsoft.Data.Sqlite;

namespace Infra.Tenants.Tests.Stack;

/// <summary><c>infra state backup</c> of the embedded SQLite state while it is in use, and of a PostgreSQL state schema.</summary>
[Collection(PostgresCollection.Name)]
public class StateBackupTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_sqlite_state_backup_is_a_readable_copy_with_every_stack_and_a_manifest_whose_checksum_matches()
    {
        using var project = new TenantProject(Server);
        var stack = await project.InitAsync(TenantProject.NewTenantId());
        await project.Cli.RunOkAsync("stack", "init", "second");

        var result = await project.Cli.RunOkAsync("state", "backup");

        var copy = result.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith(Path.Combine(project.Cli.Directory, "backups", "state", "state-"), copy, StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(copy, ".manifest.json"))).RootElement;
        Assert.Equal("_state", manifest.GetProperty("tenant").GetString());
        Assert.Equal("sqlite", manifest.GetProperty("dumpFormat").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(copy))), manifest.GetProperty("sha256").GetString());
        Assert.Equal(["second", stack], await StacksAsync(copy));
    }

    [Fact]
    public async Task A_postgres_state_backup_is_a_pg_dump_of_the_state_schema_only()
    {
        var database = await Server.CreateDatabaseAsync("state");
        using var project = new TenantProject(Server);
        project.Cli.Environment["INFRA_BACKEND_URL"] = Server.Url(database) + "?schema=infra_state";
        await project.Cli.RunOkAsync("stack", "init", "empty");

        var result = await project.Cli.RunOkAsync("state", "backup");

        var dump = result.Stdout.TrimEnd().Split('\n')[^1];
        var listing = await RepositoryTools.RunAsync("/usr/lib/postgresql/15/bin/pg_restore", project.Cli.Directory, "--list", dump);
        Assert.True(listing.ExitCode == 0, listing.Error);
        Assert.Contains("TABLE infra_state stacks", listing.Output, StringComparison.Ordinal);
        Assert.Contains("TABLE DATA infra_state updates", listing.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" public ", listing.Output, StringComparison.Ordinal);
        Assert.Equal("custom", JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(dump, ".manifest.json"))).RootElement.GetProperty("dumpFormat").GetString());
    }

    private static async Task<string[]> StacksAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM stacks ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }
}
