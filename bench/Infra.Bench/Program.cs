using Infra.Bench;

// Usage: dotnet run -c Release --project bench/Infra.Bench [-- --quick] [--cli] [--yaml]
//   --quick  smaller counts, for a fast sanity run
//   --cli    also time the real ./infra process for the 10,000-resource preview
//   --yaml   only the cost of refusing hostile YAML, against reading plans.yaml
//   --sqlite only the cost of SQLite commits with synchronous=FULL, against NORMAL
//   --sqlite-ups only what the SQLite backend costs a tenant up (its calls, 8 stacks at a time, against one at a time)
if (args.Contains("--yaml"))
{
    YamlLimitBenchmarks.Run();
    return 0;
}

if (args.Contains("--sqlite-ups"))
{
    await SqliteUpCallsBenchmarks.RunAsync(args.Contains("--quick")).ConfigureAwait(false);
    return 0;
}

if (args.Contains("--sqlite"))
{
    await SqliteDurabilityBenchmarks.RunAsync(args.Contains("--quick")).ConfigureAwait(false);
    return 0;
}

var quick = args.Contains("--quick");
var cli = args.Contains("--cli");
YamlLimitBenchmarks.Run();
await SqliteDurabilityBenchmarks.RunAsync(quick).ConfigureAwait(false);
return await EngineBenchmarks.RunAsync(quick, cli).ConfigureAwait(false);
