using Infra.Providers;
using Infra.Providers.Postgres;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Tenants.Tests.Support;

/// <summary>Creates real postgres providers for the test server and drives them the way the engine does.</summary>
public static class ProviderHarness
{
    public static PostgresProvider Create(PostgresServer server, string? connectionString = null, int maxRetries = 5) =>
        Create(connectionString ?? server.ConnectionString(), maxRetries);

    public static PostgresProvider Create(string connectionString, int maxRetries = 5)
    {
        var config = PropertyMap.Empty
            .SetItem("connectionString", PropertyValue.Secret(PropertyValue.Create(connectionString)))
            .SetItem("maxRetries", PropertyValue.Create(maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var factory = new PostgresProviderFactory { FirstRetryDelay = TimeSpan.FromMilliseconds(50) };
        return (PostgresProvider)factory.Create(new ProviderContext("test", "platform", Path.GetTempPath(), config, IsPreview: false));
    }

    public static PropertyMap Map(params (string Key, object? Value)[] items)
    {
        var map = PropertyMap.Empty;
        foreach (var (key, value) in items)
        {
            map = map.SetItem(key, value switch
            {
                PropertyValue v => v,
                string s => PropertyValue.Create(s),
                int i => PropertyValue.Create(i),
                bool b => PropertyValue.Create(b),
                string[] list => PropertyValue.Create(list.Select(PropertyValue.Create)),
                null => PropertyValue.Null,
                _ => throw new ArgumentException($"unsupported value {value}"),
            });
        }

        return map;
    }

    public static string Urn(string type, string name) => $"urn:infra:test::platform::{type}::{name}";

    /// <summary>Checks then creates, failing the test on check failures.</summary>
    public static async Task<CreateResponse> CheckAndCreateAsync(this PostgresProvider provider, string type, PropertyMap inputs, string name = "r")
    {
        var checkedInputs = await provider.CheckedAsync(type, inputs, name);
        return await provider.CreateAsync(new CreateRequest(Urn(type, name), type, checkedInputs, null, Preview: false), CancellationToken.None);
    }

    public static async Task<PropertyMap> CheckedAsync(this PostgresProvider provider, string type, PropertyMap inputs, string name = "r")
    {
        var check = await provider.CheckAsync(new CheckRequest(Urn(type, name), type, null, inputs), CancellationToken.None);
        Assert.True(check.Failures.IsEmpty, string.Join("; ", check.Failures.Select(static f => $"{f.Property}: {f.Reason}")));
        return check.Inputs;
    }

    public static Task<ReadResponse> ReadAsync(this PostgresProvider provider, string type, string? id, PropertyMap? inputs, string name = "r") =>
        provider.ReadAsync(new ReadRequest(Urn(type, name), type, id, inputs, null), CancellationToken.None);
}
