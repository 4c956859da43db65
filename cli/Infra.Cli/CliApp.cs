using Infra.Automation;
using Infra.Cli.Commands;
using Infra.Cli.Commands.Rollback;
using Spectre.Console.Cli;

namespace Infra.Cli;

/// <summary>Builds and runs the <c>infra</c> command line.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args) => await RunAsync(args, CliHost.Process, CancellationToken.None).ConfigureAwait(false);

    /// <summary>Runs a command line on <paramref name="host"/>: the process's console, or a test's captured writers.</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        using var scope = host.Enter();
        if (args is ["--version"])
        {
            foreach (var line in CliVersion.Lines())
            {
                await host.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C: stop starting new steps and let in-flight ones finish; a second one kills the process.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };

        var app = new CommandApp();
        app.Configure(Configure);
        return await app.RunAsync(args, cancellation.Token).ConfigureAwait(false);
    }

    internal static void Configure(IConfigurator config)
    {
        config.SetApplicationName("infra");
        config.Settings.StrictParsing = true;
        config.ConfigureConsole(CliConsole.Out);
        config.SetHelpProvider(new Rendering.CliHelpProvider(config.Settings));
        config.SetExceptionHandler(static (exception, _) => ErrorReporter.Report(exception));
        config.AddBranch("stack", stack =>
        {
            stack.SetDescription("Create, list, select and inspect stacks.");
            stack.AddCommand<StackInitCommand>("init").WithDescription("Create a stack and select it.");
            stack.AddCommand<StackListCommand>("ls").WithDescription("List stacks.");
            stack.AddCommand<StackSelectCommand>("select").WithDescription("Select the current stack.");
            stack.AddCommand<StackRemoveCommand>("rm").WithDescription("Remove a stack and its settings file.");
            stack.AddCommand<StackOutputCommand>("output").WithDescription("Show the stack's outputs, or with NAME the value of the output NAME.");
            stack.AddCommand<StackHistoryCommand>("history").WithDescription("List the stack's updates.");
            stack.AddCommand<StackRollbackCommand>("rollback").WithDescription("Apply an earlier update's config again (--to N) with the current program, or with its own (--program), as a new update.");
            stack.AddCommand<StackExportCommand>("export").WithDescription("Write the stack's state as a JSON document.");
            stack.AddCommand<StackImportCommand>("import").WithDescription("Replace the stack's state with a JSON document.");
        });
        config.AddBranch("config", cfg =>
        {
            cfg.SetDescription("Read and write stack configuration.");
            cfg.AddCommand<ConfigSetCommand>("set").WithDescription("Set a config value (--secret to encrypt it).");
            cfg.AddCommand<ConfigGetCommand>("get").WithDescription("Get a config value.");
            cfg.AddCommand<ConfigRemoveCommand>("rm").WithDescription("Remove a config value.");
            cfg.AddCommand<ConfigListCommand>("ls").WithDescription("List config values.");
        });
        config.AddCommand<PreviewCommand>("preview").WithDescription("Show what up would do, changing nothing.");
        config.AddCommand<UpCommand>("up").WithDescription("Create or update the stack's resources.");
        config.AddCommand<RefreshCommand>("refresh").WithDescription("Read resources back and record drift.");
        config.AddCommand<DestroyCommand>("destroy").WithDescription("Delete every resource; refuses while any is protected unless --exclude-protected.");
        config.AddCommand<ImportCommand>("import").WithDescription("Adopt an existing resource by its ID.");
        config.AddCommand<CancelCommand>("cancel").WithDescription("Release the stack's lock held by another run.");
        foreach (var extension in CliExtensions.All)
        {
            extension(config);
        }
    }
}

/// <summary>Turns exceptions into one line on stderr and an exit code.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception)
    {
        var (code, message) = exception switch
        {
            PolicyViolationException p => (ExitCodes.PolicyViolation, p.Message),
            InfraException i => (ExitCodes.Error, ErrorAdvice.Text(i)),
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled; state records every step that completed."),
            CommandAppException c => (ExitCodes.Error, c.Message),
            _ => (ExitCodes.Error, $"unexpected {exception.GetType().Name}: {exception.Message}"),
        };
        // Plain text, never wrapped: the error is one line however long, so scripts can grep it.
        var writer = CliHost.Current.Error;
        var prefix = CliHost.Current.Redirected ? "error:" : "\u001b[31merror:\u001b[0m";
        writer.WriteLine($"{prefix} {OneLine(message)}");
        if (exception is not (InfraException or CommandAppException or OperationCanceledException) || Environment.GetEnvironmentVariable("INFRA_DEBUG") == "1")
        {
            writer.WriteLine(exception.ToString());
        }

        return code;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
