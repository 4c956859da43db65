using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Infra.Plugins.Protocol;
using Infra.Providers;
using Infra.Providers.Postgres;
using Infra.Providers.Random;

namespace Infra.Plugin.Host;

/// <summary>Finds the provider factory the command line names, with the schema <c>getSchema</c> reports for it.</summary>
internal static class FactoryCatalog
{
    public static (IProviderFactory Factory, PluginSchema Schema) Resolve(HostArguments arguments)
    {
        var factory = arguments.Provider switch
        {
            null => Load(arguments.Assembly!, arguments.Factory!),
            "postgres" => new PostgresProviderFactory(),
            "random" => new RandomProviderFactory(),
            var other => throw new ArgumentException($"unknown provider '{other}' (known: postgres, random); use --assembly and --factory for others."),
        };
        return (factory, new PluginSchema(factory.Package, TypesOf(factory)));
    }

    private static IProviderFactory Load(string path, string typeName)
    {
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path));
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? throw new ArgumentException($"'{path}' has no type '{typeName}'.");
        return Activator.CreateInstance(type) as IProviderFactory
            ?? throw new ArgumentException($"'{typeName}' in '{path}' is not an {nameof(IProviderFactory)} with a public parameterless constructor.");
    }

    /// <summary>The postgres provider lists its type tokens in <see cref="PostgresTypes"/>; other factories declare none.</summary>
    private static ImmutableDictionary<string, ResourceTypeSchema> TypesOf(IProviderFactory factory) =>
        factory is PostgresProviderFactory
            ? typeof(PostgresTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(static f => f.IsLiteral)
                .ToImmutableDictionary(static f => (string)f.GetRawConstantValue()!, static f => new ResourceTypeSchema($"A PostgreSQL {f.Name.ToLowerInvariant()}."))
            : ImmutableDictionary<string, ResourceTypeSchema>.Empty;
}
