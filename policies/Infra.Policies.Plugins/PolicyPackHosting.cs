using Infra.Plugins.Runtime;
using Infra.Plugins.Sandbox;

namespace Infra.Policies.Plugins;

/// <summary>
/// C# policy packs loaded by path (<c>--policy-pack PATH.dll</c>) run out of process: the C# host
/// (<c>Infra.Plugin.Host --policy-pack PATH</c>) serves the pack, under the same sandbox as any plugin, and the
/// engine enforces it through <see cref="PluginPolicyPack"/>. The pack's code never runs with the engine's rights.
/// </summary>
public static class PolicyPackHosting
{
    /// <summary>The host's file name, beside the engine's own assemblies when a host project references it.</summary>
    public const string HostFileName = "Infra.Plugin.Host.dll";

    /// <summary>
    /// The folder, under a self-contained application's own, where the host is published on its own: it runs on the
    /// shared .NET runtime, which the application's precompiled copies of the .NET libraries do not match.
    /// </summary>
    public const string HostFolderName = "plugin-host";

    /// <summary>The host's assembly for an application in <paramref name="baseDirectory"/>: in <see cref="HostFolderName"/> when published there, else beside it.</summary>
    /// <param name="baseDirectory">The application's folder (<see cref="AppContext.BaseDirectory"/>).</param>
    public static string FindHost(string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseDirectory);
        var published = Path.Combine(baseDirectory, HostFolderName, HostFileName);
        return File.Exists(published) ? published : Path.Combine(baseDirectory, HostFileName);
    }

    /// <summary>How to run the pack in <paramref name="packAssembly"/> through the host at <paramref name="hostAssembly"/>.</summary>
    /// <param name="packAssembly">The pack's built assembly.</param>
    /// <param name="hostAssembly">The C# host's assembly (<see cref="HostFileName"/>).</param>
    /// <param name="sandboxed">Run it under bubblewrap, seeing only the host's and the pack's folders.</param>
    /// <param name="pack">Which pack, when the assembly holds several.</param>
    public static PluginOptions Options(string packAssembly, string hostAssembly, bool sandboxed, string? pack = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packAssembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostAssembly);
        var packPath = Path.GetFullPath(packAssembly);
        var hostDirectory = Path.GetDirectoryName(Path.GetFullPath(hostAssembly))!;
        string[] arguments = pack is null
            ? ["dotnet", Path.GetFullPath(hostAssembly), "--policy-pack", packPath]
            : ["dotnet", Path.GetFullPath(hostAssembly), "--policy-pack", packPath, "--pack", pack];
        return new PluginOptions
        {
            Name = pack ?? Path.GetFileNameWithoutExtension(packPath),
            Command = new PluginCommand([.. arguments], hostDirectory),
            Launcher = sandboxed
                ? new BubblewrapLauncher(new SandboxPolicy { ReadOnlyPaths = [Path.GetDirectoryName(packPath)!] })
                : DirectPluginLauncher.Instance,
        };
    }

    /// <summary>The pack to serve from <paramref name="path"/>: the one named <paramref name="name"/>, or the only one.</summary>
    /// <exception cref="InfraException">The assembly holds no pack, several without a name given, or none of that name.</exception>
    public static PolicyPack Choose(string path, string? name)
    {
        var packs = PolicyPackLoader.LoadFromFile(path);
        if (name is not null)
        {
            return packs.FirstOrDefault(p => p.Name == name)
                ?? throw new InfraException($"policy pack '{path}' has no pack named '{name}' (it has {string.Join(", ", packs.Select(static p => p.Name))}).");
        }

        return packs.Length == 1
            ? packs[0]
            : throw new InfraException($"policy pack '{path}' holds {packs.Length} packs ({string.Join(", ", packs.Select(static p => p.Name))}); serve one with --pack NAME.");
    }
}
