using Infra.Plugin.Host;
using Infra;
using Infra.Plugins.Serving;
using Infra.Policies.Plugins;

// stdout carries the protocol; everything meant for people goes to stderr, the plugin's log.
HostArguments arguments;
try
{
    arguments = HostArguments.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    return 2;
}

try
{
    if (arguments.PolicyPack is { } path)
    {
        await PluginServer.ServeStdioAsync(new PolicyPackPluginTarget(PolicyPackHosting.Choose(path, arguments.Pack)));
        return 0;
    }

    var (factory, schema) = FactoryCatalog.Resolve(arguments);
    await using var target = new ProviderPluginTarget(factory, arguments.Name ?? factory.Package, arguments.Version, schema);
    await PluginServer.ServeStdioAsync(target);
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or IOException or BadImageFormatException or InfraException)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    return 1;
}
