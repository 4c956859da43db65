using System.Collections.Immutable;
using Infra.Plugins.Runtime;
using Infra.Plugins.Protocol;
using Infra.Plugins.Providers;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

public sealed class PluginFaultTests
{
    private const string Type = "faulty:index:Thing";

    private static PluginProvider Provider(PluginOptions options) =>
        new("faulty", options, new ProviderContext("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: false));

    private static CreateRequest Create(string name) =>
        new($"urn:pulumi:dev::test::{Type}::{name}", Type, PropertyMap.Create([new("name", PropertyValue.Create(name))]), null, Preview: false);

    [Fact]
    public async Task A_plugin_that_crashes_fails_only_the_calls_it_was_serving_and_the_next_call_starts_a_fresh_process()
    {
        await using var provider = Provider(TestPlugins.Faulty());
        await provider.CreateAsync(Create("before"), CancellationToken.None);

        var fault = await Assert.ThrowsAsync<PluginFaultException>(() => provider.CreateAsync(Create("crash"), CancellationToken.None));

        Assert.Equal(PluginFault.Crashed, fault.Fault);
        Assert.Equal("plugin 'faulty': create: exited with code 3 while serving the call; last log line: boom: crashing on purpose", fault.Message);
        Assert.DoesNotContain('\n', fault.Message);
        Assert.IsAssignableFrom<ProviderOutcomeUnknownException>(fault);
        var after = await provider.CreateAsync(Create("after"), CancellationToken.None);
        Assert.Equal("after", after.Id);
    }

    [Fact]
    public async Task A_call_cancelled_while_its_plugin_is_still_starting_leaves_that_start_to_the_next_call()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty("--slow-handshake", "500"));
        var factory = new PluginProviderFactory("faulty", options);
        var context = new ProviderContext("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: false) { Operation = new object() };
        await using var warmUp = factory.WarmUp(context);
        await using var provider = (PluginProvider)factory.Create(context);
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CreateAsync(Create("early"), impatient.Token));
        var created = await provider.CreateAsync(Create("later"), CancellationToken.None);

        Assert.Equal("later", created.Id);
        Assert.Single(TestPlugins.RecordedProcesses(log));
    }

