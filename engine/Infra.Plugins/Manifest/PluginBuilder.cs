using System.Diagnostics;

namespace Infra.Plugins.Manifest;

/// <summary>Builds a plugin folder from a clean clone by running its manifest's <c>build</c> steps in order.</summary>
public static class PluginBuilder
{
    /// <summary>Runs every build step of <paramref name="manifest"/> in its folder.</summary>
    /// <param name="manifest">The plugin.</param>
    /// <param name="log">Receives the steps' output, line by line.</param>
    /// <param name="cancellationToken">Stops the running step.</param>
    /// <exception cref="PluginException">A step cannot start or exits with an error; the message names the step and its last output line.</exception>
    public static async Task BuildAsync(PluginManifest manifest, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var step in manifest.Build.IsDefault ? [] : manifest.Build)
        {
            await RunAsync(manifest, step, log, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RunAsync(PluginManifest manifest, IReadOnlyList<string> step, Action<string>? log, CancellationToken cancellationToken)
    {
        var text = string.Join(' ', step);
        var start = new ProcessStartInfo(step[0])
        {
            WorkingDirectory = manifest.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in step.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        string? last = null;
        void Line(string? line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                last = line.Trim();
                log?.Invoke(line);
            }
        }

        using var process = new System.Diagnostics.Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PluginException(manifest.Name, $"build step '{text}' cannot start: {ex.Message}.", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new PluginException(manifest.Name, $"build step '{text}' failed with exit code {process.ExitCode}: {last ?? "no output"}");
        }
    }
}
