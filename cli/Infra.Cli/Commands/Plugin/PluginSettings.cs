using System.ComponentModel;
using Infra.Configuration;
using Infra.Plugins.Projects;
using Infra.Plugins.Registry;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Plugin;

/// <summary>Options of plugin commands that read a registry.</summary>
internal class RegistrySettings : JsonSettings
{
    [CommandOption("--registry <LOCATION>")]
    [Description("The registry: a folder or an http(s) URL (default: plugins.registry in Pulumi.yaml).")]
    public string? Registry { get; set; }

    /// <summary>The project's plugin settings, from the nearest Pulumi.yaml.</summary>
    public ProjectPluginSettings Project() =>
        ProjectPluginSettings.Load(ProjectFile.Find(Cwd ?? Directory.GetCurrentDirectory()).Directory);

    /// <summary>The registry named by --registry, else by the project.</summary>
    public IRegistrySource OpenRegistry() => Registry is { } location
        ? RegistrySource.Open(location, Directory.GetCurrentDirectory())
        : PluginInstaller.OpenRegistry(Project());
}

internal sealed class PluginSearchSettings : RegistrySettings
{
    [CommandArgument(0, "[TERM]")]
    [Description("Text to find in names and descriptions (default: list every plugin).")]
    public string? Term { get; set; }
}

internal sealed class PluginNameSettings : RegistrySettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The plugin's name.")]
    public string Name { get; set; } = string.Empty;
}

internal sealed class PluginInstallSettings : RegistrySettings
{
    [CommandArgument(0, "[NAME]")]
    [Description("A plugin to add to plugins.require first (default: install what Pulumi.yaml requires).")]
    public string? Name { get; set; }

    [CommandOption("--version <RANGE>")]
    [Description("With NAME: the version range to require (default: at least its newest version).")]
    public string? Version { get; set; }

    [CommandOption("--update")]
    [Description("Ignore plugins.lock and take the newest versions that fit.")]
    public bool Update { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        Version is not null && Name is null ? Spectre.Console.ValidationResult.Error("--version needs a plugin NAME.") : base.Validate();
}

internal sealed class PluginPathSettings : GlobalSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("The plugin's folder (holding plugin.json).")]
    public string Path { get; set; } = string.Empty;
}

internal sealed class PluginPublishSettings : GlobalSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("The plugin's folder (holding plugin.json), built.")]
    public string Path { get; set; } = string.Empty;

    [CommandOption("--registry <FOLDER>")]
    [Description("The registry folder to publish into (a web server then serves it).")]
    public string Registry { get; set; } = string.Empty;

    [CommandOption("--key <FILE>")]
    [Description("The publisher's private key, from 'infra plugin keygen'.")]
    public string Key { get; set; } = string.Empty;

    public override Spectre.Console.ValidationResult Validate() =>
        Registry.Length == 0 || Key.Length == 0
            ? Spectre.Console.ValidationResult.Error("plugin publish needs --registry FOLDER and --key FILE.")
            : base.Validate();
}

internal sealed class PluginKeygenSettings : CommandSettings
{
    [CommandOption("--out <FILE>")]
    [Description("Where to write the private key; the public key goes to FILE.pub.")]
    public string Out { get; set; } = string.Empty;

    public override Spectre.Console.ValidationResult Validate() =>
        Out.Length == 0 ? Spectre.Console.ValidationResult.Error("plugin keygen needs --out FILE.") : base.Validate();
}

/// <summary>The plugin commands' JSON: the CLI's options with camelCase names, as the registry's own files use.</summary>
internal static class PluginCliJson
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } =
        new(CliJson.Options) { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase };
}