    [Fact]
    public async Task A_call_that_hangs_past_the_timeout_fails_alone_while_the_other_calls_complete()
    {
        await using var provider = Provider(TestPlugins.Faulty() with { CallTimeout = TimeSpan.FromMilliseconds(1500) });

        var hang = provider.CreateAsync(Create("hang"), CancellationToken.None);
        var others = Enumerable.Range(0, 20).Select(i => provider.CreateAsync(Create($"ok{i}"), CancellationToken.None)).ToList();

        var fault = await Assert.ThrowsAsync<PluginFaultException>(() => hang);
        Assert.Equal(PluginFault.TimedOut, fault.Fault);
        Assert.Equal("plugin 'faulty': create: no answer within 1.5 s; the plugin may still complete it.", fault.Message);
        Assert.Equal(20, (await Task.WhenAll(others)).Length);
        Assert.Equal("late", (await provider.CreateAsync(Create("late"), CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_plugin_that_writes_garbage_fails_its_calls_in_flight_with_a_one_line_error_naming_it()
    {
        await using var provider = Provider(TestPlugins.Faulty());
        var slow = provider.CreateAsync(Create("slow"), CancellationToken.None);

        var fault = await Assert.ThrowsAsync<PluginFaultException>(() => provider.CreateAsync(Create("garbage"), CancellationToken.None));

        Assert.True(fault.Fault == PluginFault.MalformedOutput, fault.Message);
        Assert.StartsWith("plugin 'faulty': create: wrote malformed JSON on stdout (", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', fault.Message);
        Assert.Equal(PluginFault.MalformedOutput, (await Assert.ThrowsAsync<PluginFaultException>(() => slow)).Fault);
        Assert.Equal("next", (await provider.CreateAsync(Create("next"), CancellationToken.None)).Id);
    }

    [Fact]
    public async Task An_answer_of_the_wrong_shape_fails_the_call_as_an_unknown_outcome()
    {
        await using var provider = Provider(TestPlugins.Faulty());

        var fault = await Assert.ThrowsAsync<PluginFaultException>(() => provider.CreateAsync(Create("malformed"), CancellationToken.None));

        Assert.Equal(PluginFault.MalformedAnswer, fault.Fault);
        Assert.StartsWith("plugin 'faulty': create: answered with a malformed create result: ", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_that_speaks_another_protocol_is_refused_in_one_line()
    {
        await using var provider = Provider(TestPlugins.Faulty("--protocol", "infra-plugin/2"));

        var error = await Assert.ThrowsAsync<PluginException>(() => provider.CreateAsync(Create("a"), CancellationToken.None));

        Assert.Equal(
            "plugin 'faulty': speaks protocol infra-plugin/2, this engine speaks infra-plugin/1; install a version of the plugin built for infra-plugin/1.",
            error.Message);
    }

    [Fact]
    public async Task A_plugin_whose_program_is_missing_fails_in_one_line_naming_the_plugin_and_the_command()
    {
        var options = TestPlugins.Faulty() with { Command = new PluginCommand(["no-such-runtime-here", "x.js"], "/tmp") };
        await using var provider = Provider(options);

        var error = await Assert.ThrowsAsync<PluginException>(() => provider.CreateAsync(Create("a"), CancellationToken.None));

        Assert.StartsWith("plugin 'faulty': cannot start 'no-such-runtime-here x.js' in /tmp: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_plugin_gets_a_minimal_environment_and_never_the_config_passphrase()
    {
        var options = TestPlugins.Faulty() with
        {
            Command = TestPlugins.Faulty().Command with
            {
                Environment = new Dictionary<string, string> { ["PLUGIN_SETTING"] = "1", [PluginEnvironment.PassphraseVariable] = "leak" }.ToImmutableDictionary(),
            },
        };
        Environment.SetEnvironmentVariable("INFRA_TEST_ENGINE_ONLY", "secret-of-the-engine");
        await using var process = await PluginProcess.StartAsync(options, CancellationToken.None);

        var names = await process.InvokeAsync<string[]>("environment", null, CancellationToken.None);

        Assert.Contains("PLUGIN_SETTING", names);
        Assert.Contains("PATH", names);
        Assert.DoesNotContain(PluginEnvironment.PassphraseVariable, names);
        Assert.DoesNotContain("INFRA_TEST_ENGINE_ONLY", names);
    }

    [Fact]
    public async Task Disposing_the_provider_ends_its_plugin_process()
    {
        var provider = Provider(TestPlugins.Faulty());
        await provider.CreateAsync(Create("a"), CancellationToken.None);
        var info = await provider.GetInfoAsync(CancellationToken.None);
        Assert.Equal("faulty", info.Name);
        await using (var probe = await PluginProcess.StartAsync(TestPlugins.Faulty(), CancellationToken.None))
        {
            var pid = await probe.InvokeAsync<int>("pid", null, CancellationToken.None);
            await probe.DisposeAsync();
            Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
        }

        await provider.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => provider.CreateAsync(Create("b"), CancellationToken.None));
    }

    [Fact]
    public async Task An_error_answer_means_the_call_did_not_happen_and_keeps_its_code()
    {
        await using var process = await PluginProcess.StartAsync(TestPlugins.Faulty(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PluginErrorException>(() => process.InvokeAsync("nope", new { }, CancellationToken.None));

        Assert.Equal(PluginErrorCodes.MethodNotFound, error.Code);
        Assert.Equal("plugin 'faulty': nope: method not found: no method 'nope'", error.Message);
        Assert.IsNotAssignableFrom<ProviderOutcomeUnknownException>(error);
    }
}
