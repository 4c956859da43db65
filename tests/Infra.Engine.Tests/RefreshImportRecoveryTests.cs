using Infra.Automation;
using Infra.Deployment;
using Infra.State;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Engine.Tests;

public class RefreshImportRecoveryTests
{
    [Fact]
    public async Task Refresh_records_drift_and_the_next_up_corrects_it()
    {
        await using var h = await Harness.CreateAsync();
        void Program(StackContext ctx) => new TestResource("a", new TestResourceArgs { Value = "declared" });
        await h.UpAsync(Program);
        var drifted = h.Cloud.ByUrn(Harness.Urn("a"))!;
        h.Cloud.Objects[drifted.Id] = drifted with { Properties = drifted.Properties.SetItem("value", PropertyValue.Create("edited by hand")) };

        var refresh = await h.RefreshAsync();

        var step = Assert.Single(refresh.Steps);
        Assert.Contains("value", step.Changed);
        Assert.Equal("drift", step.Reason);
        var up = await h.UpAsync(Program);
        Assert.Equal(StepOp.Update, up.Step("a").Op);
        Assert.Equal("declared", h.Cloud.ByUrn(Harness.Urn("a"))!.Properties.GetString("value"));
    }

    [Fact]
    public async Task Refresh_drops_a_resource_deleted_outside_infra_and_up_recreates_it()
    {
        await using var h = await Harness.CreateAsync();
        void Program(StackContext ctx) => new TestResource("a", new TestResourceArgs { Value = "1" });
        await h.UpAsync(Program);
        h.Cloud.Objects.Clear();

        var refresh = await h.RefreshAsync();

        Assert.Equal(StepOp.Forget, Assert.Single(refresh.Steps).Op);
        Assert.Empty((await h.Stack.GetSnapshotAsync()).Resources);
        Assert.Equal(StepOp.Create, (await h.UpAsync(Program)).Step("a").Op);
    }

    [Fact]
    public async Task Import_option_adopts_an_existing_resource_by_id()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Objects["existing-1"] = new TestObject("existing-1", "elsewhere", PropertyMap.Empty.SetItem("value", PropertyValue.Create("1")));

        var result = await h.UpAsync(ctx => new TestResource("adopted", new TestResourceArgs { Value = "1" }, new CustomResourceOptions { ImportId = "existing-1" }));

