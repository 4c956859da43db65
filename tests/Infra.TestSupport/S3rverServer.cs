using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Infra.TestSupport;

/// <summary>
/// A real S3-compatible server for tests of s3:// backup locations: the npm package s3rver (pinned by
/// scripts/install.sh in .tools/s3rver), on 127.0.0.1 with a free port, with one bucket, its data in a temporary
/// folder that is removed on dispose. s3rver takes the access key and secret <c>S3RVER</c>.
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3rverServer(Process process, string directory, int port, string bucket)
    {
        _process = process;
        _directory = directory;
        Endpoint = $"http://127.0.0.1:{port}";
        Bucket = bucket;
    }

    /// <summary>The server's URL.</summary>
    public string Endpoint { get; }

    /// <summary>The bucket created at start.</summary>
    public string Bucket { get; }

    /// <summary>The environment the AWS SDK reads its credentials from.</summary>
    public IReadOnlyDictionary<string, string?> Credentials { get; } = new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = AccessKey,
    };

    public static async Task<S3rverServer> StartAsync(string bucket = "infra-backups")
    {
        var script = Path.Combine(RepositoryPaths.Root, ".tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing; run scripts/install.sh, which installs the pinned s3rver.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "infra-s3rver", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", bucket, "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start s3rver");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rverServer(process, directory, port, bucket);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"s3rver did not start on port {port}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
