using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Infra.Plugins.Manifest;
using Infra.Plugins.Runtime;
using Infra.Plugins.Protocol;
using static Infra.Plugins.Conformance.ConformanceFailure;

namespace Infra.Plugins.Conformance;

/// <summary>
/// The policy half of the suite: handshake and <c>describe</c> (names, levels, config), then each policy's fixtures:
/// resources (or stacks) that must pass and ones that must fail; a remediating policy's rewrite must then pass.
/// </summary>
internal sealed class PolicyConformance(PluginManifest manifest, ConformanceFixture fixture, ConformanceOptions options)
{
    private readonly CheckList _checks = new();

    public async Task<ImmutableArray<ConformanceCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var pluginOptions = manifest.ToOptions() with { CallTimeout = options.CallTimeout, Log = options.Log, Launcher = options.Launcher };
        PluginProcess? process = null;
        PolicyPackDescription? pack = null;
        try
        {
            if (!await _checks.RunAsync("handshake and describe", async () =>
            {
                process = await PluginProcess.StartAsync(pluginOptions, cancellationToken).ConfigureAwait(false);
                Expect(process.Info!.Has(PluginProtocol.PolicyCapability), $"the handshake lacks the '{PluginProtocol.PolicyCapability}' capability");
                pack = await process.InvokeAsync<PolicyPackDescription>(PluginProtocol.Describe, null, cancellationToken).ConfigureAwait(false);
                Expect(pack.Name == manifest.Name, $"describe names the pack '{pack.Name}', the manifest '{manifest.Name}'");
                Expect(!pack.Policies.IsDefaultOrEmpty, "the pack declares no policies");
                Expect(pack.Policies.All(static p => p.Kind == PolicyKind.Resource || !p.CanRemediate), "a stack policy claims it can remediate");
                return $"{pack.Name}@{pack.Version}: {string.Join(", ", pack.Policies.Select(static p => $"{p.Name} ({p.Kind}, {p.DefaultLevel})"))}";
            }).ConfigureAwait(false))
            {
                return _checks.Checks;
            }

            foreach (var policyFixture in fixture.Policies)
            {
                await _checks.RunAsync($"{policyFixture.Policy}: passes what complies and reports what does not",
                    () => FixtureAsync(process!, pack!, policyFixture, cancellationToken)).ConfigureAwait(false);
            }

            return _checks.Checks;
        }
        finally
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<string> FixtureAsync(PluginProcess process, PolicyPackDescription pack, PolicyFixture policyFixture, CancellationToken ct)
    {
        var policy = pack.Policies.FirstOrDefault(p => p.Name == policyFixture.Policy)
            ?? throw new ConformanceFailure($"describe lists no policy '{policyFixture.Policy}'");
        var passed = 0;
        var failed = 0;
        foreach (var (entry, mustPass) in policyFixture.Pass.Select(static e => (e, true)).Concat(policyFixture.Fail.Select(static e => (e, false))))
        {
            var violations = policy.Kind == PolicyKind.Stack
                ? await StackViolationsAsync(process, policyFixture, entry, ct).ConfigureAwait(false)
                : await ResourceViolationsAsync(process, policy, policyFixture, entry, mustPass, ct).ConfigureAwait(false);
            Expect(mustPass == (violations.Length == 0),
                mustPass ? $"a compliant sample was reported: {string.Join("; ", violations)}" : $"a violating sample passed: {entry.ToJsonString()}");
            _ = mustPass ? passed++ : failed++;
        }

        return $"{passed} compliant and {failed} violating sample(s) judged right";
    }

    private async Task<ImmutableArray<string>> ResourceViolationsAsync(
        PluginProcess process, PolicyDescription policy, PolicyFixture policyFixture, JsonNode entry, bool mustPass, CancellationToken ct)
    {
        var request = new ResourcePolicyRequest(policy.Name, "conformance", policyFixture.Resource(entry), policyFixture.Config, fixture.PackConfig);
        var result = await process.InvokeAsync<ResourcePolicyResult>(PluginProtocol.ValidateResource, request, ct).ConfigureAwait(false);
        if (!mustPass && policy.CanRemediate && !result.Violations.IsEmpty)
        {
            var remediated = await process.InvokeAsync<RemediationResult>(PluginProtocol.Remediate, request, ct).ConfigureAwait(false);
            var again = await process.InvokeAsync<ResourcePolicyResult>(PluginProtocol.ValidateResource,
                request with { Resource = request.Resource with { Inputs = remediated.Inputs } }, ct).ConfigureAwait(false);
            Expect(again.Violations.IsEmpty, $"the remediated inputs still violate: {string.Join("; ", again.Violations)}");
        }

        return result.Violations;
    }

    private async Task<ImmutableArray<string>> StackViolationsAsync(PluginProcess process, PolicyFixture policyFixture, JsonNode entry, CancellationToken ct)
    {
        var resources = (entry as JsonArray ?? throw new ConformanceFailure("a stack policy's sample is a list of resources"))
            .OfType<JsonNode>().Select(policyFixture.Resource).ToImmutableArray();
        var request = new StackPolicyRequest(policyFixture.Policy, "conformance", resources, policyFixture.Config, fixture.PackConfig);
        var result = await process.InvokeAsync<StackPolicyResult>(PluginProtocol.ValidateStack, request, ct).ConfigureAwait(false);
        return [.. result.Violations.Select(static v => v.Message)];
    }
}