        Assert.Equal(StepOp.Import, result.Step("adopted").Op);
        Assert.Single(h.Cloud.Objects);
        Assert.Equal("existing-1", (await h.Stack.GetSnapshotAsync()).Resources.Single().Id);
    }

    [Fact]
    public async Task Import_command_adopts_by_id_and_protects_the_resource()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Objects["existing-2"] = new TestObject("existing-2", "elsewhere", PropertyMap.Empty.SetItem("value", PropertyValue.Create("1")));

        await h.Stack.ImportResourceAsync(TestResource.TypeToken, "adopted", "existing-2");

        var state = (await h.Stack.GetSnapshotAsync()).Resources.Single();
        Assert.True(state.Protect);
        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.UpAsync(ctx => { }));
        Assert.Contains("protected", error.Message, StringComparison.Ordinal);
        Assert.Single(h.Cloud.Objects);
    }

    [Fact]
    public async Task Interrupted_create_that_happened_is_read_back_and_recorded()
    {
        await using var h = await Harness.CreateAsync();
        void Program(StackContext ctx) => new TestResource("a", new TestResourceArgs { Value = "1" });
        await InjectPendingAsync(h, OperationKind.Create, new ResourceState
        {
            Urn = Harness.Urn("a"),
            Type = TestResource.TypeToken,
            Custom = true,
            Inputs = PropertyMap.Empty.SetItem("value", PropertyValue.Create("1")),
        });
        h.Cloud.Objects["made-1"] = new TestObject("made-1", Harness.Urn("a"), PropertyMap.Empty.SetItem("value", PropertyValue.Create("1")).SetItem("computed", PropertyValue.Create("computed-1")));

        var result = await h.UpAsync(Program);

        Assert.Equal(StepOp.Same, result.Step("a").Op);
        Assert.Contains(h.Events.OfType<DiagnosticEvent>(), e => e.Message.Contains("interrupted create", StringComparison.Ordinal) && e.Message.Contains("now recorded", StringComparison.Ordinal));
        var snapshot = await h.Stack.GetSnapshotAsync();
        Assert.Empty(snapshot.Pending);
        Assert.Equal("made-1", snapshot.Resources.Single().Id);
        Assert.Single(h.Cloud.Objects);
    }

    [Fact]
    public async Task Interrupted_create_that_never_happened_is_forgotten_and_redone()
    {
        await using var h = await Harness.CreateAsync();
        await InjectPendingAsync(h, OperationKind.Create, new ResourceState { Urn = Harness.Urn("a"), Type = TestResource.TypeToken, Custom = true });

        var result = await h.UpAsync(ctx => new TestResource("a", new TestResourceArgs { Value = "1" }));

        Assert.Equal(StepOp.Create, result.Step("a").Op);
        Assert.Single(h.Cloud.Objects);
        Assert.Empty((await h.Stack.GetSnapshotAsync()).Pending);
    }

    [Fact]
    public async Task Interrupted_create_no_provider_can_locate_needs_clear_pending_and_then_converges()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.CannotLocate = _ => true;
        await InjectPendingAsync(h, OperationKind.Create, new ResourceState { Urn = Harness.Urn("a"), Type = TestResource.TypeToken, Custom = true });
        void Program(StackContext ctx) => new TestResource("a", new TestResourceArgs { Value = "1" });

        var error = await Assert.ThrowsAsync<PendingOperationsException>(() => h.UpAsync(Program));
        Assert.Equal([Harness.Urn("a")], error.Urns);
        Assert.Contains(Harness.Urn("a"), error.Message, StringComparison.Ordinal);
        Assert.Single((await h.Stack.GetSnapshotAsync()).Pending);

        var result = await h.UpAsync(Program, new UpOptions { ClearPending = true });
        Assert.Equal(StepOp.Create, result.Step("a").Op);
        Assert.Empty((await h.Stack.GetSnapshotAsync()).Pending);
    }

    [Fact]
    public async Task Interrupted_create_can_be_adopted_by_id_with_import_pending()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.CannotLocate = _ => true;
        h.Cloud.Objects["made-9"] = new TestObject("made-9", Harness.Urn("a"), PropertyMap.Empty.SetItem("value", PropertyValue.Create("1")).SetItem("computed", PropertyValue.Create("computed-1")));
        await InjectPendingAsync(h, OperationKind.Create, new ResourceState { Urn = Harness.Urn("a"), Type = TestResource.TypeToken, Custom = true });

        var result = await h.UpAsync(ctx => new TestResource("a", new TestResourceArgs { Value = "1" }),
            new UpOptions { ImportPending = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add(Harness.Urn("a"), "made-9") });

        Assert.Equal(StepOp.Same, result.Step("a").Op);
        Assert.Equal("made-9", (await h.Stack.GetSnapshotAsync()).Resources.Single().Id);
    }

    [Fact]
    public async Task Preview_reports_interrupted_operations_without_resolving_them()
    {
        await using var h = await Harness.CreateAsync();
        await InjectPendingAsync(h, OperationKind.Create, new ResourceState { Urn = Harness.Urn("a"), Type = TestResource.TypeToken, Custom = true });

        await h.PreviewAsync(ctx => new TestResource("a"));

        Assert.Contains(h.Events.OfType<DiagnosticEvent>(), e => e.Message.Contains("1 interrupted operation", StringComparison.Ordinal));
        Assert.Single((await h.Stack.GetSnapshotAsync()).Pending);
    }

    private static async Task InjectPendingAsync(Harness h, OperationKind kind, ResourceState resource)
    {
        var backend = h.Project.Workspace.Backend;
        var holder = new LockInfo { LockId = "test", Owner = "t", Host = "h", Pid = 1 };
        await backend.TryAcquireLockAsync("dev", holder, TimeSpan.FromMinutes(1), _ => false, default);
        var pending = new PendingOperation { Id = "p1", Kind = kind, Resource = resource, UpdateId = 7, Started = DateTimeOffset.UtcNow };
        await backend.WriteAsync("dev", "test", [new StoredMutation.AddPending("p1", StateJson.Serialize(pending, null, "dev"))], default);
        await backend.ReleaseLockAsync("dev", "test", default);
    }
}
