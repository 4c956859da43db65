using System.Diagnostics;
using Infra.Plugins.Providers;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>
/// <see cref="PluginProviderFactory.Standby"/>: the next operation's process starts when the previous operation's
/// stops, and still serves that one operation only.
/// </summary>
public sealed class StandbyTests
{
    private const string Type = "faulty:index:Thing";

    [Fact]
    public async Task With_a_standby_the_next_operation_gets_a_process_started_before_it_opened_and_configured_only_for_its_stack()
    {
        var (factory, log, first, standby) = await AfterOneOperationAsync();
        await using var stopsTheStandby = factory;

        Assert.Contains(TestPlugins.RecordedRequestsByProcess(log, "getSchema"), r => r.Process == standby);
        Assert.DoesNotContain(TestPlugins.RecordedRequestsByProcess(log, "configure"), r => r.Process == standby);

        await RunOperationAsync(factory, "prod", "second");
        await factory.StandbyReadyAsync();

        var configures = TestPlugins.RecordedRequestsByProcess(log, "configure");
        Assert.All(configures.Where(c => c.Process == first), c => Assert.Equal("dev", c.Params.GetProperty("stackName").GetString()));
        Assert.All(configures.Where(c => c.Process == standby), c => Assert.Equal("prod", c.Params.GetProperty("stackName").GetString()));
        Assert.Contains(configures, c => c.Process == standby);
        var creates = TestPlugins.RecordedRequestsByProcess(log, "create");
        Assert.Equal([first, standby], creates.Select(static c => c.Process));
        var next = Assert.Single(TestPlugins.RecordedProcesses(log).Except([first, standby]));
        Assert.DoesNotContain(configures, c => c.Process == next);

        await factory.DisposeAsync();
        Assert.True(HasExited(next), "disposing the factory stops its standby");
        Assert.True(HasExited(standby), "the second operation's process stopped with it");
    }

    [Fact]
    public async Task A_standby_that_died_before_the_next_operation_opened_is_dropped_and_that_operation_starts_its_own()
    {
        var (factory, log, _, standby) = await AfterOneOperationAsync();
        await using var stopsTheStandby = factory;
        await KillAsync(standby);

        var created = await RunOperationAsync(factory, "dev", "second");

        Assert.Equal("second", created.Id);
        var secondCreate = TestPlugins.RecordedRequestsByProcess(log, "create")[1];
        Assert.NotEqual(standby, secondCreate.Process);
    }

    [Fact]
    public async Task A_standby_that_dies_after_its_operation_took_it_is_replaced_before_the_first_call_without_using_up_a_restart()
    {
        var (factory, log, first, standby) = await AfterOneOperationAsync();
        await using var stopsTheStandby = factory;
        var context = new ProviderContext("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: false) { Operation = new object() };
        await using var warmUp = factory.WarmUp(context);
        await using var provider = (PluginProvider)factory.Create(context);
        await KillAsync(standby);

        var created = await provider.CreateAsync(Create("dev", "second"), CancellationToken.None);

        Assert.Equal("second", created.Id);
        var replacement = TestPlugins.RecordedRequestsByProcess(log, "create")[1].Process;
        Assert.NotEqual(standby, replacement);
        Assert.Equal(replacement, Assert.Single(TestPlugins.RecordedRequestsByProcess(log, "configure"), c => c.Process != first).Process);
        // The operation keeps all its restarts: it survives as many crashes as an operation whose first start lived.
        for (var crash = 0; crash < PluginProvider.MaxStarts - 1; crash++)
        {
            await Assert.ThrowsAsync<PluginFaultException>(() => provider.CreateAsync(Create("dev", "crash"), CancellationToken.None));
        }

        Assert.Equal("last", (await provider.CreateAsync(Create("dev", "last"), CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Without_a_standby_no_process_outlives_its_operation()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        await using var factory = new PluginProviderFactory("faulty", options);

        await RunOperationAsync(factory, "dev", "only");
        await factory.StandbyReadyAsync();

        var process = Assert.Single(TestPlugins.RecordedProcesses(log));
        Assert.True(HasExited(process));
    }

    /// <summary>A recorded factory with a standby, after one operation on stack <c>dev</c>, and its standby started.</summary>
    private static async Task<(PluginProviderFactory Factory, string Log, int First, int Standby)> AfterOneOperationAsync()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        var factory = new PluginProviderFactory("faulty", options) { Standby = true };
        await RunOperationAsync(factory, "dev", "first");
        await factory.StandbyReadyAsync();
        var processes = TestPlugins.RecordedProcesses(log);
        return (factory, log, processes[0], Assert.Single(processes.Skip(1)));
    }

    /// <summary>One operation as the engine runs it: warm-up at its open, a provider, one create, then both released.</summary>
    private static async Task<CreateResponse> RunOperationAsync(PluginProviderFactory factory, string stack, string name)
    {
        var context = new ProviderContext(stack, "test", "/tmp", PropertyMap.Empty, IsPreview: false) { Operation = new object() };
        await using var warmUp = factory.WarmUp(context);
        await using var provider = (PluginProvider)factory.Create(context);
        return await provider.CreateAsync(Create(stack, name), CancellationToken.None);
    }

    private static CreateRequest Create(string stack, string name) =>
        new($"urn:pulumi:{stack}::test::{Type}::{name}", Type, PropertyMap.Create([new("name", PropertyValue.Create(name))]), null, Preview: false);

    private static async Task KillAsync(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private static bool HasExited(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
