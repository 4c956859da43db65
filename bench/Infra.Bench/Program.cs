using Infra.Bench;

// Usage: dotnet run -c Release --project bench/Infra.Bench [-- --quick] [--cli]
//   --quick  smaller counts, for a fast sanity run
//   --cli    also time the real ./infra process for the 10,000-resource preview
var quick = args.Contains("--quick");
var cli = args.Contains("--cli");
return await EngineBenchmarks.RunAsync(quick, cli).ConfigureAwait(false);
