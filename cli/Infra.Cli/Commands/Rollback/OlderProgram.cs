using System.Diagnostics;
using System.Text.RegularExpressions;
using Infra.Configuration;
using Infra.Processes;

namespace Infra.Cli.Commands.Rollback;

/// <summary>
/// The program of an earlier update, for <c>infra stack rollback --program</c>: the project's repository checked out at
/// the commit the update recorded, in a temporary git work tree beside the user's, and the project's program host built
/// there. The build then runs against this project (its state, settings, GitOps tree and secrets), never against the
/// temporary copy. Disposing removes the work tree and the build, whatever happened.
/// </summary>
internal sealed partial class OlderProgram : IAsyncDisposable
{
    /// <summary>Tells the CLI built from the older commit which program version its updates record (its own commit).</summary>
    public const string VersionVariable = "INFRA_PROGRAM_VERSION";

    /// <summary>
    /// The program host when <c>Pulumi.yaml</c> names no <c>main</c>: this product's CLI, whose built-in stack kinds are
    /// the programs.
    /// </summary>
    public const string DefaultMain = "cli/Infra.Cli";

    private static readonly Dictionary<string, string> s_git = new() { ["GIT_TERMINAL_PROMPT"] = "0" };

    private static readonly string[] s_dotnetVariables =
        ["DOTNET_ROOT", "DOTNET_CLI_HOME", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "NUGET_PACKAGES"];

    private readonly string _repository;
    private readonly string _scratch;
    private readonly string _projectPrefix;

    private OlderProgram(string repository, string projectPrefix, string scratch, string commit, string projectDirectory)
    {
        _repository = repository;
        _projectPrefix = projectPrefix;
        _scratch = scratch;
        Commit = commit;
        ProjectDirectory = projectDirectory;
    }

    /// <summary>The commit checked out.</summary>
    public string Commit { get; }

    /// <summary>The commit as people read it.</summary>
    public string ShortCommit => Commit[..12];

    /// <summary>The project folder of the user's work tree, where the older program runs.</summary>
    public string ProjectDirectory { get; }

    private string WorkTree => Path.Combine(_scratch, "src");

    private string BuildOutput => Path.Combine(_scratch, "bin");

