using Infra.Cli;

using var telemetry = CliTelemetry.Start();
return await CliApp.RunAsync(args).ConfigureAwait(false);
