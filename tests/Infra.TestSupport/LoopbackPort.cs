using System.Net;
using System.Net.Sockets;

namespace Infra.TestSupport;

/// <summary>Ports on 127.0.0.1 for the servers tests start (PostgreSQL, s3rver, the onboarding service, receivers).</summary>
public static class LoopbackPort
{
    /// <summary>A port free at the moment of asking: the kernel picks it for a listener that is closed at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