    /// <summary>Checks out <paramref name="commit"/>, the program version update <paramref name="updateId"/> recorded, in a temporary work tree.</summary>
    /// <exception cref="InfraException">The project is not in a git work tree, the update recorded no commit, or the repository does not have it.</exception>
    public static async Task<OlderProgram> CheckOutAsync(string projectDirectory, long updateId, string? commit, CancellationToken cancellationToken)
    {
        var topLevel = await GitAsync(projectDirectory, ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (topLevel.ExitCode != 0)
        {
            throw new InfraException($"--program checks out the program's git commit, but the project '{projectDirectory}' is not in a git work tree.");
        }

        if (commit is null)
        {
            throw new InfraException(
                $"update {updateId} recorded no program version (its project was not in a git work tree); roll back without --program to apply its config with the current program.");
        }

        // The history is data: a value that is not a full commit hash never reaches git, where it could read as an option.
        if (!CommitHash().IsMatch(commit))
        {
            throw new InfraException($"update {updateId}'s recorded program version '{commit}' is not a git commit hash; roll back without --program.");
        }

        var repository = topLevel.Output.Trim();
        if ((await GitAsync(repository, ["cat-file", "-e", commit + "^{commit}"], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            throw new InfraException(
                $"update {updateId}'s program version {commit} is not a commit of the repository '{repository}'; fetch it (git fetch) or roll back without --program.");
        }

        var prefix = (await GitAsync(projectDirectory, ["rev-parse", "--show-prefix"], cancellationToken).ConfigureAwait(false)).Output.Trim();
        var scratch = Path.Combine(Path.GetTempPath(), $"infra-rollback-{Guid.NewGuid():N}");
        var program = new OlderProgram(repository, prefix, scratch, commit, Path.GetFullPath(projectDirectory));
        try
        {
            Directory.CreateDirectory(scratch);
            var added = await GitAsync(repository, ["worktree", "add", "--detach", "--quiet", program.WorkTree, commit], cancellationToken).ConfigureAwait(false);
            if (added.ExitCode != 0)
            {
                throw new InfraException($"could not check out commit {program.ShortCommit} in a temporary work tree: {added.Message}");
            }
        }
        catch
        {
            await program.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return program;
    }

    /// <summary>
    /// Builds the program host of the checked-out commit (<c>Pulumi.yaml</c>'s <c>main</c> there, else <see cref="DefaultMain"/>)
    /// and returns its entry assembly. The compiler's errors go to <paramref name="errors"/>.
    /// </summary>
    /// <exception cref="InfraException">The commit has no project or program host, or its build fails.</exception>
    public async Task<string> BuildAsync(TextWriter errors, CancellationToken cancellationToken)
    {
        var project = Path.Combine(WorkTree, _projectPrefix);
        ProjectFile file;
        try
        {
            file = ProjectFile.Load(project);
        }
        catch (ConfigException ex)
        {
            throw new InfraException($"the project at commit {ShortCommit} cannot be read: {ex.Message}", ex);
        }

        var main = file.Main ?? DefaultMain;
        var host = Path.GetFullPath(Path.Combine(project, main));
        if (!Directory.Exists(host) && !File.Exists(host))
        {
            throw new InfraException($"commit {ShortCommit} has no program project '{main}' (Pulumi.yaml 'main', default '{DefaultMain}') to build.");
        }

        var build = await ExternalProcess.RunAsync(
            "dotnet",
            ["build", host, "-c", "Release", "-o", BuildOutput, "--nologo", "-v", "quiet", "-tl:off", "--disable-build-servers", $"-p:SourceRevisionId={Commit}"],
            project, null, cancellationToken, s_dotnetVariables).ConfigureAwait(false);
        if (build.ExitCode != 0)
        {
            var lines = CompilerError().Matches(build.Output + "\n" + build.Error).Select(static m => m.Value.Trim()).Distinct(StringComparer.Ordinal).ToList();
            foreach (var line in lines.Count > 0 ? lines : [.. (build.Output + build.Error).Split('\n').TakeLast(20)])
            {
                await errors.WriteLineAsync(line.Replace(WorkTree + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal)).ConfigureAwait(false);
            }

            throw new InfraException($"the program '{main}' at commit {ShortCommit} does not build (dotnet build exit {build.ExitCode}, {lines.Count} errors above); nothing was changed.");
        }

        // Asked of the project, not guessed from the output: a host may rename its assembly (the CLI's is 'infra').
        var name = await ExternalProcess.RunAsync(
            "dotnet", ["msbuild", host, "-getProperty:TargetFileName", "-p:Configuration=Release", "-nologo"], project, null, cancellationToken, s_dotnetVariables)
            .ConfigureAwait(false);
        var entry = Path.Combine(BuildOutput, name.Output.Trim());
        return name.ExitCode == 0 && entry.EndsWith(".dll", StringComparison.Ordinal) && File.Exists(Path.ChangeExtension(entry, ".runtimeconfig.json"))
            ? entry
            : throw new InfraException($"the build of '{main}' at commit {ShortCommit} made no runnable program; 'main' must name an executable .NET project.");
    }

    /// <summary>
    /// Runs the built program with <paramref name="arguments"/> in the user's project folder, with this process's
    /// environment (the backend and passphrase are the same) and <see cref="VersionVariable"/> set to the commit. A person
    /// at a terminal talks to it directly; otherwise its output is copied to <paramref name="host"/>.
    /// </summary>
    public async Task<int> RunAsync(string entryAssembly, IReadOnlyList<string> arguments, CliHost host)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = ProjectDirectory, UseShellExecute = false };
        start.ArgumentList.Add(entryAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[VersionVariable] = Commit;
        var copied = !host.Interactive;
        start.RedirectStandardOutput = start.RedirectStandardError = start.RedirectStandardInput = copied;
        using var process = Process.Start(start) ?? throw new InfraException("could not start 'dotnet' to run the older program.");
        if (copied)
        {
            process.StandardInput.Close();
            await Task.WhenAll(CopyAsync(process.StandardOutput, host.Out), CopyAsync(process.StandardError, host.Error)).ConfigureAwait(false);
        }

        // Not cancelled with this process: Ctrl+C reaches the child too, and it stops its update cleanly on its own.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Removes the temporary work tree (from git's list too) and the build.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(WorkTree))
        {
            await GitAsync(_repository, ["worktree", "remove", "--force", WorkTree], CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            if (Directory.Exists(_scratch))
            {
                Directory.Delete(_scratch, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left in the temp folder; the prune below still drops it from git's list of work trees.
        }

        await GitAsync(_repository, ["worktree", "prune"], CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task CopyAsync(StreamReader output, TextWriter writer)
    {
        while (await output.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            await writer.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private static Task<ExternalProcess.Result> GitAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalProcess.RunAsync("git", ["-C", directory, .. arguments], directory, s_git, cancellationToken);

    [GeneratedRegex(@"^[0-9a-f]{40}\z")]
    private static partial Regex CommitHash();

    [GeneratedRegex(@"^.*: error [A-Z]+[0-9]+:.*", RegexOptions.Multiline)]
    private static partial Regex CompilerError();
}
