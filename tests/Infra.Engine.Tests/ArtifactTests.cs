using Infra.Automation;
using Infra.Deployment;
using Infra.State;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Engine.Tests;

/// <summary>
/// Artifacts: resources a command beside the program made for a stack (a restored copy), recorded in its state with
/// their mark. Up leaves them alone; destroy deletes them before anything the program declared; a delete check that
/// finds a blocker stops the destroy before its first delete (issue 14 §1).
/// </summary>
public class ArtifactTests
{
    private static readonly Action<StackContext> s_program = _ =>
    {
        var database = new TestResource("database", new TestResourceArgs { Value = "db" });
        new TestResource("role", new TestResourceArgs { Value = "role" }, new CustomResourceOptions { DependsOn = [database] });
    };

    [Fact]
    public async Task An_artifact_is_recorded_with_its_mark_and_stack_export_shows_it()
    {
        await using var harness = await Harness.CreateAsync();
        await harness.UpAsync(s_program);

        var artifact = await CreateCopyAsync(harness);

        Assert.Equal("tenant restore", artifact.Artifact);
        var stored = Assert.Single((await harness.Stack.GetSnapshotAsync()).Resources, static r => r.IsArtifact);
        Assert.True(stored.SameAs(artifact));
        Assert.Empty((await harness.Stack.GetSnapshotAsync()).Pending);
        Assert.Contains("\"artifact\": \"tenant restore\"", await harness.Stack.ExportStateAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_leaves_an_artifact_alone_and_destroy_deletes_it_before_anything_the_program_declared()
    {
        await using var harness = await Harness.CreateAsync();
        await harness.UpAsync(s_program);
        var artifact = await CreateCopyAsync(harness);

        var up = await harness.UpAsync(s_program);

        Assert.DoesNotContain(up.Steps, static s => s.Op == StepOp.Delete);
        Assert.NotNull(harness.Cloud.Objects.GetValueOrDefault("copy-1"));

        await harness.DestroyAsync();

        var deletes = harness.Cloud.Operations.Where(static o => o.Op == "delete").ToList();
        Assert.Equal(artifact.Urn, deletes[0].Urn);
        Assert.Equal(artifact.Urn, deletes[1].Urn); // its end, before any other delete began
        Assert.Empty(harness.Cloud.Objects);
        Assert.Empty((await harness.Stack.GetSnapshotAsync()).Resources);
    }

    [Fact]
    public async Task Refresh_reads_an_artifact_back_keeping_its_mark_and_what_its_command_recorded()
    {
        await using var harness = await Harness.CreateAsync();
        await harness.UpAsync(s_program);
        var artifact = await CreateCopyAsync(harness);

        await harness.RefreshAsync();

        var refreshed = Assert.Single((await harness.Stack.GetSnapshotAsync()).Resources, r => r.Urn == artifact.Urn);
        Assert.Equal("tenant restore", refreshed.Artifact);
        Assert.Equal("backup.dump", refreshed.Outputs.GetString("restoredFrom"));
        Assert.Contains(artifact.Urn, harness.Cloud.Reads);
    }

    [Fact]
    public async Task Destroy_keeps_an_artifact_that_belongs_with_a_protected_resource()
    {
        await using var harness = await Harness.CreateAsync();
        await harness.UpAsync(_ => new TestResource("database", new TestResourceArgs { Value = "db" }, new CustomResourceOptions { Protect = true }));
        var spec = new ArtifactSpec(TestResource.TypeToken, "copy", "copy-1", "tenant restore", PropertyMap.Empty) { DependsOn = [Harness.Urn("database")] };
        await harness.Stack.CreateArtifactAsync(spec, _ => Task.FromResult(PropertyMap.Empty));

        var result = await harness.DestroyAsync();

        Assert.Equal([Harness.Urn("copy"), Harness.Urn("database")], result.Kept.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(harness.Cloud.Operations, static o => o.Op == "delete");
    }

    [Fact]
    public async Task A_delete_check_that_finds_a_blocker_stops_destroy_before_its_first_delete()
    {
        await using var harness = await Harness.CreateAsync();
        await harness.UpAsync(s_program);
        var role = Harness.Urn("role");
        harness.Cloud.DeleteBlocker = urn => urn == role ? "it owns objects in database 'elsewhere'" : null;
        var before = await harness.Stack.GetSnapshotAsync();

        var failed = await Assert.ThrowsAsync<UpdateFailedException>(harness.DestroyAsync);

        var blocked = Assert.IsType<DeleteBlockedException>(Assert.Single(failed.Failures));
        Assert.Equal(role, blocked.Urn);
        Assert.Equal($"destroy of stack 'dev' failed: {role}: its delete would fail: it owns objects in database 'elsewhere'; nothing was deleted.", failed.Message);
        Assert.DoesNotContain(harness.Cloud.Operations, static o => o.Op == "delete");
        Assert.Equal(before.Resources.Length, (await harness.Stack.GetSnapshotAsync()).Resources.Length);
    }

    [Fact]
    public async Task A_failed_artifact_creation_leaves_nothing_in_state()
    {
        await using var harness = await Harness.CreateAsync();
        await harness.UpAsync(s_program);
        var spec = new ArtifactSpec(TestResource.TypeToken, "copy", "copy-1", "tenant restore", PropertyMap.Empty);

        await Assert.ThrowsAsync<InfraException>(() => harness.Stack.CreateArtifactAsync(spec, _ => throw new InfraException("the restore failed")));

        var snapshot = await harness.Stack.GetSnapshotAsync();
        Assert.DoesNotContain(snapshot.Resources, static r => r.IsArtifact);
        Assert.Empty(snapshot.Pending);
    }

    private static Task<ResourceState> CreateCopyAsync(Harness harness)
    {
        var inputs = PropertyMap.Empty.SetItem("value", PropertyValue.Create("copy"));
        var spec = new ArtifactSpec(TestResource.TypeToken, "copy", "copy-1", "tenant restore", inputs);
        return harness.Stack.CreateArtifactAsync(spec, _ =>
        {
            // What the command made, outside the program: here, an object in the test cloud.
            harness.Cloud.Objects["copy-1"] = new TestObject("copy-1", Harness.Urn("copy"), inputs);
            return Task.FromResult(inputs.SetItem("restoredFrom", PropertyValue.Create("backup.dump")));
        });
    }
}
