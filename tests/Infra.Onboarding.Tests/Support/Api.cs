using System.Net;
using System.Text;
using System.Text.Json;

namespace Infra.Onboarding.Tests.Support;

/// <summary>Small HTTP helpers: JSON posts, ProblemDetails reads and polling a tenant until it reaches a status.</summary>
public static class Api
{
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> OnboardAsync(this HttpClient client, string id, string plan = "free", string? idempotencyKey = null) =>
        client.SendJsonAsync(HttpMethod.Post, "/v1/tenants", $$"""{"id":"{{id}}","plan":"{{plan}}","displayName":"Tenant {{id}}"}""", idempotencyKey);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads a ProblemDetails answer, checking its status and media type.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal((int)status, document.RootElement.GetProperty("status").GetInt32());
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> TenantAsync(this HttpClient client, string id)
    {
        var response = await client.GetAsync($"/v1/tenants/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Polls the tenant until its status is <paramref name="status"/>; fails on <c>failed</c> or after the timeout.</summary>
    public static async Task<JsonElement> WaitForAsync(this HttpClient client, string id, string status, TimeSpan? timeout = null, string? operation = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        JsonElement tenant = default;
        while (DateTime.UtcNow < deadline)
        {
            tenant = await client.TenantAsync(id);
            var last = tenant.GetProperty("lastOperation");
            var current = operation is null || (last.ValueKind == JsonValueKind.Object && last.GetProperty("id").GetString() == operation);
            if (current && tenant.GetProperty("status").GetString() == status &&
                (last.ValueKind != JsonValueKind.Object || last.GetProperty("status").GetString() is "succeeded"))
            {
                return tenant;
            }

            Assert.False(tenant.GetProperty("status").GetString() == "failed" && status != "failed", $"tenant {id} failed: {tenant}");
            await Task.Delay(250);
        }

        Assert.Fail($"tenant {id} did not reach '{status}' in time: {tenant}");
        return tenant;
    }

    /// <summary>Polls an operation until it finishes; returns it.</summary>
    public static async Task<JsonElement> WaitForOperationAsync(this HttpClient client, string operationId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            var operation = await (await client.GetAsync($"/v1/operations/{operationId}")).JsonAsync();
            if (operation.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                return operation;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"operation {operationId} did not finish in time");
        return default;
    }

    public static async Task<string> OperationIdAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("operationId").GetString()!;
    }
}
