using System.Net;
using System.Net.Sockets;

namespace Infra.TestSupport.ZeroDowntime;

/// <summary>Free TCP ports on 127.0.0.1, asked of the kernel.</summary>
public static class LocalPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
