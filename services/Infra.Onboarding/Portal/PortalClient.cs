using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Infra.Onboarding.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Infra.Onboarding.Portal;

/// <summary>
/// The portal's way to the API: it calls this instance's own <c>/v1</c> routes with the signed-in user's token, so
/// the portal has exactly the API's rules, scopes, limits and audit records, and no second copy of them.
/// </summary>
internal sealed class PortalClient(IHttpClientFactory clients, IServer server, IHttpContextAccessor accessor)
{
    public const string TokenClaim = "portal_token";

    public async Task<(bool Ok, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var client = clients.CreateClient("portal");
        client.BaseAddress = SelfAddress();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessor.HttpContext?.User.FindFirst(TokenClaim)?.Value);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, Json.Web), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text);
        return (response.IsSuccessStatusCode, document.RootElement.Clone());
    }

    private Uri SelfAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the portal needs the service to listen on an address.");
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("+", "127.0.0.1", StringComparison.Ordinal).Replace("*", "127.0.0.1", StringComparison.Ordinal));
    }
}
