using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;

namespace Ndhm.Fhir.Definitions;

/// <summary>
/// Resolves conformance resources from the compact definitions shipped in this assembly
/// (<c>Definitions/r4</c>, made by <see cref="CompactDefinitionsBuilder"/>): every resource of the ABDM IG and
/// the FHIR R4 core definitions that ABDM documents need, trimmed of documentation. It answers exactly as
/// <c>MultiResolver(EmbeddedIgSource, ZipSource(specification.zip))</c> does: IG first (by url, any version),
/// then core; a core canonical the compact set lacks (the manifest lists every one in the specification) goes
/// to <paramref name="fallback"/>, the full specification, opened only then; anything else is unknown to both
/// and resolves to null at once. Thread-safe.
/// </summary>
public sealed class CompactDefinitionSource : IResourceResolver, IAsyncResourceResolver
{
    internal const string ResourcePrefix = "Ndhm.Fhir.Definitions.r4.";
    internal const string IndexName = "index.tsv";
    internal const string ManifestName = "core-manifest.txt";
    private const string IgBase = "https://nrces.in/ndhm/fhir/r4/";

    private readonly Func<string, Stream?> _open;
    private readonly Lazy<IResourceResolver>? _fallback;
    private readonly Dictionary<string, Entry> _ig = new(StringComparer.Ordinal);          // url -> entry
    private readonly Dictionary<string, Entry> _igByKey = new(StringComparer.Ordinal);     // "StructureDefinition/Patient"
    private readonly Dictionary<string, Entry> _core = new(StringComparer.Ordinal);        // url -> entry
    private readonly HashSet<string> _coreCanonicals = new(StringComparer.Ordinal);         // url and url|version
    private readonly HashSet<string> _coreUris = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Resource> _parsed = new(StringComparer.Ordinal);
    private int _fallbacks;

    /// <param name="open">Opens a file of the compact set by name (index.tsv, core-manifest.txt, the resources).</param>
    /// <param name="fallback">The full specification, for core canonicals outside the compact set.</param>
    public CompactDefinitionSource(Func<string, Stream?> open, Func<IResourceResolver>? fallback)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        _fallback = fallback is null ? null : new Lazy<IResourceResolver>(fallback);
        foreach (var line in ReadLines(IndexName))
        {
            // origin \t resourceType \t id \t url \t version \t file
            var f = line.Split('\t');
            var entry = new Entry(f[0], f[1], f[2], f[3], f[4], f[5]);
            if (entry.Origin == "ig")
            {
                _ig[entry.Url] = entry;
                _igByKey[$"{entry.ResourceType}/{entry.Id}"] = entry;
            }
            else
            {
                _core[entry.Url] = entry;
            }
        }

        foreach (var line in ReadLines(ManifestName))
        {
            // "c <canonical>|<version>" or "u <uri>"
            if (line.StartsWith("c ", StringComparison.Ordinal))
            {
                var canonical = line[2..];
                _coreCanonicals.Add(canonical);
                var bar = canonical.IndexOf('|');
                _coreCanonicals.Add(bar >= 0 ? canonical[..bar] : canonical);
            }
            else if (line.StartsWith("u ", StringComparison.Ordinal))
            {
                _coreUris.Add(line[2..]);
            }
        }
    }

    /// <summary>The compact set embedded in this assembly, with the full specification as the fallback.</summary>
    public static CompactDefinitionSource FromAssembly(Func<IResourceResolver>? fallback) =>
        new(name => typeof(CompactDefinitionSource).Assembly.GetManifestResourceStream(ResourcePrefix + name), fallback);

    /// <summary>How many lookups had to go to the full specification (0 for the documents the set was built from).</summary>
    public int FallbackResolutions => Volatile.Read(ref _fallbacks);

    /// <summary>Canonical urls the compact set holds itself (IG and core).</summary>
    public IReadOnlyCollection<string> Canonicals => _ig.Keys.Concat(_core.Keys).ToList();

    public Resource? ResolveByCanonicalUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var bar = uri.IndexOf('|');
        var url = bar >= 0 ? uri[..bar] : uri;
        var version = bar >= 0 ? uri[(bar + 1)..] : null;

        // The embedded IG answers by url whatever the version asked for, as EmbeddedIgSource does.
        if (_ig.TryGetValue(url, out var ig))
        {
            return Load(ig);
        }

        if (_core.TryGetValue(url, out var core) && (version is null || version == core.Version))
        {
            return Load(core);
        }

#pragma warning disable CS0618 // the fallback answers exactly as the validator's plain calls do
        return _coreCanonicals.Contains(uri) ? Fallback().ResolveByCanonicalUri(uri) : null;
#pragma warning restore CS0618
    }

    public Resource? ResolveByUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (_ig.TryGetValue(uri, out var ig))
        {
            return Load(ig);
        }

        // Relative ("StructureDefinition/Patient") or under the IG's base, as EmbeddedIgSource resolves them.
        if (!uri.Contains("://", StringComparison.Ordinal) || uri.StartsWith(IgBase, StringComparison.Ordinal))
        {
            var parts = uri.Split('/');
            if (parts.Length >= 2 && _igByKey.TryGetValue($"{parts[^2]}/{parts[^1]}", out var byKey))
            {
                return Load(byKey);
            }
        }

        if (_core.TryGetValue(uri, out var core))
        {
            return Load(core);
        }

#pragma warning disable CS0618
        return _coreUris.Contains(uri) ? Fallback().ResolveByUri(uri) : null;
#pragma warning restore CS0618
    }

    public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => Task.FromResult(ResolveByCanonicalUri(uri));

    public Task<Resource?> ResolveByUriAsync(string uri) => Task.FromResult(ResolveByUri(uri));

    private IResourceResolver Fallback()
    {
        Interlocked.Increment(ref _fallbacks);
        return _fallback?.Value ?? throw new InvalidOperationException(
            "A FHIR core definition outside the compact set was needed and no full specification was given.");
    }

    // The set is written by the SDK's own serializer from the specification: parse it without re-checking every
    // value (Ostrich mode), which costs about half of a checking parse at start-up.
    private static readonly BaseFhirJsonDeserializer s_trusted =
        new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    private Resource Load(Entry entry) => _parsed.GetOrAdd(entry.File, file =>
    {
        using var stream = _open(file) ?? throw new InvalidOperationException($"compact definition '{file}' is missing");
        using var reader = new StreamReader(stream);
        return s_trusted.DeserializeResource(reader.ReadToEnd());
    });

    private IEnumerable<string> ReadLines(string name)
    {
        using var stream = _open(name) ?? throw new InvalidOperationException($"compact definitions: '{name}' is missing");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line;
            }
        }
    }

    private sealed record Entry(string Origin, string ResourceType, string Id, string Url, string Version, string File);
}
