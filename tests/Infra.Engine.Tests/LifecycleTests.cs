using Infra.Automation;
using Infra.Deployment;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

public class LifecycleTests
{
    [Fact]
    public async Task Up_creates_then_second_up_reports_no_changes()
    {
        await using var h = await Harness.CreateAsync();
        void Program(StackContext ctx)
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "1" });
            _ = new TestResource("b", new TestResourceArgs { Value = a.Computed });
        }

        var first = await h.UpAsync(Program);
        Assert.Equal(2, first.Summary[StepOp.Create]);
        Assert.Equal(2, h.Cloud.Objects.Count);

        var second = await h.UpAsync(Program);
        Assert.Equal(0, second.Summary.Changes);
        Assert.Equal(2, second.Summary[StepOp.Same]);
    }

    [Fact]
    public async Task Preview_shows_unknown_for_values_computed_by_resources_not_yet_created()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx =>
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "1" });
            _ = new TestResource("b", new TestResourceArgs { Value = a.Computed });
        });

        var b = preview.Step("b");
        Assert.Equal(StepOp.Create, b.Op);
        Assert.Contains("value", b.UnknownPaths);
        Assert.True(b.NewInputs!["value"].IsUnknown);
        Assert.Empty(h.Cloud.Objects);
    }

    [Fact]
    public async Task Changing_an_updatable_input_updates_in_place_and_dependents_follow()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(ctx =>
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "1" });
            _ = new TestResource("b", new TestResourceArgs { Value = a.Computed });
        });
        var idBefore = h.Cloud.ByUrn(Harness.Urn("a"))!.Id;

        var result = await h.UpAsync(ctx =>
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "2" });
            _ = new TestResource("b", new TestResourceArgs { Value = a.Computed });
        });

        Assert.Equal(StepOp.Update, result.Step("a").Op);
        Assert.Equal("value", Assert.Single(result.Step("a").Changed));
        Assert.Equal(StepOp.Update, result.Step("b").Op);
        Assert.Equal(idBefore, h.Cloud.ByUrn(Harness.Urn("a"))!.Id);
        Assert.Equal("computed-2", h.Cloud.ByUrn(Harness.Urn("b"))!.Properties.GetString("value"));
    }

    [Fact]
    public async Task Replace_creates_the_replacement_before_deleting_the_old_resource()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Replace = "1" }));
        var oldId = h.Cloud.ByUrn(Harness.Urn("a"))!.Id;

        var result = await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Replace = "2" }));

        Assert.Equal(StepOp.Replace, result.Step("a").Op);
        var ops = h.Cloud.Operations.Where(o => o.Started).Select(o => o.Op).ToList();
        Assert.Equal(["create", "create", "delete"], ops);
        Assert.Single(h.Cloud.Objects);
        Assert.NotEqual(oldId, h.Cloud.ByUrn(Harness.Urn("a"))!.Id);
    }

    [Fact]
    public async Task DeleteBeforeReplace_deletes_the_old_resource_first()
    {
        await using var h = await Harness.CreateAsync();
        var options = new CustomResourceOptions { DeleteBeforeReplace = true };
        await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Replace = "1" }, options));

        await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Replace = "2" }, options));

        var ops = h.Cloud.Operations.Where(o => o.Started).Select(o => o.Op).ToList();
        Assert.Equal(["create", "delete", "create"], ops);
        Assert.Single(h.Cloud.Objects);
    }

    [Fact]
    public async Task Removed_resources_are_deleted_in_reverse_dependency_order()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(ctx =>
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "1" });
            var b = new TestResource("b", new TestResourceArgs { Value = a.Computed });
            _ = new TestResource("c", new TestResourceArgs { Value = b.Computed });
        });

        var result = await h.UpAsync(ctx => { });

        Assert.Equal(3, result.Summary[StepOp.Delete]);
        var deletes = h.Cloud.Operations.Where(o => o.Op == "delete" && o.Started).Select(o => Urn.NameOf(o.Urn)).ToList();
        Assert.Equal(["c", "b", "a"], deletes);
        Assert.Empty(h.Cloud.Objects);
    }

    [Fact]
    public async Task Protect_blocks_deletion_with_a_message_and_keeps_the_resource()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(_ => new TestResource("db", new TestResourceArgs { Value = "1" }, new CustomResourceOptions { Protect = true }));

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.UpAsync(ctx => { }));

        Assert.Contains("protected", error.Message, StringComparison.Ordinal);
        Assert.Contains(Harness.Urn("db"), error.Message, StringComparison.Ordinal);
        Assert.Single(h.Cloud.Objects);
    }

    [Fact]
    public async Task Protect_blocks_replacement_before_anything_changes()
    {
        await using var h = await Harness.CreateAsync();
        var options = new CustomResourceOptions { Protect = true };
        await h.UpAsync(_ => new TestResource("db", new TestResourceArgs { Replace = "1" }, options));
        var serial = (await h.Stack.GetSnapshotAsync()).Serial;

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.UpAsync(_ => new TestResource("db", new TestResourceArgs { Replace = "2" }, options)));

        Assert.Contains("protected and cannot be replaced", error.Message, StringComparison.Ordinal);
        Assert.Equal(serial, (await h.Stack.GetSnapshotAsync()).Serial);
        Assert.Equal("1", h.Cloud.ByUrn(Harness.Urn("db"))!.Properties.GetString("replace"));
    }

    [Fact]
    public async Task IgnoreChanges_keeps_the_recorded_value_of_ignored_paths()
    {
        await using var h = await Harness.CreateAsync();
        var options = new CustomResourceOptions { IgnoreChanges = ["tags.owner"] };
        await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Value = "1", Tags = new InputMap<string> { ["owner"] = "alice", ["env"] = "dev" } }, options));

        var same = await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Value = "1", Tags = new InputMap<string> { ["owner"] = "bob", ["env"] = "dev" } }, options));
        Assert.Equal(StepOp.Same, same.Step("a").Op);

        var update = await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Value = "1", Tags = new InputMap<string> { ["owner"] = "bob", ["env"] = "prod" } }, options));
        Assert.Equal(StepOp.Update, update.Step("a").Op);
        Assert.Equal("tags.env", Assert.Single(update.Step("a").Changed));
        Assert.Equal("alice", h.Cloud.ByUrn(Harness.Urn("a"))!.Properties["tags"].AsObject.GetString("owner"));
    }

    [Fact]
    public async Task ReplaceOnChanges_forces_replacement_of_an_updatable_property()
    {
        await using var h = await Harness.CreateAsync();
        var options = new CustomResourceOptions { ReplaceOnChanges = ["value"] };
        await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Value = "1" }, options));

        var result = await h.UpAsync(_ => new TestResource("a", new TestResourceArgs { Value = "2" }, options));

        Assert.Equal(StepOp.Replace, result.Step("a").Op);
        Assert.Equal("value", Assert.Single(result.Step("a").Replaces));
    }

    [Fact]
    public async Task Alias_carries_a_renamed_and_reparented_resource_without_replacing_it()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(_ => new TestResource("old-name", new TestResourceArgs { Value = "1" }));
        var id = h.Cloud.Objects.Single().Key;

        var result = await h.UpAsync(ctx =>
        {
            var group = new TestComponent("group");
            _ = new TestResource("new-name", new TestResourceArgs { Value = "1" }, new CustomResourceOptions
            {
                Parent = group,
                Aliases = [new Alias { Name = "old-name", NoParent = true }],
            });
        });

        var step = result.Steps.Single(s => Urn.NameOf(s.Urn) == "new-name");
        Assert.Equal(StepOp.Same, step.Op);
        Assert.Equal(Harness.Urn("old-name"), step.RenamedFrom);
        Assert.DoesNotContain(result.Steps, s => s.Op == StepOp.Delete);
        Assert.Equal(id, h.Cloud.Objects.Single().Key);
        var snapshot = await h.Stack.GetSnapshotAsync();
        Assert.Contains(snapshot.Resources, r => r.Urn == Harness.Urn("new-name", parentChain: "test:index:Component"));
        Assert.DoesNotContain(snapshot.Resources, r => r.Urn == Harness.Urn("old-name"));
    }

    [Fact]
    public async Task RetainOnDelete_forgets_the_resource_but_leaves_it_in_place()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(_ => new TestResource("keep", new TestResourceArgs { Value = "1" }, new CustomResourceOptions { RetainOnDelete = true }));

        var result = await h.UpAsync(ctx => { });

        Assert.Equal(StepOp.Forget, Assert.Single(result.Steps).Op);
        Assert.Single(h.Cloud.Objects);
        Assert.Empty((await h.Stack.GetSnapshotAsync()).Resources);
    }

    [Fact]
    public async Task CustomTimeouts_fail_a_slow_create_and_leave_it_for_the_next_run_to_read_back()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Latency = TimeSpan.FromSeconds(2);
        var options = new CustomResourceOptions { CustomTimeouts = new CustomTimeouts { Create = TimeSpan.FromMilliseconds(100) } };

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.UpAsync(_ => new TestResource("slow", new TestResourceArgs { Value = "1" }, options)));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Single((await h.Stack.GetSnapshotAsync()).Pending);
    }

    [Fact]
    public async Task Component_children_nest_their_urns_under_the_component_type()
    {
        await using var h = await Harness.CreateAsync();
        var result = await h.UpAsync(_ => new TestComponent("group", children: c => new TestResource("child", new TestResourceArgs { Value = "x" }, new CustomResourceOptions { Parent = c }).Computed));

        var child = result.Steps.Single(s => Urn.NameOf(s.Urn) == "child");
        Assert.Equal("urn:infra:dev::platform::test:index:Component$test:index:Resource::child", child.Urn);
        var component = result.Steps.Single(s => Urn.NameOf(s.Urn) == "group");
        Assert.Equal("computed-x", component.NewOutputs!.GetString("child"));
    }

    [Fact]
    public async Task Destroy_deletes_everything_except_protected_resources_and_what_they_depend_on_and_reports_them()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(ctx =>
        {
            var network = new TestResource("network", new TestResourceArgs { Value = "n" });
            _ = new TestResource("db", new TestResourceArgs { Value = network.Computed }, new CustomResourceOptions { Protect = true });
            _ = new TestResource("cache", new TestResourceArgs { Value = "c" });
        });

        var result = await h.DestroyAsync();

        Assert.Equal(["cache"], result.Steps.Where(s => s.Op == StepOp.Delete).Select(s => Urn.NameOf(s.Urn)));
        Assert.Equal(2, h.Cloud.Objects.Count);
        Assert.Equal(["db", "network"], result.Kept.Select(Urn.NameOf).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(h.Events.OfType<DiagnosticEvent>(), e => e.Message.Contains(Harness.Urn("db"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_create_is_reported_and_dependents_do_not_run()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Fail = (urn, op) => op == "create" && urn.EndsWith("::a", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.UpAsync(ctx =>
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "1" });
            _ = new TestResource("b", new TestResourceArgs { Value = a.Computed });
        }));

        Assert.Single(error.Errors);
        Assert.Contains("injected create failure", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Cloud.Objects);
        var snapshot = await h.Stack.GetSnapshotAsync();
        Assert.Empty(snapshot.Resources);
        Assert.Empty(snapshot.Pending);
    }

    [Fact]
    public async Task Invalid_inputs_fail_preview_with_the_property_and_reason()
    {
        await using var h = await Harness.CreateAsync();

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.PreviewAsync(_ => new TestResource("a", new TestResourceArgs { Value = "invalid" })));

        Assert.Contains("invalid inputs: value: must not be 'invalid'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Harness.Urn("a"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_warning_from_check_is_reported_about_its_resource_in_preview_and_up_and_stops_nothing()
    {
        await using var h = await Harness.CreateAsync();
        void Program(StackContext _) => new TestResource("a", new TestResourceArgs { Value = "questionable" });

        await h.PreviewAsync(Program);
        var inPreview = Warnings(h);
        var up = await h.UpAsync(Program);

        Assert.Equal(StepOp.Create, up.Step("a").Op);
        Assert.Single(inPreview);
        Assert.True(Warnings(h).Count > inPreview.Count, "up reported no warning");
        Assert.All(Warnings(h), static w => Assert.Equal((Harness.Urn("a"), "value 'questionable' works, but look at it"), (w.Urn, w.Message)));
    }

    private static List<DiagnosticEvent> Warnings(Harness h) =>
        [.. h.Events.OfType<DiagnosticEvent>().Where(static e => e.Severity == DiagnosticSeverity.Warning)];
}
