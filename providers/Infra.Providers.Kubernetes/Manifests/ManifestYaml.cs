using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Infra.Configuration;
using Infra.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Infra.Providers.Kubernetes.Manifests;

/// <summary>
/// Kubernetes manifests as YAML, to and from property values. Writing is byte-stable: keys in ordinal order (property
/// maps are sorted), two-space indents, LF line ends, and a string is quoted exactly when a YAML 1.1 or 1.2 reader
/// would take its plain form for something else (<c>"true"</c>, <c>"0755"</c>, <c>"yes"</c>). Reading resolves plain
/// scalars with the YAML core schema, so a file written here reads back as the value it was written from.
/// </summary>
internal static partial class ManifestYaml
{
    private static readonly EmitterSettings s_settings = new EmitterSettings()
        .WithBestIndent(2)
        .WithBestWidth(int.MaxValue)
        .WithIndentedSequences()
        .WithNewLine("\n");

    /// <summary>Writes one object as a YAML document.</summary>
    /// <exception cref="InvalidOperationException">The value holds a secret or unknown marker; callers check first.</exception>
    public static string Write(PropertyMap manifest) => WriteAll([manifest]);

    /// <summary>Writes objects as a multi-document YAML stream.</summary>
    public static string WriteAll(IEnumerable<PropertyMap> manifests)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, s_settings);
        emitter.Emit(new StreamStart());
        var first = true;
        foreach (var manifest in manifests)
        {
            // Every document after the first needs an explicit '---' separator.
            emitter.Emit(new DocumentStart(null, null, isImplicit: first));
            first = false;
            Emit(emitter, PropertyValue.Create(manifest));
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <summary>
    /// Reads every non-empty document of a YAML stream (helm output, a kustomize build) as objects, within
    /// <see cref="SafeYaml"/>'s limits.
    /// </summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="source">Where the text came from, named in errors.</param>
    /// <param name="maxBytes">The size limit; a stream of many manifests may pass more than one file's.</param>
    /// <exception cref="ConfigException">The text is not valid YAML, or passes a limit.</exception>
    /// <exception cref="InvalidDataException">A document is not a mapping.</exception>
    public static ImmutableArray<PropertyMap> ReadAll(string yaml, string source, int maxBytes = SafeYaml.MaxFileBytes)
    {
        var stream = SafeYaml.Parse(yaml, source, maxBytes);
        var documents = ImmutableArray.CreateBuilder<PropertyMap>();
        foreach (var document in stream.Documents)
        {
            var value = Read(document.RootNode);
            if (value.IsNull)
            {
                continue;
            }

            documents.Add(value.Kind == PropertyValueKind.Object
                ? value.AsObject
                : throw new InvalidDataException($"a YAML document holds a {value.Kind.ToString().ToLowerInvariant()}, not an object."));
        }

        return documents.ToImmutable();
    }

    /// <summary>Reads a single-document YAML file (at most 1 MiB) as one object.</summary>
    /// <exception cref="ConfigException">The text is not valid YAML, or passes a limit.</exception>
    /// <exception cref="InvalidDataException">The text holds no object, or more than one.</exception>
    public static PropertyMap ReadOne(string yaml, string source)
    {
        var documents = ReadAll(yaml, source);
        return documents.Length == 1
            ? documents[0]
            : throw new InvalidDataException($"expected one YAML document but found {documents.Length}.");
    }

    private static void Emit(IEmitter emitter, PropertyValue value)
    {
        switch (value.Kind)
        {
            case PropertyValueKind.Object:
                var map = value.AsObject;
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map)
                {
                    EmitString(emitter, key);
                    Emit(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case PropertyValueKind.Array:
                var items = value.AsArray;
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, items.IsEmpty ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in items)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case PropertyValueKind.String:
                EmitString(emitter, value.AsString);
                break;
            case PropertyValueKind.Number:
                EmitPlain(emitter, FormatNumber(value.AsNumber));
                break;
            case PropertyValueKind.Bool:
                EmitPlain(emitter, value.AsBool ? "true" : "false");
                break;
            case PropertyValueKind.Null:
                EmitPlain(emitter, "null");
                break;
            default:
                throw new InvalidOperationException($"A {value.Kind.ToString().ToLowerInvariant()} value cannot be written to a manifest.");
        }
    }

    private static void EmitPlain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));

    private static void EmitString(IEmitter emitter, string text)
    {
        ScalarStyle style;
        if (text.Contains('\n', StringComparison.Ordinal) && IsLiteralSafe(text))
        {
            style = ScalarStyle.Literal;
        }
        else if (text.Length == 0 || ResolvesToNonString(text) || !IsPlainSafe(text))
        {
            style = ScalarStyle.DoubleQuoted;
        }
        else
        {
            style = ScalarStyle.Plain;
        }

        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, style == ScalarStyle.Plain, style != ScalarStyle.Plain));
    }

    // Literal blocks cannot carry trailing spaces on a line, tabs or control characters faithfully.
    private static bool IsLiteralSafe(string text) =>
        !text.Contains(" \n", StringComparison.Ordinal) && !text.EndsWith(' ') && !text.StartsWith(' ') &&
        text.All(static c => c == '\n' || (!char.IsControl(c) && c != '\uFEFF'));

    // Conservative: letters, digits and a few punctuation marks that never start or form YAML syntax.
    private static bool IsPlainSafe(string text) =>
        PlainSafe().IsMatch(text) && !text.Contains(": ", StringComparison.Ordinal) && !text.Contains(" #", StringComparison.Ordinal) &&
        !text.EndsWith(':') && !text.EndsWith(' ');

    private static bool ResolvesToNonString(string text) =>
        Resolve(text).Kind != PropertyValueKind.String || Yaml11Scalar().IsMatch(text);

    private static string FormatNumber(double number) =>
        Math.Abs(number) < 9.007199254740992E15 && number == Math.Floor(number)
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("R", CultureInfo.InvariantCulture);

    private static PropertyValue Read(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ReadMapping(mapping),
        YamlSequenceNode sequence => PropertyValue.Create(sequence.Children.Select(Read)),
        YamlScalarNode scalar => ReadScalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node at {node.Start}."),
    };

    private static PropertyValue ReadMapping(YamlMappingNode mapping)
    {
        var builder = PropertyMap.CreateBuilder();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new InvalidDataException($"a mapping key at {key.Start} is not a string.");
            builder[name] = Read(value);
        }

        return PropertyValue.Create(builder.ToPropertyMap());
    }

    private static PropertyValue ReadScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (tag is null && scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)))
        {
            return PropertyValue.Create(text);
        }

        return Resolve(text);
    }

    /// <summary>The YAML 1.2 core schema's resolution of a plain scalar.</summary>
    private static PropertyValue Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return PropertyValue.Null;
            case "true" or "True" or "TRUE":
                return PropertyValue.True;
            case "false" or "False" or "FALSE":
                return PropertyValue.False;
        }

        if (DecimalInteger().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return PropertyValue.Create(integer);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return PropertyValue.Create(hex);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(static c => c is >= '0' and <= '7'))
        {
            return PropertyValue.Create(Convert.ToInt64(text[2..], 8));
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return PropertyValue.Create(number);
        }

        return PropertyValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex Float();

    // Forms other YAML readers (YAML 1.1: booleans, octals, sexagesimals, infinities) would not read as strings.
    [GeneratedRegex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?)|=|<<)\z")]
    private static partial Regex Yaml11Scalar();

    [GeneratedRegex(@"^[A-Za-z0-9_./\\()$^+=@][A-Za-z0-9_./\\()$^+=@ ,:;%!?*~'&<>|-]*\z")]
    private static partial Regex PlainSafe();
}
