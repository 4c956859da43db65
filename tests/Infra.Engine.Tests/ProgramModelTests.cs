using Infra.Automation;
using Infra.Providers.Random;
using Infra.TestSupport;
using Infra.Testing;

namespace Infra.Engine.Tests;

public class ProgramModelTests
{
    [Fact]
    public async Task Secrets_propagate_through_apply_format_and_all()
    {
        var result = await StackTest.UpAsync(StackProgram.FromDelegate(ctx =>
        {
            var password = Output.CreateSecret("hunter2");
            var upper = password.Apply(p => p.ToUpperInvariant());
            var url = Output.Format($"postgres://app:{upper}@db/app");
            var all = Output.All(Output.Create("plain"), password);
            ctx.Export("url", url);
            ctx.Export("all", all);
            ctx.Export("plain", Output.Create("visible"));
        }));

        Assert.True(result.Outputs["url"].IsSecret);
        Assert.Equal("postgres://app:HUNTER2@db/app", result.Outputs["url"].SecretValue.AsString);
        Assert.True(result.Outputs["all"].IsSecret);
        Assert.False(result.Outputs["plain"].IsSecret);
    }

    [Fact]
    public async Task Apply_over_an_unknown_value_is_unknown_in_preview_and_runs_in_up()
    {
        var calls = 0;
        var program = StackProgram.FromDelegate(ctx =>
        {
            var name = new RandomString("name", new RandomStringArgs { Length = 6 });
            ctx.Export("greeting", name.Result.Apply(n =>
            {
                Interlocked.Increment(ref calls);
                return "hello " + n;
            }));
        });
        var options = new StackTestOptions { Providers = [new RandomProviderFactory()] };

        var preview = await StackTest.PreviewAsync(program, options);
        Assert.True(preview.Outputs["greeting"].IsUnknown);
        Assert.Equal(0, calls);

        var up = await StackTest.UpAsync(program, options);
        Assert.StartsWith("hello ", up.Outputs.GetString("greeting"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_urn_fails_at_declaration_and_names_both_resources()
    {
        var error = await Assert.ThrowsAnyAsync<InfraException>(() => StackTest.UpAsync(StackProgram.FromDelegate(_ =>
        {
            new TestResource("same");
            new TestResource("same");
        })));

        Assert.Contains("duplicate resource URN 'urn:infra:test::project::test:index:Resource::same'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dependency_cycle_fails_before_anything_runs_and_names_the_whole_cycle()
    {
        var error = await Assert.ThrowsAnyAsync<InfraException>(() => StackTest.UpAsync(StackProgram.FromDelegate(_ =>
        {
            var later = new DeferredOutput<string>();
            var a = new TestResource("a", new TestResourceArgs { Value = later.Output });
            var b = new TestResource("b", new TestResourceArgs { Value = a.Computed });
            var c = new TestResource("c", new TestResourceArgs { Value = b.Computed });
            later.Resolve(c.Computed);
        })));

        Assert.StartsWith("dependency cycle: ", error.Message, StringComparison.Ordinal);
        foreach (var name in new[] { "a", "b", "c" })
        {
            Assert.Contains($"test:index:Resource::{name}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unresolved_deferred_output_is_an_error()
    {
        var error = await Assert.ThrowsAnyAsync<InfraException>(() => StackTest.UpAsync(StackProgram.FromDelegate(_ =>
            new TestResource("a", new TestResourceArgs { Value = new DeferredOutput<string>().Output }))));

        Assert.Contains("never resolved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declaring_a_resource_inside_apply_is_refused_so_preview_stays_exact()
    {
        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => StackTest.UpAsync(StackProgram.FromDelegate(ctx =>
            ctx.Export("sneaky", Output.Create("x").Apply(v => new TestResource("late-" + v).Urn)))));

        Assert.Contains("after the stack program returned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_names_and_types_are_rejected_with_the_name_in_the_message()
    {
        var empty = await Assert.ThrowsAnyAsync<InfraException>(() => StackTest.UpAsync(StackProgram.FromDelegate(_ => new TestResource(" "))));
        Assert.Contains("empty name", empty.Message, StringComparison.Ordinal);

        var colons = await Assert.ThrowsAnyAsync<InfraException>(() => StackTest.UpAsync(StackProgram.FromDelegate(_ => new TestResource("a::b"))));
        Assert.Contains("'a::b'", colons.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Testing_kit_runs_a_stack_offline_with_mocked_outputs()
    {
        var result = await StackTest.UpAsync(StackProgram.FromDelegate(ctx =>
        {
            var db = new TestResource("db", new TestResourceArgs { Value = ctx.Config.Require("app:name") });
            ctx.Export("dbId", db.Id);
        }), new StackTestOptions { Config = new Dictionary<string, string> { ["app:name"] = "orders" }, Mocks = new FixedIdMocks() });

        Assert.Equal("orders", result.Get(TestResource.TypeToken, "db").NewInputs!.GetString("value"));
        Assert.Equal("db-42", result.Outputs.GetString("dbId"));
    }

    private sealed class FixedIdMocks : EchoMocks
    {
        public override Task<MockResult> NewResourceAsync(MockResourceArgs args, CancellationToken cancellationToken) =>
            Task.FromResult(new MockResult($"{args.Name}-42", args.Inputs));
    }
}
