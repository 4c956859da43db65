using System.Globalization;
using System.Text;

namespace Infra;

/// <summary>
/// How an error message quotes a value someone gave us (a config value, a name, a line of YAML): the one owner of
/// truncation and escaping. At most <see cref="MaxQuotedLength"/> characters of the value are shown, so a 10 MB value
/// is never echoed back into a terminal or a log, and control characters are escaped, so a value ending in a newline
/// shows as <c>'acme\n'</c> and cannot break the one-line error.
/// </summary>
public static class ErrorText
{
    /// <summary>The most characters of a value an error message shows.</summary>
    public const int MaxQuotedLength = 200;

    /// <summary>
    /// Quotes <paramref name="value"/> for an error message: <c>'acme'</c>, <c>'acme\n'</c>, or for a long value its
    /// first <see cref="MaxQuotedLength"/> characters followed by <c>…' (10485760 characters)</c>.
    /// </summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "(unset)";
        }

        var (head, cut) = Head(value);
        return cut ? $"'{head}…' ({Length(value)})" : $"'{head}'";
    }

    /// <summary>
    /// Shows text that may carry input, such as a parser's message, without quotes but with the same limits:
    /// escaped, and cut after <see cref="MaxQuotedLength"/> characters.
    /// </summary>
    public static string Excerpt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (head, cut) = Head(text);
        return cut ? $"{head}… ({Length(text)})" : head;
    }

    private static (string Head, bool Cut) Head(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxQuotedLength));
        foreach (var c in value)
        {
            var escaped = Escape(c);
            if (text.Length + escaped.Length > MaxQuotedLength)
            {
                return (text.ToString(), true);
            }

            text.Append(escaped);
        }

        return (text.ToString(), false);
    }

    private static string Length(string value) => value.Length.ToString(CultureInfo.InvariantCulture) + " characters";

    private static string Escape(char c) => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator => $"\\u{(int)c:x4}",
        _ => c.ToString(),
    };
}
