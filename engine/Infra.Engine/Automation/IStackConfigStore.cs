using Infra.Configuration;

namespace Infra.Automation;

/// <summary>
/// Where a workspace keeps its stacks' settings (config values, secure values, secrets-provider and policy
/// settings). The CLI keeps them in files beside the project (<see cref="FileStackConfigStore"/>); a service with
/// several instances keeps them in its database, so every instance reads the same config.
/// </summary>
/// <remarks>
/// Settings are read and written whole. The engine reads them before every operation and writes them when config is
/// set, so a store must make a write visible to the next read from any instance.
/// </remarks>
public interface IStackConfigStore
{
    /// <summary>How the store names itself in messages, e.g. a folder or a database.</summary>
    string DisplayName { get; }

    /// <summary>Reads the stack's settings; a stack with none gives empty settings.</summary>
    /// <exception cref="ConfigException">The stored settings are malformed.</exception>
    StackSettingsFile Load(string stack);

    /// <summary>Replaces the stack's settings.</summary>
    /// <exception cref="ConfigException">The settings are too large to be read back; nothing is written.</exception>
    void Save(string stack, StackSettingsFile settings);

    /// <summary>Removes the stack's settings; nothing happens when it has none.</summary>
    void Delete(string stack);

    /// <summary>True when the stack has stored settings.</summary>
    bool Exists(string stack);
}

/// <summary>The CLI's default store: one settings file per stack, <c>&lt;stackConfigDir&gt;/Pulumi.&lt;stack&gt;.yaml</c>.</summary>
/// <param name="project">The project whose settings folder holds the files.</param>
public sealed class FileStackConfigStore(ProjectFile project) : IStackConfigStore
{
    /// <inheritdoc/>
    public string DisplayName => Path.GetDirectoryName(project.StackSettingsPath("x"))!;

    /// <inheritdoc/>
    public StackSettingsFile Load(string stack) => StackSettingsFile.Load(project.StackSettingsPath(stack));

    /// <inheritdoc/>
    public void Save(string stack, StackSettingsFile settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        (settings with { Path = project.StackSettingsPath(stack) }).Save();
    }

    /// <inheritdoc/>
    public void Delete(string stack)
    {
        var path = project.StackSettingsPath(stack);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <inheritdoc/>
    public bool Exists(string stack) => File.Exists(project.StackSettingsPath(stack));
}
