using Infra.Providers.Synthetic;

namespace Infra.Stacks.Kinds.Synthetic;

/// <summary>
/// The <c>synthetic</c> stack kind: N random resources in a chosen shape, for benchmarks, crash tests and anyone
/// measuring the engine. Config: <c>synthetic:count</c> (0 to 1,000,000), <c>synthetic:shape</c> (<c>chain</c>,
/// <c>wide</c> or <c>tree</c>), <c>synthetic:latencyMs</c> (simulated provider latency) and an optional secret
/// <c>synthetic:secret</c>, passed into the first resource and exported as the secret output <c>secret</c>.
/// </summary>
public sealed class SyntheticStack : Stack
{
    /// <summary>The most resources a synthetic stack declares.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>Declares the synthetic resources its config asks for.</summary>
    public SyntheticStack(StackContext context) : base(context)
    {
        var config = context.Config;
        var count = config.GetInt32("synthetic:count") ?? 0;
        if (count is < 0 or > MaxCount)
        {
            throw new ConfigException(config.Settings.Path, "synthetic:count", $"{count} is out of range; use 0 to {MaxCount}.");
        }

        var shape = config.Get("synthetic:shape") ?? "wide";
        if (shape is not ("chain" or "wide" or "tree"))
        {
            throw new ConfigException(config.Settings.Path, "synthetic:shape", $"{ErrorText.Quote(shape)} is not a shape; use chain, wide or tree.");
        }

        var secret = config.GetSecret("synthetic:secret");
        var resources = new SyntheticResource[count];
        for (var i = 0; i < count; i++)
        {
            Input<string>? upstream = shape switch
            {
                "chain" when i > 0 => (Input<string>)resources[i - 1].Result,
                "tree" when i > 0 => (Input<string>)resources[(i - 1) / 2].Result,
                _ => null,
            };
            if (i == 0 && secret is { } secretValue)
            {
                upstream = secretValue;
            }

            resources[i] = new SyntheticResource($"r-{i}", new SyntheticResourceArgs { Length = 12, Upstream = upstream });
        }

        context.ExportValue("count", count);
        context.ExportValue("shape", shape);
        if (secret is not null)
        {
            context.Export("secret", secret);
        }
    }
}
