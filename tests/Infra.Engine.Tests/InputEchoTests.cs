using Infra.Automation;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>Errors quote what they were given, but never more than 200 characters of it, and always on one line.</summary>
public class InputEchoTests
{
    private static readonly string s_tenMegabytes = new('9', 10 * 1024 * 1024);

    [Fact]
    public void A_short_value_is_quoted_whole()
    {
        Assert.Equal("'acme'", ErrorText.Quote("acme"));
        Assert.Equal("(unset)", ErrorText.Quote(null));
    }

    [Fact]
    public void A_long_value_is_cut_at_200_characters_and_its_length_given()
    {
        var quoted = ErrorText.Quote(s_tenMegabytes);

        Assert.Equal("'" + new string('9', ErrorText.MaxQuotedLength) + "…' (10485760 characters)", quoted);
    }

    [Fact]
    public void A_parser_message_is_cut_the_same_way_without_quotes()
    {
        Assert.Equal("found a tab", ErrorText.Excerpt("found a tab"));
        Assert.Equal(new string('x', ErrorText.MaxQuotedLength) + "… (1000 characters)", ErrorText.Excerpt(new string('x', 1000)));
    }

    [Fact]
    public void Control_characters_are_escaped_so_the_error_stays_on_one_line()
    {
        Assert.Equal(@"'acme\n'", ErrorText.Quote("acme\n"));
        Assert.Equal(@"'a\r\tb\u0000\u2028'", ErrorText.Quote("a\r\tb\0\u2028"));
    }

    [Fact]
    public async Task A_10_MB_value_set_through_config_is_not_echoed_back()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        var error = await Assert.ThrowsAsync<ConfigException>(() => stack.SetConfigAsync("app:count", s_tenMegabytes));

        Assert.Contains("config key 'app:count'", error.Message, StringComparison.Ordinal);
        Assert.Contains("…' (10485760 characters) is not an integer", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 600, $"{error.Message.Length} characters");
    }

    [Fact]
    public async Task A_10_MB_value_from_the_environment_is_not_echoed_back()
    {
        await using var project = await TestProject.CreateAsync();
        await project.Workspace.CreateStackAsync("dev");
        await using var workspace = await Workspace.OpenAsync(project.Workspace.Options with
        {
            Environment = new Dictionary<string, string?> { ["INFRA_CONFIG_app__count"] = s_tenMegabytes },
        });
        var config = (await workspace.SelectStackAsync("dev")).GetConfig();

        var validate = Assert.Throws<ConfigException>(config.Validate);
        var read = Assert.Throws<ConfigException>(() => config.GetInt32("app:count"));

        Assert.Contains("INFRA_CONFIG_app__count", validate.Message, StringComparison.Ordinal);
        Assert.All([validate.Message, read.Message], message => Assert.True(message.Length < 600, $"{message.Length} characters"));
    }

    [Fact]
    public async Task A_10_MB_key_is_not_echoed_back()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        var error = await Assert.ThrowsAsync<ConfigException>(() => stack.SetConfigAsync("app:" + s_tenMegabytes, "x"));

        Assert.True(error.Message.Length < 1000, $"{error.Message.Length} characters");
    }
}
