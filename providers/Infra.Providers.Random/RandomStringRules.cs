using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Infra.Values;

namespace Infra.Providers.Random;

/// <summary>Defaults, validation and generation for random strings and passwords.</summary>
internal static class RandomStringRules
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Numeric = "0123456789";
    private const string DefaultSpecial = "!@#$%&*()-_=+[]{}<>:?";

    private static readonly string[] s_minimums = ["minUpper", "minLower", "minNumeric", "minSpecial"];
    private static readonly (string Name, bool Default)[] s_flags = [("upper", true), ("lower", true), ("numeric", true), ("special", true)];

    public static PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        if (!inputs.ContainsKey("length"))
        {
            failures.Add(new CheckFailure("length", "is required: the number of characters, 1 to 1024."));
            return inputs;
        }

        foreach (var (name, defaultValue) in s_flags)
        {
            if (!inputs.ContainsKey(name))
            {
                inputs = inputs.SetItem(name, PropertyValue.Create(defaultValue));
            }
            else if (inputs[name].IsFullyKnown && !inputs[name].TryGetBool(out _))
            {
                failures.Add(new CheckFailure(name, "must be true or false."));
            }
        }

        var length = inputs["length"];
        if (length.IsFullyKnown && (!length.TryGetNumber(out var n) || n < 1 || n > 1024 || n != Math.Floor(n)))
        {
            failures.Add(new CheckFailure("length", "must be a whole number from 1 to 1024."));
        }

        if (inputs.IsFullyKnown && Alphabet(inputs).Length == 0)
        {
            failures.Add(new CheckFailure("upper", "at least one of upper, lower, numeric or special must be true."));
        }

        var minimum = s_minimums.Sum(k => Min(inputs, k));
        if (length.TryGetNumber(out var total) && minimum > total)
        {
            failures.Add(new CheckFailure("length", $"is {total}, less than the sum of the minimums ({minimum})."));
        }

        return inputs;
    }

    public static string Generate(PropertyMap inputs)
    {
        var length = (int)inputs["length"].AsNumber;
        var builder = new StringBuilder(length);
        void Take(string alphabet, int count)
        {
            for (var i = 0; i < count; i++)
            {
                builder.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
            }
        }

        Take(Upper, Min(inputs, "minUpper"));
        Take(Lower, Min(inputs, "minLower"));
        Take(Numeric, Min(inputs, "minNumeric"));
        Take(inputs.GetString("overrideSpecial") ?? DefaultSpecial, Min(inputs, "minSpecial"));
        Take(Alphabet(inputs), length - builder.Length);
        var chars = builder.ToString().ToCharArray();
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static int Min(PropertyMap inputs, string key)
    {
        var value = inputs.GetValueOrDefault(key);
        return value is not null && value.TryGetNumber(out var n) ? (int)n : 0;
    }

    private static string Alphabet(PropertyMap inputs)
    {
        var builder = new StringBuilder();
        if (Flag(inputs, "upper"))
        {
            builder.Append(Upper);
        }

        if (Flag(inputs, "lower"))
        {
            builder.Append(Lower);
        }

        if (Flag(inputs, "numeric"))
        {
            builder.Append(Numeric);
        }

        if (Flag(inputs, "special"))
        {
            builder.Append(inputs.GetString("overrideSpecial") ?? DefaultSpecial);
        }

        return builder.ToString();
    }

    private static bool Flag(PropertyMap inputs, string key)
    {
        var value = inputs.GetValueOrDefault(key);
        return value is null || !value.TryGetBool(out var flag) || flag;
    }
}
