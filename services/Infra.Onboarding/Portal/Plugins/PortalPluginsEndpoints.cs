using System.Globalization;
using System.Net;

namespace Infra.Onboarding.Portal.Plugins;

/// <summary>
/// Serves UI plugins to the portal: the host script the tenant page runs, and per panel a frame document and its
/// module. The frame is what the sandboxed iframe loads; its Content-Security-Policy lets it run exactly its module
/// (pinned by URL, and by the integrity hash the browser checks) and reach nothing: no fetch, no images from the
/// network, no forms, no plugins. Its only way out is <c>postMessage</c> to the host page.
/// </summary>
internal static class PortalPluginsEndpoints
{
    private const string HostScriptResource = "Infra.Onboarding.Portal.Plugins.panel-host.js";

    /// <summary>The portal plugins' services and settings (section <see cref="PortalPluginOptions.Section"/>).</summary>
    public static IServiceCollection AddPortalPlugins(this IServiceCollection services)
    {
        services.AddOptions<PortalPluginOptions>().BindConfiguration(PortalPluginOptions.Section);
        services.AddSingleton<PortalPlugins>();
        return services;
    }

    /// <summary>Maps the host script, the panel frames and the panel modules under <see cref="PortalPlugins.PanelsPath"/>.</summary>
    public static IEndpointRouteBuilder MapPortalPlugins(this IEndpointRouteBuilder routes)
    {
        // Public on purpose: a frame and a module are the published plugin's own code, and a sandboxed frame's
        // requests carry no credentials (its origin is opaque), so none of them could be authorized anyway.
        var panels = routes.MapGroup(PortalPlugins.PanelsPath).ExcludeFromDescription();
        panels.MapGet("/host.js", HostScript);
        panels.MapGet("/{name}/{version}/frame", FrameAsync);
        panels.MapGet("/{name}/{version}/module.js", ModuleAsync);
        return routes;
    }

    /// <summary>The frame's policy: only the module at <paramref name="moduleUrl"/>, nothing else from anywhere.</summary>
    public static string FramePolicy(string moduleUrl, string hostOrigin) =>
        $"default-src 'none'; script-src {moduleUrl}; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; " +
        $"form-action 'none'; base-uri 'none'; frame-ancestors {hostOrigin}; sandbox allow-scripts";

    private static IResult HostScript(HttpContext context)
    {
        using var stream = typeof(PortalPluginsEndpoints).Assembly.GetManifestResourceStream(HostScriptResource)
            ?? throw new InvalidOperationException($"the embedded resource {HostScriptResource} is missing.");
        using var reader = new StreamReader(stream);
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Text(reader.ReadToEnd(), "text/javascript; charset=utf-8");
    }

    private static async Task<IResult> FrameAsync(string name, string version, HttpContext context, PortalPlugins plugins, CancellationToken cancellationToken)
    {
        if (await plugins.ConfiguredAsync(name, version, cancellationToken) is not { } panel)
        {
            return Results.NotFound();
        }

        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        var module = origin + panel.ModulePath;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = FramePolicy(module, origin);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        var html = string.Create(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(name)}</title>
            <script type="module" src="{WebUtility.HtmlEncode(module)}" integrity="{WebUtility.HtmlEncode(panel.Release.Integrity)}" crossorigin="anonymous"></script>
            </head>
            <body style="font-family:sans-serif;margin:.5rem"><div id="panel"></div></body>
            </html>
            """);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> ModuleAsync(string name, string version, HttpContext context, PortalPlugins plugins, CancellationToken cancellationToken)
    {
        if (await plugins.ConfiguredAsync(name, version, cancellationToken) is not { } panel || await plugins.ModuleAsync(panel, cancellationToken) is not { } code)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        // The frame's origin is opaque ("null"): its module request is cross-origin and must be allowed as such; no
        // credentials are ever sent with it or accepted for it.
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        return Results.Bytes(code, "text/javascript; charset=utf-8");
    }
}
