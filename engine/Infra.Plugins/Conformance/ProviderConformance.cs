using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Infra.Plugins.Manifest;
using Infra.Plugins.Runtime;
using Infra.Plugins.Protocol;
using Infra.Plugins.Providers;
using Infra.Providers;
using Infra.Values;
using static Infra.Plugins.Conformance.ConformanceFailure;

namespace Infra.Plugins.Conformance;

/// <summary>
/// The provider half of the suite: handshake and schema; check, diff, create, read, update and delete round trips
/// with secrets and unknowns; create after a crash adopts; a conflicting create is refused; error shapes; a cancelled
/// call; many calls in flight.
/// </summary>
internal sealed class ProviderConformance(PluginManifest manifest, ConformanceFixture fixture, ConformanceOptions options)
{
    private readonly CheckList _checks = new();
    private readonly ConformanceOptions _options = options;

    private PluginOptions Options => manifest.ToOptions() with { CallTimeout = _options.CallTimeout, Log = _options.Log, Launcher = _options.Launcher };

    public async Task<ImmutableArray<ConformanceCheck>> RunAsync(CancellationToken cancellationToken)
    {
        PluginSchema? schema = null;
        await using (var provider = NewProvider())
        {
            if (!await _checks.RunAsync("handshake and schema", async () =>
            {
                (var detail, schema) = await HandshakeAsync(provider, cancellationToken).ConfigureAwait(false);
                return detail;
            }).ConfigureAwait(false))
            {
                return _checks.Checks;
            }
        }

        await _checks.RunAsync("a wrong protocol version is refused in one error", () => WrongProtocolAsync(cancellationToken)).ConfigureAwait(false);
        await _checks.RunAsync("error shapes: unknown method and invalid params", () => ErrorShapesAsync(cancellationToken)).ConfigureAwait(false);
        if (fixture.Resources.FirstOrDefault(r => NotOwn(schema!, r.Type) is null) is { } sample)
        {
            await _checks.RunAsync("batch: each call answered on its own, in order", () => BatchAsync(sample, cancellationToken)).ConfigureAwait(false);
        }
        foreach (var resource in fixture.Resources)
        {
            // A sample of a type the plugin does not serve is never sent to it: the suite tests this plugin's own
            // types only, and a foreign sample is a mistake in conformance.json, reported as such.
            if (NotOwn(schema!, resource.Type) is { } reason)
            {
                _checks.Fail($"{resource.Type}: not sent to {manifest.Name}", reason);
                continue;
            }

            await new ResourceChecks(this, resource).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        return _checks.Checks;
    }

    /// <summary>Why <paramref name="type"/> is not a type of this plugin, or <see langword="null"/> when it is.</summary>
    private static string? NotOwn(PluginSchema schema, string type)
    {
        var package = type.Split(':')[0];
        var served = schema.Resources.Keys.Order(StringComparer.Ordinal).ToList();
        return package != schema.Package
            ? $"{ConformanceFixture.FileName} lists a type of package '{package}', and this plugin is package '{schema.Package}'; give samples of its own types only ({string.Join(", ", served)})"
            : !schema.Resources.ContainsKey(type)
                ? $"{ConformanceFixture.FileName} lists '{type}', which getSchema does not list ({string.Join(", ", served)})"
                : null;
    }

    private PluginProvider NewProvider() =>
        new(manifest.Name, Options, new ProviderContext("conformance", "conformance", fixture.TemporaryDirectory, fixture.Config, IsPreview: false));

    private async Task<(string Detail, PluginSchema Schema)> HandshakeAsync(PluginProvider provider, CancellationToken cancellationToken)
    {
        var info = await provider.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        Expect(info.Name == manifest.Name, $"the handshake names '{info.Name}', the manifest '{manifest.Name}'");
        Expect(info.Version == manifest.Version, $"the handshake says version {info.Version}, the manifest {manifest.Version}");
        var schema = await provider.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        Expect(!schema.Resources.IsEmpty, "getSchema lists no resource type");
        return ($"{info.Name}@{info.Version}, {schema.Resources.Count} resource type(s)", schema);
    }

    private async Task<string> WrongProtocolAsync(CancellationToken cancellationToken)
    {
        await using var process = await PluginProcess.StartAsync(Options, cancellationToken).ConfigureAwait(false);
        try
        {
            await process.InvokeAsync<PluginInfo>(PluginProtocol.Handshake, new HandshakeRequest("infra-plugin/0", "conformance"), cancellationToken).ConfigureAwait(false);
        }
        catch (PluginErrorException ex) when (ex.Code == PluginErrorCodes.ProtocolMismatch)
        {
            return ex.PluginMessage;
        }

        throw new ConformanceFailure("a handshake for infra-plugin/0 was accepted");
    }

    private async Task<string> ErrorShapesAsync(CancellationToken cancellationToken)
    {
        await using var process = await PluginProcess.StartAsync(Options, cancellationToken).ConfigureAwait(false);
        await process.InvokeAsync(PluginProtocol.Configure,
            new ConfigureRequest("conformance", "conformance", fixture.TemporaryDirectory, fixture.Config, IsPreview: false), cancellationToken).ConfigureAwait(false);
        var unknown = await ErrorCodeAsync(() => process.InvokeAsync("conformance/no-such-method", new { }, cancellationToken)).ConfigureAwait(false);
        Expect(unknown == PluginErrorCodes.MethodNotFound, $"an unknown method answered code {unknown}, not {PluginErrorCodes.MethodNotFound}");
        var invalid = await ErrorCodeAsync(() => process.InvokeAsync(PluginProtocol.Create, new { inputs = new { } }, cancellationToken)).ConfigureAwait(false);
        Expect(invalid == PluginErrorCodes.InvalidParams, $"create without urn and type answered code {invalid}, not {PluginErrorCodes.InvalidParams}");
        return "method not found -32601, invalid params -32602";
    }

    /// <summary>
    /// A plugin that announces <see cref="PluginProtocol.BatchCapability"/> answers a batch of calls without side effects
    /// call by call, and a batch whose calls fail fails them one by one. One that does not announce it passes: the
    /// engine sends it one request per call.
    /// </summary>
    private async Task<string> BatchAsync(ResourceFixture sample, CancellationToken cancellationToken)
    {
        await using var process = await PluginProcess.StartAsync(Options, cancellationToken).ConfigureAwait(false);
        if (!process.Info!.Has(PluginProtocol.BatchCapability))
        {
            return "not announced: the engine sends one request per call";
        }

        await process.InvokeAsync(PluginProtocol.Configure,
            new ConfigureRequest("conformance", "conformance", fixture.TemporaryDirectory, fixture.Config, IsPreview: true), cancellationToken).ConfigureAwait(false);
        var urn = $"urn:pulumi:conformance::conformance::{sample.Type}::batch";
        // A preview's create is sent only to a plugin that predicts previews; another gets a second check instead.
        var predicts = process.Info.Has(PluginProtocol.PreviewCapability);
        var good = await process.InvokeAsync<BatchResponse>(PluginProtocol.Batch, new BatchRequest([
            new BatchCall(PluginProtocol.Check, new CheckRequest(urn, sample.Type, null, sample.Inputs)),
            predicts
                ? new BatchCall(PluginProtocol.Create, new CreateRequest(urn, sample.Type, sample.Inputs, null, Preview: true))
                : new BatchCall(PluginProtocol.Check, new CheckRequest(urn, sample.Type, sample.Inputs, sample.Inputs)),
            new BatchCall(PluginProtocol.Read, new ReadRequest(urn, sample.Type, null, sample.Inputs, null)),
        ]), cancellationToken).ConfigureAwait(false);
        Expect(good.Results.Length == 3, $"a batch of 3 calls got {good.Results.Length} results");
        var kinds = good.Results.Select(static r => r is JsonElement { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("result", out _) && !e.TryGetProperty("error", out _)).ToList();
        var second = predicts ? "a preview's create" : "a second check";
        Expect(kinds.All(static ok => ok), $"check, {second} and read in one batch did not all succeed: {string.Join(", ", good.Results)}");
        var bad = await process.InvokeAsync<BatchResponse>(PluginProtocol.Batch, new BatchRequest([
            new BatchCall(PluginProtocol.Check, new CheckRequest(urn, sample.Type, null, sample.Inputs)),
            new BatchCall(PluginProtocol.Create, new { inputs = new { } }),
            new BatchCall(PluginProtocol.Configure, new { }),
        ]), cancellationToken).ConfigureAwait(false);
        Expect(bad.Results.Length == 3, $"a batch of 3 calls got {bad.Results.Length} results");
        var codes = bad.Results.Select(ErrorCodeOf).ToList();
        Expect(codes[0] is null, $"a good check failed beside failing calls (code {codes[0]})");
        Expect(codes[1] == PluginErrorCodes.InvalidParams, $"create without urn and type in a batch answered code {codes[1]?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not {PluginErrorCodes.InvalidParams}");
        Expect(codes[2] == PluginErrorCodes.MethodNotFound, $"configure in a batch answered code {codes[2]?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not {PluginErrorCodes.MethodNotFound}");
        return "3 calls answered; a failing call failed alone";
    }

    private static int? ErrorCodeOf(object entry) =>
        entry is JsonElement { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("error", out var error) &&
        error.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null;

    private static async Task<int?> ErrorCodeAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return null;
        }
        catch (PluginErrorException ex)
        {
            return ex.Code;
        }
    }

    /// <summary>The round trips for one resource type.</summary>
    private sealed class ResourceChecks(ProviderConformance suite, ResourceFixture resource)
    {
        private string Urn(string name) => $"urn:pulumi:conformance::conformance::{resource.Type}::{name}";

        public async Task RunAsync(CancellationToken ct)
        {
            var checks = suite._checks;
            var type = resource.Type;
            CreateResponse? created = null;
            PropertyMap inputs = PropertyMap.Empty;
            await using (var provider = suite.NewProvider())
            {
                if (!await checks.RunAsync($"{type}: check accepts valid inputs and names invalid ones", async () =>
                {
                    var check = await provider.CheckAsync(new CheckRequest(Urn("a"), type, null, resource.Inputs), ct).ConfigureAwait(false);
                    Expect(check.Failures.IsEmpty, $"valid inputs failed: {string.Join("; ", check.Failures.Select(static f => $"{f.Property}: {f.Reason}"))}");
                    inputs = check.Inputs;
                    if (resource.Invalid is not { } invalid)
                    {
                        return "no invalid sample given";
                    }

                    var bad = await provider.CheckAsync(new CheckRequest(Urn("a"), type, null, invalid), ct).ConfigureAwait(false);
                    Expect(!bad.Failures.IsEmpty, "invalid inputs passed check");
                    return $"{bad.Failures.Length} failure(s) for the invalid sample";
                }).ConfigureAwait(false))
                {
                    return;
                }

                await checks.RunAsync($"{type}: a preview with an unknown input changes nothing", async () =>
                {
                    if (!(await provider.GetInfoAsync(ct).ConfigureAwait(false)).Has(PluginProtocol.PreviewCapability))
                    {
                        return "'preview' not announced: the engine predicts a preview's outputs and never sends it";
                    }

                    var previewInputs = resource.Unknown is { } key ? inputs.SetItem(key, PropertyValue.Unknown) : inputs;
                    var preview = await provider.CreateAsync(new CreateRequest(Urn("a"), type, previewInputs, null, Preview: true), ct).ConfigureAwait(false);
                    var read = await provider.ReadAsync(new ReadRequest(Urn("a"), type, preview.Id.Length == 0 ? null : preview.Id, inputs, null), ct).ConfigureAwait(false);
                    Expect(read.Status != ReadStatus.Found, "the preview created the object");
                    return resource.Unknown is null ? "no unknown input named" : $"'{resource.Unknown}' unknown in the preview";
                }).ConfigureAwait(false);

                if (!await checks.RunAsync($"{type}: create, then read finds it with secrets still secret", async () =>
                {
                    created = await provider.CreateAsync(new CreateRequest(Urn("a"), type, inputs, null, Preview: false), ct).ConfigureAwait(false);
                    Expect(created.Id.Length > 0, "create returned an empty ID");
                    ExpectSecretsKept(inputs, created.Outputs, "create's outputs");
                    var read = await provider.ReadAsync(new ReadRequest(Urn("a"), type, created.Id, inputs, created.Outputs), ct).ConfigureAwait(false);
                    Expect(read.Status == ReadStatus.Found, $"read answered {read.Status}");
                    ExpectSecretsKept(inputs, read.Inputs, "read's inputs");
                    return $"ID '{created.Id}'";
                }).ConfigureAwait(false))
                {
                    return;
                }
            }

            // The first process is gone, as after a crash between the create and the engine recording it.
            await using var provider2 = suite.NewProvider();
            await checks.RunAsync($"{type}: create after a crash adopts the identical object", async () =>
            {
                var again = await provider2.CreateAsync(new CreateRequest(Urn("a"), type, inputs, null, Preview: false), ct).ConfigureAwait(false);
                Expect(again.Id == created!.Id, $"the second create returned ID '{again.Id}', not '{created.Id}'");
                return "same ID";
            }).ConfigureAwait(false);

            if (resource.Conflicting is { } conflicting)
            {
                await checks.RunAsync($"{type}: create refuses a different object with a conflict", async () =>
                {
                    var code = await ErrorCodeAsync(() => provider2.CreateAsync(new CreateRequest(Urn("b"), type, conflicting, null, Preview: false), ct)).ConfigureAwait(false);
                    Expect(code == PluginErrorCodes.Conflict, code is null ? "the conflicting create succeeded" : $"answered code {code}, not {PluginErrorCodes.Conflict}");
                    return "conflict 1001";
                }).ConfigureAwait(false);
            }

            var outputs = created!.Outputs;
            if (resource.Update is { } update)
            {
                await checks.RunAsync($"{type}: diff and update in place, then read sees the change", async () =>
                {
                    var same = await provider2.DiffAsync(new DiffRequest(Urn("a"), type, created.Id, inputs, outputs, inputs), ct).ConfigureAwait(false);
                    Expect(!same.HasChanges, $"diff of equal inputs reports changes: {string.Join(", ", same.Changed)}");
                    var diff = await provider2.DiffAsync(new DiffRequest(Urn("a"), type, created.Id, inputs, outputs, update), ct).ConfigureAwait(false);
                    Expect(diff.HasChanges && !diff.RequiresReplacement, $"the update sample should change in place (changed: {string.Join(", ", diff.Changed)}; replaces: {string.Join(", ", diff.Replaces)})");
                    var updated = await provider2.UpdateAsync(new UpdateRequest(Urn("a"), type, created.Id, inputs, outputs, update, null, Preview: false), ct).ConfigureAwait(false);
                    var read = await provider2.ReadAsync(new ReadRequest(Urn("a"), type, created.Id, update, updated.Outputs), ct).ConfigureAwait(false);
                    Expect(read.Status == ReadStatus.Found, $"read after update answered {read.Status}");
                    foreach (var key in diff.Changed.Select(static p => PropertyPath.Parse(p).TopLevelKey))
                    {
                        Expect(Equals(read.Inputs.GetValueOrDefault(key)?.Unwrapped, update.GetValueOrDefault(key)?.Unwrapped), $"read after update shows the old '{key}'");
                    }

                    outputs = updated.Outputs;
                    inputs = update;
                    return $"changed {string.Join(", ", diff.Changed)}";
                }).ConfigureAwait(false);
            }

            await checks.RunAsync($"{type}: delete, then read finds nothing, and a second delete succeeds", async () =>
            {
                await provider2.DeleteAsync(new DeleteRequest(Urn("a"), type, created.Id, inputs, outputs, null), ct).ConfigureAwait(false);
                var read = await provider2.ReadAsync(new ReadRequest(Urn("a"), type, created.Id, inputs, outputs), ct).ConfigureAwait(false);
                Expect(read.Status == ReadStatus.NotFound, $"read after delete answered {read.Status}");
                await provider2.DeleteAsync(new DeleteRequest(Urn("a"), type, created.Id, inputs, outputs, null), ct).ConfigureAwait(false);
                return "gone";
            }).ConfigureAwait(false);

            await checks.RunAsync($"{type}: a cancelled call leaves the plugin serving", async () =>
            {
                using var cancel = new CancellationTokenSource();
                var call = provider2.ReadAsync(new ReadRequest(Urn("a"), type, created.Id, inputs, outputs), cancel.Token);
                await cancel.CancelAsync().ConfigureAwait(false);
                try
                {
                    await call.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Expected, unless the answer came first.
                }

                var read = await provider2.ReadAsync(new ReadRequest(Urn("a"), type, created.Id, inputs, outputs), ct).ConfigureAwait(false);
                Expect(read.Status == ReadStatus.NotFound, $"read after the cancelled call answered {read.Status}");
                return "still serving";
            }).ConfigureAwait(false);

            if (resource.Many(0) is not null)
            {
                await checks.RunAsync($"{type}: {suite.Options.Name} serves {Many} calls in flight at once", () => ConcurrencyAsync(provider2, ct)).ConfigureAwait(false);
            }
        }

        private int Many => suite._options.Concurrency;

        private async Task<string> ConcurrencyAsync(PluginProvider provider, CancellationToken ct)
        {
            var type = resource.Type;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var creates = await Task.WhenAll(Enumerable.Range(0, Many).Select(i =>
                provider.CreateAsync(new CreateRequest(Urn($"many{i}"), type, resource.Many(i)!, null, Preview: false), ct))).ConfigureAwait(false);
            Expect(creates.Select(static c => c.Id).Distinct().Count() == Many, "concurrent creates returned fewer distinct IDs than objects");
            var reads = await Task.WhenAll(creates.Select((c, i) =>
                provider.ReadAsync(new ReadRequest(Urn($"many{i}"), type, c.Id, resource.Many(i), c.Outputs), ct))).ConfigureAwait(false);
            Expect(reads.All(static r => r.Status == ReadStatus.Found), "an object created concurrently is missing");
            await Task.WhenAll(creates.Select((c, i) =>
                provider.DeleteAsync(new DeleteRequest(Urn($"many{i}"), type, c.Id, resource.Many(i)!, c.Outputs, null), ct))).ConfigureAwait(false);
            return $"{Many} creates, reads and deletes in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms";
        }

        private static void ExpectSecretsKept(PropertyMap inputs, PropertyMap outputs, string where)
        {
            foreach (var (key, value) in inputs)
            {
                if (value.IsSecret && outputs.GetValueOrDefault(key) is { } output)
                {
                    Expect(output.IsSecret, $"{where}: '{key}' was secret in the inputs but came back in plaintext");
                }
            }
        }
    }
}
