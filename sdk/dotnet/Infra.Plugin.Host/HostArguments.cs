namespace Infra.Plugin.Host;

/// <summary>
/// The host's command line: <c>--provider NAME</c> for one of the repository's providers, or
/// <c>--assembly PATH --factory TYPE</c> for any <c>IProviderFactory</c> with a public parameterless constructor;
/// <c>--name</c> and <c>--version</c> set what the handshake reports. <c>--policy-pack PATH</c> serves the C# policy
/// pack in an assembly instead (<c>--pack NAME</c> chooses one when it holds several).
/// </summary>
internal sealed record HostArguments(string? Provider, string? Assembly, string? Factory, string? Name, string Version)
{
    public const string Usage =
        "usage: Infra.Plugin.Host (--provider postgres|random | --assembly PATH --factory TYPE) [--name NAME] [--version X.Y.Z] | --policy-pack PATH [--pack NAME]";

    /// <summary>The assembly of a C# policy pack to serve, if that is the mode.</summary>
    public string? PolicyPack { get; init; }

    /// <summary>Which pack of <see cref="PolicyPack"/>'s assembly to serve.</summary>
    public string? Pack { get; init; }

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is not ("--provider" or "--assembly" or "--factory" or "--name" or "--version" or "--policy-pack" or "--pack") || i + 1 >= args.Count)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'. {Usage}");
            }

            values[args[i]] = args[++i];
        }

        if (values.GetValueOrDefault("--policy-pack") is { } policyPack)
        {
            return values.Count == 1 || (values.Count == 2 && values.ContainsKey("--pack"))
                ? new HostArguments(null, null, null, null, "0.0.0") { PolicyPack = policyPack, Pack = values.GetValueOrDefault("--pack") }
                : throw new ArgumentException($"--policy-pack takes only --pack besides. {Usage}");
        }

        var provider = values.GetValueOrDefault("--provider");
        var assembly = values.GetValueOrDefault("--assembly");
        var factory = values.GetValueOrDefault("--factory");
        if ((provider is null) == (assembly is null) || (assembly is null) != (factory is null))
        {
            throw new ArgumentException($"give either --provider, or --assembly with --factory. {Usage}");
        }

        return new HostArguments(provider, assembly, factory, values.GetValueOrDefault("--name"), values.GetValueOrDefault("--version") ?? "0.1.0");
    }
}
