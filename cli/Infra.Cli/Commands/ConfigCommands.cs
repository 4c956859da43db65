using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class ConfigSetSettings : GlobalSettings
{
    [CommandArgument(0, "<KEY>")]
    [Description("A namespaced key, e.g. tenant:id.")]
    public string Key { get; set; } = string.Empty;

    [CommandArgument(1, "[VALUE]")]
    [Description("The value; read from stdin when omitted.")]
    public string? Value { get; set; }

    [CommandOption("--secret")]
    [Description("Encrypt the value (stored as secure:).")]
    public bool Secret { get; set; }

    [CommandOption("--force")]
    [Description("Store the value even if it does not pass the project's schema or the stack kind's rules.")]
    public bool Force { get; set; }
}

internal sealed class ConfigSetCommand : AsyncCommand<ConfigSetSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigSetSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var value = settings.Value ?? (await CliHost.Current.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        await stack.SetConfigAsync(settings.Key, value, settings.Secret, settings.Force, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

internal sealed class ConfigKeySettings : JsonSettings
{
    [CommandArgument(0, "<KEY>")]
    [Description("A namespaced key, e.g. tenant:id.")]
    public string Key { get; set; } = string.Empty;

    [CommandOption("--show-secrets")]
    [Description("Print secret values in plaintext.")]
    public bool ShowSecrets { get; set; }
}

internal sealed class ConfigGetCommand : AsyncCommand<ConfigKeySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigKeySettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var config = stack.GetConfig();
        var secret = config.IsSecret(settings.Key);
        var value = ConfigDisplay.Value(config, settings.Key, settings.ShowSecrets);
        if (value is null)
        {
            throw new ConfigException(config.Settings.Path, settings.Key, "is not set.");
        }

        CliConsole.StdOut.WriteLine(settings.Json ? JsonSerializer.Serialize(new { key = settings.Key, value, secret }, CliJson.Options) : value);
        return ExitCodes.Success;
    }
}

internal sealed class ConfigRemoveSettings : GlobalSettings
{
    [CommandArgument(0, "<KEY>")]
    [Description("The key to remove.")]
    public string Key { get; set; } = string.Empty;
}

internal sealed class ConfigRemoveCommand : AsyncCommand<ConfigRemoveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigRemoveSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        await stack.RemoveConfigAsync(settings.Key, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

internal sealed class ConfigListSettings : JsonSettings
{
    [CommandOption("--show-secrets")]
    [Description("Print secret values in plaintext.")]
    public bool ShowSecrets { get; set; }
}

internal sealed class ConfigListCommand : AsyncCommand<ConfigListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfigListSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var config = stack.GetConfig();
        var rows = config.Keys.Select(key =>
        {
            return (Key: key, Value: ConfigDisplay.Value(config, key, settings.ShowSecrets), Secret: config.IsSecret(key));
        }).ToList();
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(
                rows.ToDictionary(static r => r.Key, static r => new { value = r.Value, secret = r.Secret }), CliJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("KEY", "VALUE");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Key), Markup.Escape(row.Value ?? string.Empty));
        }

        CliConsole.Out.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary>How <c>config get</c> and <c>config ls</c> show a value: a secret is masked unless the user asked to see it.</summary>
internal static class ConfigDisplay
{
    public const string Masked = "[secret]";

    public static string? Value(Infra.Configuration.StackConfig config, string key, bool showSecrets) =>
        !config.IsSecret(key) ? config.Get(key) : showSecrets ? config.RevealSecret(key) : Masked;
}
