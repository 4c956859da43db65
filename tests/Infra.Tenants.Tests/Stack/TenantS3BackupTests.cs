using Infra.Backups;
using Infra.Backups.Storage;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary>s3:// backup locations through AWSSDK.S3 against a real S3-compatible server (s3rver) on 127.0.0.1.</summary>
[Collection(PostgresCollection.Name)]
public class TenantS3BackupTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Backups_go_to_the_bucket_with_their_manifests_are_pruned_by_retention_and_drill_restores_from_there()
    {
        await using var s3 = await S3rverServer.StartAsync();
        using var project = new TenantProject(Server);
        var (id, stack) = await UpTenantAsync(project, s3, $"s3://{s3.Bucket}/nightly");
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{id}"), $"SET ROLE \"tenant_{id}\"", "CREATE TABLE app.t(v int)", "INSERT INTO app.t SELECT generate_series(1, 40)");

        var single = await project.Cli.RunOkAsync("tenant", "backup", "-s", stack);
        var all = await project.Cli.RunOkAsync("tenant", "backup", "--all");

        Assert.StartsWith($"s3://{s3.Bucket}/nightly/{id}/{id}-", single.Stdout.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Contains($"to s3://{s3.Bucket}/nightly/{id}/", all.Stdout, StringComparison.Ordinal);
        var store = new S3BackupStore(new S3Connection(s3.Endpoint), s3.Bucket, "nightly");
        foreach (var (key, value) in s3.Credentials)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        var listed = await store.ListAsync(id, default);
        Assert.Equal(2, listed.Count);
        Assert.All(listed, static b => Assert.True(b.IsGood, b.Problem));
        Assert.All(listed, b => Assert.Equal(id, b.Manifest!.Tenant));

        var drill = await project.Cli.RunAsync("dr", "drill", "--tenants");
        Assert.True(drill.ExitCode == 0, drill.ToString());
        Assert.Contains("1 table(s), 40 row(s) match live", drill.Stdout, StringComparison.Ordinal);

        var pruned = await BackupRetention.PruneAsync(store, id, retentionDays: 14, DateTimeOffset.UtcNow.AddDays(30), default);
        Assert.Equal(listed[1].ManifestName, Assert.Single(pruned).ManifestName);
        Assert.Equal(listed[0].ManifestName, Assert.Single(await store.ListAsync(id, default)).ManifestName);
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_is_one_line_naming_it()
    {
        await using var s3 = await S3rverServer.StartAsync();
        foreach (var (key, value) in s3.Credentials)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        var store = new S3BackupStore(new S3Connection(s3.Endpoint), "no-such-bucket", "x");

        var error = await Assert.ThrowsAsync<InfraException>(() => store.ListAsync("acme", default));

        Assert.Equal("backup location s3://no-such-bucket/x: the bucket 'no-such-bucket' does not exist.", error.Message);
    }

    /// <summary>A tenant stack brought up with its backups at <paramref name="location"/> on <paramref name="s3"/>.</summary>
    private static async Task<(string Id, string Stack)> UpTenantAsync(TenantProject project, S3rverServer s3, string location)
    {
        foreach (var (key, value) in s3.Credentials)
        {
            project.Cli.Environment[key] = value;
        }

        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        await project.ConfigAsync(stack, ("backup:location", location), ("backup:s3Endpoint", s3.Endpoint));
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        return (id, stack);
    }
}
