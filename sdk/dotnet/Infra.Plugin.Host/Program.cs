using Infra.Plugin.Host;
using Infra.Plugins.Serving;

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
    var (factory, schema) = FactoryCatalog.Resolve(arguments);
    await using var target = new ProviderPluginTarget(factory, arguments.Name ?? factory.Package, arguments.Version, schema);
    await PluginServer.ServeStdioAsync(target);
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or IOException or BadImageFormatException)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    return 1;
}
