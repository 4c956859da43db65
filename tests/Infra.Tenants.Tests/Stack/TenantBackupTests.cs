using System.Security.Cryptography;
using System.Text.Json;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

[Collection(PostgresCollection.Name)]
public class TenantBackupTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Backup_and_restore_bring_back_dropped_rows_and_the_checksum_matches()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var database = Server.ConnectionString($"tenant_{id}");
        await Sql.ExecuteAsync(database, $"SET ROLE \"tenant_{id}\"", "CREATE TABLE app.orders(id int PRIMARY KEY, item text)",
            "INSERT INTO app.orders SELECT g, 'item ' || g FROM generate_series(1, 250) g");

        var backup = await project.Cli.RunOkAsync("tenant", "backup", "-s", stack);
        var dump = backup.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith(Path.Combine(project.Cli.Directory, "backups", id), dump, StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(dump, ".manifest.json"))).RootElement;
        Assert.Equal(id, manifest.GetProperty("tenant").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(dump))), manifest.GetProperty("sha256").GetString());
        Assert.Equal(new FileInfo(dump).Length, manifest.GetProperty("sizeBytes").GetInt64());
        Assert.StartsWith("15.", manifest.GetProperty("serverVersion").GetString(), StringComparison.Ordinal);

        await Sql.ExecuteAsync(database, "DROP TABLE app.orders");
        var restore = await project.Cli.RunAsync("tenant", "restore", "-s", stack, "--from", dump);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(250L, await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM app.orders"));
        Assert.Equal($"tenant_{id}", await Sql.ScalarAsync<string>(database, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'orders'"));
    }

    [Fact]
    public async Task Restore_to_a_new_database_keeps_it_closed_to_other_roles()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{id}"), "CREATE TABLE app.t(v int)", "INSERT INTO app.t VALUES (42)");
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];
        var copy = $"tenant_{id}_copy";

        await project.Cli.RunOkAsync("tenant", "restore", "-s", stack, "--from", dump, "--to", copy);

        Assert.Equal(42, await Sql.ScalarAsync<int>(Server.ConnectionString(copy), "SELECT v FROM app.t"));
        Assert.Equal($"tenant_{id}_owner", await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", copy));
        var stranger = Sql.Unique("stranger_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{stranger}\" LOGIN PASSWORD 'stranger'");
        Assert.Equal("42501", await Sql.TryConnectAsync(Server, copy, stranger, "stranger"));
    }

    [Fact]
    public async Task Restore_refuses_another_tenants_backup_and_a_corrupted_dump_and_changes_nothing()
    {
        using var project = new TenantProject(Server);
        var (a, b) = (TenantProject.NewTenantId(), TenantProject.NewTenantId());
        var stacks = await project.UpTenantsAsync(a, b);
        var (stackA, stackB) = (stacks[0], stacks[1]);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{a}"), "CREATE TABLE app.t(v int)", "INSERT INTO app.t VALUES (1)");
        var dumpA = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stackA)).Stdout.TrimEnd().Split('\n')[^1];

        var foreign = await project.Cli.RunAsync("tenant", "restore", "-s", stackB, "--from", dumpA);
        Assert.Equal(1, foreign.ExitCode);
        // Each stack's manifest key is its own, so the MAC fails first; the message still names whose backup it claims to be.
        Assert.Contains($"is not authentic for stack '{stackB}'", foreign.Stderr, StringComparison.Ordinal);
        Assert.Contains($"it claims tenant '{a}'", foreign.Stderr, StringComparison.Ordinal);
        Assert.Single(foreign.Stderr.Trim().Split('\n'));
        Assert.False(await Sql.ScalarAsync<bool>(Server.ConnectionString($"tenant_{b}"), "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 't')"));

        var bytes = await File.ReadAllBytesAsync(dumpA);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(dumpA, bytes);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{a}"), "DELETE FROM app.t");
        var corrupted = await project.Cli.RunAsync("tenant", "restore", "-s", stackA, "--from", dumpA);

        Assert.Equal(1, corrupted.ExitCode);
        Assert.Contains("does not match its manifest", corrupted.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server.ConnectionString($"tenant_{a}"), "SELECT count(*) FROM app.t"));
    }
}
