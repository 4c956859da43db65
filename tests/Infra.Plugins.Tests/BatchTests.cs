using System.Text.Json;
using Infra.Plugins.Protocol;
using Infra.Plugins.Providers;
using Infra.Plugins.Runtime;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>The optional <c>batch</c> capability: calls coalesced for a plugin that announces it, one by one for one that does not, each with its own outcome.</summary>
public sealed class BatchTests
{
    private const string Type = "faulty:index:Thing";

    private static CheckRequest Check(string name) =>
        new($"urn:pulumi:dev::test::{Type}::{name}", Type, null, PropertyMap.Create([new("name", PropertyValue.Create(name))]));

    private static PluginProvider Provider(PluginOptions options) =>
        new("faulty", options, new ProviderContext("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: true));

    private static async Task<PluginProcess> StartAsync(params string[] arguments)
    {
        var process = await PluginProcess.StartAsync(TestPlugins.Faulty(arguments), CancellationToken.None);
        await process.InvokeAsync(PluginProtocol.Configure, new ConfigureRequest("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: true), CancellationToken.None);
        return process;
    }

    /// <summary>What the plugin received after <c>configure</c>: requests (alone or batches), batches, and the calls those carried.</summary>
    private static async Task<(int Messages, int Batches, int BatchedCalls)> StatsAsync(PluginProcess process)
    {
        var stats = await process.InvokeAsync<JsonElement>("stats", null, CancellationToken.None);
        const int handshakeConfigureAndStats = 3;
        return (stats.GetProperty("messages").GetInt32() - handshakeConfigureAndStats, stats.GetProperty("batches").GetInt32(), stats.GetProperty("batchedCalls").GetInt32());
    }

    [Fact]
    public async Task A_burst_of_calls_to_a_plugin_that_announces_batch_travels_in_a_few_messages_each_call_answered_with_its_own_result()
    {
        await using var process = await StartAsync("--batch");

        var checks = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => process.InvokeBatchedAsync<CheckResponse>(PluginProtocol.Check, Check($"r{i}"), CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 300).Select(static i => $"r{i}"), checks.Select(static c => c.Inputs["name"].AsString));
        var (messages, batches, batchedCalls) = await StatsAsync(process);
        Assert.True(batches > 0, "no batch was sent");
        Assert.True(messages < 300 / 4, $"300 calls took {messages} messages ({batches} batches carrying {batchedCalls} calls)");
        Assert.Equal(300, messages - batches + batchedCalls);
    }

    [Fact]
    public async Task A_plugin_that_does_not_announce_batch_gets_one_request_per_call_as_in_version_1()
    {
        await using var process = await StartAsync();

        var checks = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => process.InvokeBatchedAsync<CheckResponse>(PluginProtocol.Check, Check($"r{i}"), CancellationToken.None)));

        Assert.Equal(100, checks.Select(static c => c.Inputs["name"].AsString).Distinct().Count());
        var (messages, batches, _) = await StatsAsync(process);
        Assert.Equal(0, batches);
        Assert.Equal(100, messages);
    }

    [Fact]
    public async Task A_call_that_fails_inside_a_batch_fails_alone_with_its_own_method_and_code()
    {
        await using var process = await StartAsync("--batch");

        var calls = Enumerable.Range(0, 40).Select(i => process.InvokeBatchedAsync<CheckResponse>(PluginProtocol.Check, Check(i == 20 ? "refuse" : i == 30 ? "malformed" : $"r{i}"), CancellationToken.None)).ToList();

        var refused = await Assert.ThrowsAsync<PluginErrorException>(() => calls[20]);
        Assert.Equal("plugin 'faulty': check: conflict: refused on purpose", refused.Message);
        var malformed = await Assert.ThrowsAsync<PluginFaultException>(() => calls[30]);
        Assert.Equal(PluginFault.MalformedAnswer, malformed.Fault);
        Assert.StartsWith("plugin 'faulty': check: answered with a malformed check result: ", malformed.Message, StringComparison.Ordinal);
        Assert.Equal(38, (await Task.WhenAll(calls.Where((_, i) => i is not (20 or 30)))).Length);
        Assert.True((await StatsAsync(process)).Batches > 0, "the calls did not ride in a batch");
    }

    [Fact]
    public async Task A_plugin_that_crashes_while_serving_a_batch_fails_only_the_calls_in_flight_and_the_next_call_starts_a_fresh_process()
    {
        await using var provider = Provider(TestPlugins.Faulty("--batch"));
        await provider.CheckAsync(Check("before"), CancellationToken.None);

        var calls = Enumerable.Range(0, 30).Select(i => provider.CheckAsync(Check(i == 15 ? "crash" : $"r{i}"), CancellationToken.None)).ToList();
        var outcomes = await Task.WhenAll(calls.Select(static async c =>
        {
            try
            {
                await c;
                return null;
            }
            catch (PluginFaultException fault)
            {
                return fault;
            }
        }));

        var crash = outcomes[15];
        Assert.NotNull(crash);
        Assert.Equal(PluginFault.Crashed, crash.Fault);
        Assert.Equal("plugin 'faulty': check: exited with code 3 while serving the call; last log line: boom: crashing on purpose", crash.Message);
        Assert.All(outcomes.OfType<PluginFaultException>(), f => Assert.Equal(crash.Message, f.Message));
        Assert.Equal("after", (await provider.CheckAsync(Check("after"), CancellationToken.None)).Inputs["name"].AsString);
    }

    [Fact]
    public async Task A_batch_that_hangs_past_the_timeout_fails_the_calls_it_carried_while_later_calls_complete()
    {
        var process = await PluginProcess.StartAsync(TestPlugins.Faulty("--batch") with { CallTimeout = TimeSpan.FromMilliseconds(1500) }, CancellationToken.None);
        await using var _ = process;
        await process.InvokeAsync(PluginProtocol.Configure, new ConfigureRequest("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: true), CancellationToken.None);

        // The first two calls go alone (two requests in flight); the others, the hanging one among them, wait and ride together.
        var calls = Enumerable.Range(0, 10).Select(i => process.InvokeBatchedAsync<CheckResponse>(PluginProtocol.Check, Check(i == 9 ? "hang" : $"r{i}"), CancellationToken.None)).ToList();
        var fault = await Assert.ThrowsAsync<PluginFaultException>(() => calls[9]);

        Assert.Equal("r0", (await calls[0]).Inputs["name"].AsString);
        Assert.True((await StatsAsync(process)).Batches > 0, "the hanging call did not ride in a batch");
        Assert.Equal(PluginFault.TimedOut, fault.Fault);
        Assert.Equal("plugin 'faulty': check: no answer within 1.5 s; the plugin may still complete it.", fault.Message);
        var later = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => process.InvokeBatchedAsync<CheckResponse>(PluginProtocol.Check, Check($"r{i}"), CancellationToken.None)));
        Assert.Equal(20, later.Length);
    }
}
