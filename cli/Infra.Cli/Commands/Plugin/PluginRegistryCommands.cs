using System.Text.Json;
using Infra.Plugins.Registry;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Plugin;

/// <summary><c>infra plugin search [TERM]</c>: plugins of the registry whose name or description matches.</summary>
internal sealed class PluginSearchCommand : AsyncCommand<PluginSearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PluginSearchSettings settings, CancellationToken cancellationToken)
    {
        var found = await new RegistryClient(settings.OpenRegistry()).SearchAsync(settings.Term, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(found, PluginCliJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("NAME", "KIND", "LATEST", "DESCRIPTION");
        foreach (var plugin in found)
        {
            table.AddRow(Markup.Escape(plugin.Name), plugin.Kind, Markup.Escape(plugin.Latest), Markup.Escape(plugin.Description ?? string.Empty));
        }

        CliConsole.Out.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary><c>infra plugin info NAME</c>: every version of a plugin, with what it needs and how it is signed.</summary>
internal sealed class PluginInfoCommand : AsyncCommand<PluginNameSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PluginNameSettings settings, CancellationToken cancellationToken)
    {
        var registry = settings.OpenRegistry();
        var entry = await new RegistryClient(registry).GetPluginAsync(settings.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new InfraException($"plugin '{settings.Name}': the registry {registry.Location} has no such plugin; see 'infra plugin search'.");
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(entry, PluginCliJson.Options));
            return ExitCodes.Success;
        }

        CliConsole.Out.MarkupLine($"[bold]{Markup.Escape(entry.Name)}[/] [grey]({Markup.Escape(registry.Location)})[/]");
        var table = new Table().AddColumns("VERSION", "KIND", "PROTOCOL", "RUNTIME", "CAPABILITIES", "DEPENDENCIES", "SHA256", "KEY");
        foreach (var release in entry.Newest())
        {
            table.AddRow(
                Markup.Escape(release.Version), release.Kind, Markup.Escape(release.Protocol), Markup.Escape(release.Runtime ?? "-"),
                Markup.Escape(string.Join(", ", release.Capabilities)),
                Markup.Escape(string.Join(", ", release.Dependencies.Select(static d => $"{d.Key} {d.Value}"))),
                release.Sha256[..16], PublicKeyText.Id(release.Signature.Key));
        }

        CliConsole.Out.Write(table);
        if (entry.Newest().FirstOrDefault()?.Description is { } description)
        {
            CliConsole.Out.WriteLine(description);
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>infra plugin publish PATH --registry FOLDER --key FILE</c>: pack, sign, and write the registry's index.</summary>
internal sealed class PluginPublishCommand : AsyncCommand<PluginPublishSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PluginPublishSettings settings, CancellationToken cancellationToken)
    {
        using var key = PublisherKey.Load(settings.Key);
        var result = await PluginPublisher.PublishAsync(settings.Path, settings.Registry, key, clock: null, cancellationToken).ConfigureAwait(false);
        var release = result.Release;
        CliConsole.Out.MarkupLine(result.Unchanged
            ? $"{Markup.Escape(release.Artifact)} is already published with the same content; nothing changed."
            : $"Published [bold]{Markup.Escape(release.Artifact)}[/] ({release.Size:N0} bytes, sha256 {release.Sha256[..16]}…) signed by key {PublicKeyText.Id(release.Signature.Key)}.");
        return ExitCodes.Success;
    }
}

/// <summary><c>infra plugin keygen --out FILE</c>: a new Ed25519 publisher key pair.</summary>
internal sealed class PluginKeygenCommand : Command<PluginKeygenSettings>
{
    public override int Execute(CommandContext context, PluginKeygenSettings settings, CancellationToken cancellationToken)
    {
        // As ssh-keygen does: a private key goes only where it was asked to, into a folder that already exists.
        var folder = Path.GetDirectoryName(Path.GetFullPath(settings.Out))!;
        if (!Directory.Exists(folder))
        {
            throw new InfraException($"--out '{settings.Out}': the folder '{folder}' does not exist; create it first. No key was written.");
        }

        using var key = PublisherKey.Generate();
        key.Save(settings.Out);
        CliConsole.Out.MarkupLine($"Wrote the private key to [bold]{Markup.Escape(settings.Out)}[/] (keep it secret) and the public key to {Markup.Escape(settings.Out)}.pub:");
        CliConsole.StdOut.WriteLine(key.PublicKey);
        CliConsole.Out.MarkupLine("Projects trust it under [bold]plugins.trustedKeys[/] in Pulumi.yaml.");
        return ExitCodes.Success;
    }
}
