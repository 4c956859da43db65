using System.Net.Sockets;
using System.Text;

namespace Infra.TestSupport.ZeroDowntime;

/// <summary>
/// Debian's HAProxy in front of two versions of a service: backend <c>app</c> with servers <c>blue</c> (in service)
/// and <c>green</c> (in maintenance), each health-checked on <c>/healthz</c> every 100 ms (two passes to rise, two
/// failures to fall). Its runtime API listens on an admin-level Unix socket in <see cref="ServerProcess.Directory"/>.
/// </summary>
public sealed class HaproxyFront(int bluePort, int greenPort) : ServerProcess("haproxy")
{
    public const string Backend = "app";

    public string AdminSocket => Path.Combine(Directory, "admin.sock");

    protected override string Executable => "/usr/sbin/haproxy";

    protected override IEnumerable<string> Arguments => ["-db", "-f", Path.Combine(Directory, "haproxy.cfg")];

    protected override string GracefulSignal => "USR1";

    /// <summary>Sends one runtime API command and returns the answer (empty when the command succeeded silently).</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), cancellationToken).ConfigureAwait(false);
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return answer.ToString().Trim();
    }

    /// <summary>A server's status (<c>UP</c>, <c>DOWN</c>, <c>MAINT</c>, <c>DRAIN</c>, ...) and current sessions, from <c>show stat</c>.</summary>
    public async Task<(string Status, int Sessions)> ServerAsync(string server, CancellationToken cancellationToken = default)
    {
        var lines = (await CommandAsync("show stat", cancellationToken).ConfigureAwait(false)).Split('\n');
        var header = lines[0].TrimStart('#', ' ').Split(',');
        int status = Array.IndexOf(header, "status"), sessions = Array.IndexOf(header, "scur"), queued = Array.IndexOf(header, "qcur");
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length > status && fields[0] == Backend && fields[1] == server)
            {
                return (fields[status], int.Parse(fields[sessions], System.Globalization.CultureInfo.InvariantCulture) + ParseOrZero(fields[queued]));
            }
        }

        throw new InvalidOperationException($"haproxy has no server {Backend}/{server}");
    }

    protected override Task WriteConfigAsync(CancellationToken cancellationToken)
    {
        var config = $"""
            global
              stats socket {AdminSocket} mode 600 level admin
              maxconn 4096

            defaults
              mode http
              timeout connect 2s
              timeout client 30s
              timeout server 30s
              timeout http-keep-alive 30s

            frontend web
              bind 127.0.0.1:{Port}
              default_backend {Backend}

            backend {Backend}
              option httpchk GET /healthz
              http-check expect status 200
              default-server inter 100ms fall 2 rise 2
              server blue 127.0.0.1:{bluePort} check
              server green 127.0.0.1:{greenPort} check disabled
            """;
        return File.WriteAllTextAsync(Path.Combine(Directory, "haproxy.cfg"), config + "\n", cancellationToken);
    }

    private static int ParseOrZero(string text) => int.TryParse(text, out var value) ? value : 0;
}
