using System.Text.Json.Nodes;
using Infra.Backups;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// Someone who can write into the backup folder, or hand the operator a file, tries to restore what it should not:
/// another tenant's dump under a manifest it wrote, a manifest edited to name another tenant, a dump outside the
/// manifest's folder, a backup that a kill left half written.
/// </summary>
[Collection(PostgresCollection.Name)]
public class BackupManifestAttackTests(PostgresFixture fixture)
{
    private const string SharedKey = "an operator key shared by both tenant stacks, 32+ chars";

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_forged_or_edited_manifest_is_refused_before_anything_is_restored()
    {
        using var project = new TenantProject(Server);
        var (a, b) = (TenantProject.NewTenantId(), TenantProject.NewTenantId());
        var (stackA, stackB) = await TwoTenantsAsync(project, a, b);
        var dumpA = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stackA)).Stdout.TrimEnd().Split('\n')[^1];
        var manifestA = JsonNode.Parse(await File.ReadAllTextAsync(BackupManifest.PathFor(dumpA)))!;

        // Tenant b writes its own manifest for a's dump, without the key: a MAC of its own making.
        var forged = manifestA.DeepClone();
        forged["tenant"] = b;
        forged["stack"] = stackB;
        forged["database"] = $"tenant_{b}";
        forged["mac"] = new string('0', 64);
        forged["dumpFile"] = "forged.dump";
        var folderB = Path.Combine(project.Cli.Directory, "backups", b);
        Directory.CreateDirectory(folderB);
        File.Copy(dumpA, Path.Combine(folderB, "forged.dump"));
        var forgedPath = Path.Combine(folderB, "forged.manifest.json");
        await File.WriteAllTextAsync(forgedPath, forged.ToJsonString());
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{a}"), "DELETE FROM app.secrets");
        var forgedRestore = await project.Cli.RunAsync("tenant", "restore", "-s", stackB, "--from", forgedPath);

        // An edit of a's genuine manifest, and one with no MAC at all.
        var edited = manifestA.DeepClone();
        edited["createdAt"] = "2020-01-01T00:00:00+00:00";
        var editedPath = BackupManifest.PathFor(dumpA);
        await File.WriteAllTextAsync(editedPath, edited.ToJsonString());
        var editedRestore = await project.Cli.RunAsync("tenant", "restore", "-s", stackA, "--from", dumpA);
        edited.AsObject().Remove("mac");
        await File.WriteAllTextAsync(editedPath, edited.ToJsonString());
        var unsignedRestore = await project.Cli.RunAsync("tenant", "restore", "-s", stackA, "--from", dumpA);

        foreach (var (result, stack) in new[] { (forgedRestore, stackB), (editedRestore, stackA), (unsignedRestore, stackA) })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"is not authentic for stack '{stack}'", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }

        Assert.False(await Sql.ScalarAsync<bool>(Server.ConnectionString($"tenant_{b}"), "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'secrets')"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server.ConnectionString($"tenant_{a}"), "SELECT count(*) FROM app.secrets"));
    }

    [Fact]
    public async Task An_authentic_manifest_of_another_tenant_or_naming_a_dump_outside_its_folder_is_refused()
    {
        using var project = new TenantProject(Server);
        var (a, b) = (TenantProject.NewTenantId(), TenantProject.NewTenantId());
        var (stackA, stackB) = await TwoTenantsAsync(project, a, b);
        foreach (var stack in new[] { stackA, stackB })
        {
            await project.Cli.RunWithInputAsync(SharedKey, "config", "set", "--secret", ManifestKeys.ConfigKey, "-s", stack);
        }

        var dumpA = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stackA)).Stdout.TrimEnd().Split('\n')[^1];
        var dumpB = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stackB)).Stdout.TrimEnd().Split('\n')[^1];

        // Both stacks verify each other's MACs: only the tenant check stands between b and a's data.
        var crossTenant = await project.Cli.RunAsync("tenant", "restore", "-s", stackB, "--from", dumpA);

        // b's own, authentic manifest, re-signed with the key (as someone holding it could), pointing at a's dump.
        var manifestB = await BackupManifest.ReadAsync(BackupManifest.PathFor(dumpB), CancellationToken.None);
        var key = System.Text.Encoding.UTF8.GetBytes(SharedKey);
        var refusals = new List<CliResult>();
        foreach (var dumpFile in new[] { Path.Combine("..", a, Path.GetFileName(dumpA)), dumpA, "sub/../" + Path.GetFileName(dumpB) })
        {
            var path = Path.Combine(Path.GetDirectoryName(dumpB)!, $"traversal-{refusals.Count}.manifest.json");
            await (manifestB with { DumpFile = dumpFile }).Signed(key).WriteAsync(path, CancellationToken.None);
            refusals.Add(await project.Cli.RunAsync("tenant", "restore", "-s", stackB, "--from", path));
        }

        Assert.Equal(1, crossTenant.ExitCode);
        Assert.Contains($"belongs to tenant '{a}' (stack '{stackA}'), not to tenant '{b}'", crossTenant.Stderr, StringComparison.Ordinal);
        Assert.All(refusals, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("dumpFile", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("nothing was restored", r.Stderr, StringComparison.Ordinal);
        });
        Assert.False(await Sql.ScalarAsync<bool>(Server.ConnectionString($"tenant_{b}"), "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'secrets')"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Backup_files_are_private_and_a_killed_backups_partial_is_never_restored_and_is_removed_by_the_next_backup()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var folder = Path.Combine(project.Cli.Directory, "backups", id);
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var partial = Path.Combine(folder, $"{id}-20250101T000000000Z.dump.partial");
        await File.WriteAllTextAsync(partial, "half a dump");
        await File.WriteAllTextAsync(Path.Combine(folder, $"{id}-20250101T000000000Z.manifest.json.partial"), "{");

        var fromPartial = await project.Cli.RunAsync("tenant", "restore", "-s", stack, "--from", partial);
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];

        Assert.Equal(1, fromPartial.ExitCode);
        Assert.Contains("is an unfinished backup", fromPartial.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(folder));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(dump));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(BackupManifest.PathFor(dump)));
    }

    private static async Task<(string StackA, string StackB)> TwoTenantsAsync(TenantProject project, string a, string b)
    {
        var stacks = await project.UpTenantsAsync(a, b);
        var (stackA, stackB) = (stacks[0], stacks[1]);
        await (await TenantSession.OfAsync(project, stackA)).ExecuteAsync("CREATE TABLE app.secrets(secret text)", $"INSERT INTO app.secrets VALUES ('secret-of-{a}')");
        return (stackA, stackB);
    }
}
