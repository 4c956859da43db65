using Infra.Providers.Postgres.Sql;

namespace Infra.Tenants.Tests.Provider;

/// <summary>SQL names and literal words match to the true end of the text, so a trailing newline never reaches SQL.</summary>
public class IdentifierTests
{
    [Fact]
    public void A_role_name_with_a_trailing_newline_is_refused()
    {
        Assert.Null(Identifiers.Problem("role", "tenant_acme"));
        Assert.Contains(@"'tenant_acme\n' is not a valid role name", Identifiers.Problem("role", "tenant_acme\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_literal_word_with_a_trailing_newline_is_refused()
    {
        Assert.True(Identifiers.IsPlainWord("UTF8"));
        Assert.False(Identifiers.IsPlainWord("UTF8\n"));
    }

    [Fact]
    public void A_long_name_is_quoted_at_most_200_characters()
    {
        var problem = Identifiers.Problem("database", new string('a', 10_000));

        Assert.Contains("(10000 characters)", problem, StringComparison.Ordinal);
        Assert.True(problem!.Length < 400, problem);
    }
}
