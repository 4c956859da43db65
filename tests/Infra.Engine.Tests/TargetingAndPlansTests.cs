using Infra.Automation;
using Infra.Deployment;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

public class TargetingAndPlansTests
{
    private static void ThreeInAChain(StackContext ctx, string value)
    {
        var a = new TestResource("a", new TestResourceArgs { Value = value });
        var b = new TestResource("b", new TestResourceArgs { Value = a.Computed });
        new TestResource("c", new TestResourceArgs { Value = "c-" + value });
        _ = b;
    }

    [Fact]
    public async Task Target_changes_only_the_targeted_resource()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(ctx => ThreeInAChain(ctx, "1"));

        var result = await h.UpAsync(ctx => ThreeInAChain(ctx, "2"), new UpOptions { Targets = [Harness.Urn("a")] });

        Assert.Equal(StepOp.Update, result.Step("a").Op);
        Assert.Equal(StepOp.Same, result.Step("b").Op);
        Assert.Equal(StepOp.Same, result.Step("c").Op);
        Assert.Equal("c-1", h.Cloud.ByUrn(Harness.Urn("c"))!.Properties.GetString("value"));
    }

    [Fact]
    public async Task Target_with_dependents_also_changes_what_depends_on_the_target()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(ctx => ThreeInAChain(ctx, "1"));

        var result = await h.UpAsync(ctx => ThreeInAChain(ctx, "2"), new UpOptions { Targets = [Harness.Urn("a")], TargetDependents = true });

        Assert.Equal(StepOp.Update, result.Step("a").Op);
        Assert.Equal(StepOp.Update, result.Step("b").Op);
        Assert.Equal(StepOp.Same, result.Step("c").Op);
    }

    [Fact]
    public async Task Target_that_reads_an_untargeted_missing_resource_fails_with_the_fix()
    {
        await using var h = await Harness.CreateAsync();

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() =>
            h.UpAsync(ctx => ThreeInAChain(ctx, "1"), new UpOptions { Targets = [Harness.Urn("b")] }));

        var untargeted = Assert.IsType<UntargetedDependencyException>(Assert.Single(error.Failures));
        Assert.Equal(Harness.Urn("b"), untargeted.Urn);
        Assert.Equal(Harness.Urn("a"), untargeted.Dependency);
        Assert.Empty(h.Cloud.Objects);
    }

    [Fact]
    public async Task Replace_option_replaces_an_unchanged_resource()
    {
        await using var h = await Harness.CreateAsync();
        await h.UpAsync(ctx => ThreeInAChain(ctx, "1"));

        var result = await h.UpAsync(ctx => ThreeInAChain(ctx, "1"), new UpOptions { Replaces = [Harness.Urn("c")] });

        Assert.Equal(StepOp.Replace, result.Step("c").Op);
        Assert.Equal("replacement requested", result.Step("c").Reason);
        Assert.Equal(1, result.Summary.Changes);
    }

    [Fact]
    public async Task Unknown_target_urn_is_rejected_before_anything_runs()
    {
        await using var h = await Harness.CreateAsync();

        var error = await Assert.ThrowsAsync<OperationOptionException>(() =>
            h.UpAsync(ctx => ThreeInAChain(ctx, "1"), new UpOptions { Targets = [Harness.Urn("nope")] }));

        Assert.Equal(nameof(UpOptions.Targets), error.Option);
        Assert.Contains("::nope', which is neither declared", error.Problem, StringComparison.Ordinal);
        Assert.Empty(h.Cloud.Objects);
    }

    [Fact]
    public async Task Saved_plan_is_applied_exactly()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));
        var saved = h.Stack.DeserializePlan(h.Stack.SerializePlan(preview.Plan), "plan.json");

        var result = await h.UpAsync(ctx => ThreeInAChain(ctx, "1"), new UpOptions { Plan = saved });

        Assert.Equal(3, result.Summary[StepOp.Create]);
        Assert.Equal(3, h.Cloud.Objects.Count);
    }

    [Fact]
    public async Task Saved_plan_is_refused_when_the_state_moved_since_it_was_made()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));
        await h.UpAsync(ctx => new TestResource("other"));

        var error = await Assert.ThrowsAsync<PlanOutdatedException>(() => h.UpAsync(ctx => ThreeInAChain(ctx, "1"), new UpOptions { Plan = preview.Plan }));

        Assert.Contains("has moved since the plan was made", error.Message, StringComparison.Ordinal);
        Assert.Single(h.Cloud.Objects);
    }

    [Fact]
    public async Task A_stale_saved_plan_is_refused_before_it_is_shown_for_confirmation()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));
        var current = await h.Stack.PreviewAsync(new PreviewOptions { Program = StackProgram.FromDelegate(ctx => ThreeInAChain(ctx, "1")) });
        var shown = 0;
        var options = new UpOptions { Confirm = (_, _) => Task.FromResult(++shown > 0) };

        await h.UpAsync(ctx => ThreeInAChain(ctx, "1"), options with { Plan = current.Plan });
        await h.UpAsync(ctx => new TestResource("other"));
        await Assert.ThrowsAnyAsync<InfraException>(() => h.UpAsync(ctx => ThreeInAChain(ctx, "1"), options with { Plan = preview.Plan }));

        Assert.Equal(1, shown);
    }

    [Fact]
    public async Task Saved_plan_is_refused_when_the_program_changed_since_it_was_made()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => h.UpAsync(ctx => ThreeInAChain(ctx, "2"), new UpOptions { Plan = preview.Plan }));

        Assert.Contains("differs from the saved plan", error.Message, StringComparison.Ordinal);
        Assert.All(error.Failures, static f => Assert.IsType<PlanMismatchException>(f));
    }

    [Fact]
    public async Task Saved_plan_keeps_secrets_encrypted_and_restores_them()
    {
        await using var h = await Harness.CreateAsync();
        void Program(StackContext ctx) => new TestResource("s", new TestResourceArgs { Password = Output.CreateSecret("hunter2") });
        var preview = await h.PreviewAsync(Program);

        var json = h.Stack.SerializePlan(preview.Plan);

        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        var restored = h.Stack.DeserializePlan(json, "plan.json");
        Assert.Equal("hunter2", restored.Step("s").NewInputs!["password"].SecretValue.AsString);
        await h.UpAsync(Program, new UpOptions { Plan = restored });
    }

    [Fact]
    public async Task Preview_json_lists_actions_before_after_and_unknown_paths()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));

        var json = PlanJson.Serialize(preview.Plan, Values.PropertyJsonMode.Masked);

        using var document = System.Text.Json.JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(SavedPlan.CurrentFormatVersion, root.GetProperty("formatVersion").GetInt32());
        var b = root.GetProperty("resourceChanges").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "b");
        Assert.Equal("create", b.GetProperty("actions")[0].GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, b.GetProperty("before").ValueKind);
        Assert.Equal("value", b.GetProperty("afterUnknown")[0].GetString());
        Assert.True(b.GetProperty("after").GetProperty("value").GetProperty("$unknown").GetBoolean());
    }

    [Fact]
    public async Task Plans_carry_each_step_s_dependencies_as_the_engine_planned_them()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));

        var json = PlanJson.Serialize(preview.Plan, Values.PropertyJsonMode.Masked);
        var restored = PlanJson.Deserialize(json, null, "plan.json");

        Assert.Equal([Harness.Urn("a")], preview.Step("b").Dependencies.ToArray());
        Assert.Empty(preview.Step("c").Dependencies);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var b = document.RootElement.GetProperty("resourceChanges").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "b");
        Assert.Equal([Harness.Urn("a")], b.GetProperty("dependencies").EnumerateArray().Select(static d => d.GetString()));
        Assert.Equal([Harness.Urn("a")], restored.Step("b").Dependencies.ToArray());
    }

    [Fact]
    public async Task A_version_1_plan_without_dependencies_is_still_read_and_applied()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(h.Stack.SerializePlan(preview.Plan))!;
        node["formatVersion"] = 1;
        foreach (var step in node["resourceChanges"]!.AsArray())
        {
            step!.AsObject().Remove("dependencies");
        }

        var old = h.Stack.DeserializePlan(node.ToJsonString(), "old-plan.json");
        var result = await h.UpAsync(ctx => ThreeInAChain(ctx, "1"), new UpOptions { Plan = old });

        Assert.Equal(1, old.FormatVersion);
        Assert.All(old.Steps, static s => Assert.Empty(s.Dependencies));
        Assert.Equal(3, result.Summary[StepOp.Create]);
    }

    [Fact]
    public async Task A_plan_of_an_unknown_future_version_is_refused_naming_the_versions_read()
    {
        await using var h = await Harness.CreateAsync();
        var preview = await h.PreviewAsync(ctx => ThreeInAChain(ctx, "1"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(h.Stack.SerializePlan(preview.Plan))!;
        node["formatVersion"] = SavedPlan.CurrentFormatVersion + 1;

        var error = Assert.Throws<InfraException>(() => h.Stack.DeserializePlan(node.ToJsonString(), "future.json"));

        Assert.Contains($"plan format version {SavedPlan.CurrentFormatVersion + 1} is not supported (expected 1 to {SavedPlan.CurrentFormatVersion})", error.Message, StringComparison.Ordinal);
    }
}

internal static class PlanExtensions
{
    public static PlannedStep Step(this SavedPlan plan, string name) => plan.Steps.Single(s => Urn.NameOf(s.Urn) == name);
}
