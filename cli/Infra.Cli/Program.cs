using Infra.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
