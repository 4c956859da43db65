using System.Reflection;
using System.Runtime.Loader;

namespace Infra.Policies;

/// <summary>
/// The load context of one pack assembly: the pack's own dependencies resolve from its folder (by its
/// <c>.deps.json</c>), but anything the host already provides (the SDK, the engine, the framework) comes from the
/// host, so <see cref="PolicyPack"/>, <c>PropertyMap</c> and <c>EnforcementLevel</c> are the same types on both sides.
/// </summary>
internal sealed class PolicyPackLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _directory;
    private readonly HashSet<string> _hostAssemblies;

    public PolicyPackLoadContext(string packPath)
        : base($"policy-pack:{Path.GetFileName(packPath)}")
    {
        _resolver = new AssemblyDependencyResolver(packPath);
        _directory = Path.GetDirectoryName(packPath)!;
        _hostAssemblies = HostAssemblyNames();
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && _hostAssemblies.Contains(name))
        {
            // Returning null defers to the default context: one copy of every shared type.
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null && assemblyName.Name is { } fileName && File.Exists(Path.Combine(_directory, fileName + ".dll")))
        {
            path = Path.Combine(_directory, fileName + ".dll");
        }

        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>The simple names of the assemblies the host can load: what it has loaded plus its trusted platform assemblies.</summary>
    private static HashSet<string> HostAssemblyNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in Default.Assemblies)
        {
            if (assembly.GetName().Name is { } name)
            {
                names.Add(name);
            }
        }

        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string trusted)
        {
            foreach (var file in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        return names;
    }
}
