using Infra.Stacks.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
