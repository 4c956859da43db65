namespace Infra.TestSupport.ZeroDowntime;

/// <summary>
/// One version of a real HTTP service: an nginx (Debian's) on its own port answering <c>/</c> with its version's name
/// and <c>/healthz</c> with 200, or 503 when started unhealthy (a release whose health check fails).
/// </summary>
public sealed class NginxVersion(string version, bool healthy = true) : ServerProcess($"nginx-{version}")
{
    public string Version { get; } = version;

    protected override string Executable => "/usr/sbin/nginx";

    protected override IEnumerable<string> Arguments => ["-p", Directory, "-c", Path.Combine(Directory, "nginx.conf"), "-e", Path.Combine(Directory, "error.log")];

    protected override string GracefulSignal => "QUIT";

    protected override Task WriteConfigAsync(CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Directory, "temp");
        System.IO.Directory.CreateDirectory(temp);
        var config = $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{Directory}}/nginx.pid;
            error_log {{Directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{temp}}/body;
              proxy_temp_path {{temp}}/proxy;
              fastcgi_temp_path {{temp}}/fastcgi;
              uwsgi_temp_path {{temp}}/uwsgi;
              scgi_temp_path {{temp}}/scgi;
              keepalive_requests 100000;
              server {
                listen 127.0.0.1:{{Port}};
                default_type text/plain;
                location = /healthz { return {{(healthy ? 200 : 503)}} "{{(healthy ? "ok" : "failing")}}\n"; }
                location / { return 200 "{{Version}}\n"; }
              }
            }
            """;
        return File.WriteAllTextAsync(Path.Combine(Directory, "nginx.conf"), config, cancellationToken);
    }
}
