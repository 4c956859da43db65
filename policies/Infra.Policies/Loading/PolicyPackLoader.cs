using System.Collections.Immutable;
using System.Reflection;

namespace Infra.Policies;

/// <summary>
/// Loads policy packs from an assembly file (<c>--policy-pack path/to/Pack.dll</c>) into a load context of its own,
/// and instantiates every public, non-abstract <see cref="PolicyPack"/> with a public parameterless constructor.
/// </summary>
public static class PolicyPackLoader
{
    /// <summary>Loads the packs in the assembly at <paramref name="path"/>.</summary>
    /// <exception cref="InfraException">The file is missing, is not a .NET assembly, or holds no pack; the message names the file.</exception>
    public static ImmutableArray<PolicyPack> LoadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new InfraException($"policy pack '{path}' not found; pass the path of the pack's built assembly (.dll).");
        }

        Assembly assembly;
        try
        {
            assembly = new PolicyPackLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
        }
        catch (BadImageFormatException ex)
        {
            throw new InfraException($"policy pack '{path}' is not a .NET assembly; pass the pack's built .dll.", ex);
        }
        catch (FileLoadException ex)
        {
            throw new InfraException($"policy pack '{path}' could not be loaded: {ex.Message}", ex);
        }

        var packs = PackTypes(assembly, path).Select(type => Create(type, path)).ToImmutableArray();
        return packs.IsEmpty
            ? throw new InfraException(
                $"policy pack '{path}' contains no policy pack: declare a public class deriving from {typeof(PolicyPack).FullName} with a public parameterless constructor.")
            : packs;
    }

    private static IEnumerable<Type> PackTypes(Assembly assembly, string path)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new InfraException(
                $"policy pack '{path}' could not be loaded: {ex.Message} (was it built against another version of Infra.Policies, or without its dependencies?)", ex);
        }

        return types
            .Where(static t => typeof(PolicyPack).IsAssignableFrom(t) && t is { IsAbstract: false, IsGenericTypeDefinition: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(static t => t.FullName, StringComparer.Ordinal);
    }

    private static PolicyPack Create(Type type, string path)
    {
        try
        {
            return (PolicyPack)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex)
        {
            var cause = ex.InnerException ?? ex;
            throw new InfraException($"policy pack {type.FullName} in '{path}' failed to start: {cause.GetType().Name}: {cause.Message}", cause);
        }
    }
}
