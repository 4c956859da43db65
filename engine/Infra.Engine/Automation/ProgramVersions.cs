using System.Diagnostics;

namespace Infra.Automation;

/// <summary>
/// The version of a project's program recorded with each update: the git commit checked out in the project's work
/// tree, or <see langword="null"/> when the project is not in one (or git is not installed).
/// </summary>
public static class ProgramVersions
{
    /// <summary>The commit of <paramref name="projectDirectory"/>'s work tree, or <see langword="null"/>.</summary>
    public static async Task<string?> DetectAsync(string projectDirectory, CancellationToken cancellationToken)
    {
        // Only look for git when a work tree is there: most projects in tests and services have none, and a process
        // per update is not free.
        if (!InWorkTree(projectDirectory))
        {
            return null;
        }

        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-C", projectDirectory, "rev-parse", "--verify", "-q", "HEAD" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 && output.Trim() is { Length: 40 } commit ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static bool InWorkTree(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            if (Path.Exists(Path.Combine(current.FullName, ".git")))
            {
                return true;
            }
        }

        return false;
    }
}
