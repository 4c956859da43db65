using System.Diagnostics;
using Infra.Automation;
using Infra.Deployment;
using Infra.Locks;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

public class ParallelismAndConcurrencyTests
{
    [Fact]
    public async Task Parallel_bounds_concurrent_provider_operations()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Latency = TimeSpan.FromMilliseconds(30);

        await h.UpAsync(ctx =>
        {
            for (var i = 0; i < 24; i++)
            {
                new TestResource($"r{i}", new TestResourceArgs { Value = "x" });
            }
        }, new UpOptions { Parallel = 3 });

        Assert.Equal(3, h.Cloud.MaxConcurrency);
        Assert.Equal(24, h.Cloud.Objects.Count);
    }

    [Fact]
    public async Task Independent_resources_run_in_parallel_and_dependents_wait_for_their_dependencies()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Latency = TimeSpan.FromMilliseconds(50);

        await h.UpAsync(ctx =>
        {
            var a = new TestResource("a", new TestResourceArgs { Value = "1" });
            var b = new TestResource("b", new TestResourceArgs { Value = "2" });
            new TestResource("c", new TestResourceArgs { Value = Output.Format($"{a.Computed}+{b.Computed}") });
        }, new UpOptions { Parallel = 8 });

        var log = h.Cloud.Operations;
        DateTimeOffset Time(string name, bool started) => log.Single(o => o.Urn.EndsWith("::" + name, StringComparison.Ordinal) && o.Started == started).Time;
        Assert.True(Time("b", started: true) < Time("a", started: false), "a and b should overlap");
        Assert.True(Time("c", started: true) >= Time("a", started: false));
        Assert.True(Time("c", started: true) >= Time("b", started: false));
        Assert.Equal("computed-1+computed-2", h.Cloud.ByUrn(Harness.Urn("c"))!.Properties.GetString("value"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Parallel_below_one_is_rejected_naming_the_option(int parallel)
    {
        await using var h = await Harness.CreateAsync();

        var error = await Assert.ThrowsAsync<OperationOptionException>(() => h.UpAsync(ctx => new TestResource("a"), new UpOptions { Parallel = parallel }));

        Assert.Equal(nameof(UpOptions.Parallel), error.Option);
        Assert.Equal($"must be at least 1, got {parallel}.", error.Problem);
        Assert.Empty(h.Cloud.Objects);
    }

    [Fact]
    public async Task A_second_update_of_a_locked_stack_fails_at_once_naming_the_holder()
    {
        await using var h = await Harness.CreateAsync();
        h.Cloud.Latency = TimeSpan.FromMilliseconds(300);
        var first = h.UpAsync(ctx => new TestResource("slow", new TestResourceArgs { Value = "1" }));
        while (await h.Stack.GetLockAsync() is null)
        {
            await Task.Delay(5);
        }

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StackLockedException>(() => h.UpAsync(ctx => new TestResource("slow", new TestResourceArgs { Value = "1" })));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId, error.Holder!.Pid);
        Assert.DoesNotContain("infra", error.Message, StringComparison.Ordinal);
        await first;
    }

    [Fact]
    public async Task Fifty_stacks_update_concurrently_in_one_process()
    {
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var workspace = project.Workspace;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            var stack = await workspace.CreateOrSelectStackAsync($"tenant-{i}");
            await stack.SetConfigAsync("app:name", $"tenant-{i}");
            return await stack.UpAsync(new UpOptions
            {
                Program = StackProgram.FromDelegate(ctx =>
                {
                    var a = new TestResource("db", new TestResourceArgs { Value = ctx.Config.Require("app:name") });
                    new TestResource("app", new TestResourceArgs { Value = a.Computed });
                    ctx.Export("name", a.Computed);
                }),
            });
        })));

        Assert.All(results, r => Assert.Equal(2, r.Summary[StepOp.Create]));
        Assert.Equal(50, (await workspace.ListStacksAsync()).Count);
        for (var i = 0; i < 50; i++)
        {
            var outputs = await (await workspace.SelectStackAsync($"tenant-{i}")).GetOutputsAsync();
            Assert.Equal($"computed-tenant-{i}", outputs.GetString("name"));
        }
    }

    [Fact]
    public async Task Stack_reference_reads_another_stacks_outputs_and_keeps_secrets_secret()
    {
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var platform = await project.Workspace.CreateStackAsync("platform");
        await platform.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(ctx =>
            {
                ctx.Export("endpoint", Output.Create("https://cluster.local"));
                ctx.Export("token", Output.CreateSecret("t0ken"));
            }),
        });
        var tenant = await project.Workspace.CreateStackAsync("tenant");

        var result = await tenant.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(ctx =>
            {
                var reference = ctx.GetStackReference("platform");
                new TestResource("app", new TestResourceArgs { Value = reference.RequireOutput<string>("endpoint"), Password = reference.RequireOutput<string>("token") });
                ctx.Export("copied", reference.RequireOutput<string>("token"));
            }),
        });

        var step = result.Steps.Single(s => s.Type == TestResource.TypeToken);
        Assert.Equal("https://cluster.local", step.NewInputs!.GetString("value"));
        Assert.True(step.NewInputs!["password"].IsSecret);
        Assert.True(result.Outputs["copied"].IsSecret);
    }
}

public class LockLossTests
{
    [Fact]
    public async Task A_run_whose_lock_is_cancelled_stops_before_writing_more()
    {
        var cloud = new TestCloud { Latency = TimeSpan.FromMilliseconds(400) };
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(cloud)]);
        await using var workspace = await Workspace.OpenAsync(project.Workspace.Options with { LockLease = TimeSpan.FromSeconds(1.5) });
        var stack = await workspace.CreateStackAsync("dev");
        var running = stack.UpAsync(new UpOptions
        {
            Parallel = 1,
            Program = StackProgram.FromDelegate(_ =>
            {
                for (var i = 0; i < 20; i++)
                {
                    new TestResource($"r{i}", new TestResourceArgs { Value = "x" });
                }
            }),
        });
        while (cloud.Objects.IsEmpty)
        {
            await Task.Delay(20);
        }

        Assert.NotNull(await stack.CancelAsync());

        await Assert.ThrowsAnyAsync<Exception>(() => running);
        var created = cloud.Objects.Count;
        Assert.True(created < 20, $"the run went on after losing its lock ({created} of 20 created)");
        var snapshot = await stack.GetSnapshotAsync();
        Assert.True(snapshot.Resources.Length + snapshot.Pending.Length <= created + 1, $"state {snapshot.Resources.Length} + pending {snapshot.Pending.Length}, cloud {created}");
    }
}
