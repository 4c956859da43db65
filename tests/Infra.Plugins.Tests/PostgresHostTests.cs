using Infra.Plugins.Providers;
using Infra.Providers;
using Infra.TestSupport;
using Infra.Values;
using Npgsql;

namespace Infra.Plugins.Tests;

/// <summary>The real postgres provider, run out of process by the C# host, proves the protocol end to end.</summary>
public sealed class PostgresHostTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Role = "postgres:index:Role";

    [Fact]
    public async Task The_postgres_provider_served_by_the_host_creates_reads_updates_and_deletes_a_role_with_a_secret_password()
    {
        var server = postgres.Server;
        var config = PropertyMap.Create([new("connectionString", PropertyValue.Secret(PropertyValue.Create(server.ConnectionString())))]);
        await using var provider = new PluginProvider("postgres", TestPlugins.Host("postgres"), new ProviderContext("dev", "plugins", "/tmp", config, IsPreview: false));
        var name = $"plugin_role_{Guid.NewGuid():N}"[..24];
        var urn = $"urn:pulumi:dev::plugins::{Role}::{name}";
        var declared = PropertyMap.Create([
            new("name", PropertyValue.Create(name)),
            new("login", PropertyValue.True),
            new("password", PropertyValue.Secret(PropertyValue.Create("first-Secret-1"))),
        ]);

        var schema = await provider.GetSchemaAsync(CancellationToken.None);
        Assert.Contains(Role, schema.Resources.Keys);
        var check = await provider.CheckAsync(new CheckRequest(urn, Role, null, declared), CancellationToken.None);
        Assert.Empty(check.Failures);
        var inputs = check.Inputs;
        var created = await provider.CreateAsync(new CreateRequest(urn, Role, inputs, null, Preview: false), CancellationToken.None);
        var firstHash = await PasswordHashAsync(name);
        Assert.StartsWith("SCRAM-SHA-256$", firstHash, StringComparison.Ordinal);

        var read = await provider.ReadAsync(new ReadRequest(urn, Role, created.Id, inputs, created.Outputs), CancellationToken.None);
        Assert.Equal(ReadStatus.Found, read.Status);
        Assert.True(read.Inputs["login"].AsBool);

        var changed = inputs.SetItem("password", PropertyValue.Secret(PropertyValue.Create("second-Secret-2")));
        var diff = await provider.DiffAsync(new DiffRequest(urn, Role, created.Id, inputs, created.Outputs, changed), CancellationToken.None);
        Assert.Equal("password", Assert.Single(diff.Changed));
        Assert.False(diff.RequiresReplacement);
        var updated = await provider.UpdateAsync(new UpdateRequest(urn, Role, created.Id, inputs, created.Outputs, changed, null, Preview: false), CancellationToken.None);
        Assert.NotEqual(firstHash, await PasswordHashAsync(name));

        await provider.DeleteAsync(new DeleteRequest(urn, Role, created.Id, changed, updated.Outputs, null), CancellationToken.None);
        var gone = await provider.ReadAsync(new ReadRequest(urn, Role, created.Id, changed, updated.Outputs), CancellationToken.None);
        Assert.Equal(ReadStatus.NotFound, gone.Status);
    }

    [Fact]
    public async Task A_provider_error_in_the_host_comes_back_as_an_error_answer_that_names_the_plugin()
    {
        var config = PropertyMap.Create([new("connectionString", PropertyValue.Secret(PropertyValue.Create(postgres.Server.ConnectionString())))]);
        await using var provider = new PluginProvider("postgres", TestPlugins.Host("postgres"), new ProviderContext("dev", "plugins", "/tmp", config, IsPreview: false));

        var error = await Assert.ThrowsAsync<PluginErrorException>(() => provider.CreateAsync(
            new CreateRequest("urn:pulumi:dev::plugins::postgres:index:Nope::x", "postgres:index:Nope", PropertyMap.Empty, null, Preview: false), CancellationToken.None));

        Assert.Equal(Protocol.PluginErrorCodes.Internal, error.Code);
        Assert.StartsWith("plugin 'postgres': create: internal: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres:index:Nope", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The server trusts every local login, so the stored hash is what shows the password was set and changed.</summary>
    private async Task<string?> PasswordHashAsync(string role)
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolpassword FROM pg_authid WHERE rolname = $1", connection) { Parameters = { new() { Value = role } } };
        return await command.ExecuteScalarAsync() as string;
    }
}
