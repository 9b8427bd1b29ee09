using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace Ndhm.Fhir.Ig;

/// <summary>
/// Resolves the NRCeS ABDM IG 2.0.1 conformance resources (StructureDefinitions, ValueSets) that are embedded in
/// this assembly, so the product needs no IG folder at run time. The index (canonical url -> resource name) is
/// built once from a cheap JSON scan; a resource is parsed into a POCO only the first time it is asked for.
/// Thread-safe.
/// </summary>
public sealed class EmbeddedIgSource : IResourceResolver, IAsyncResourceResolver
{
    private const string Prefix = "Ndhm.Fhir.Ig.";
    private const string IgBase = "https://nrces.in/ndhm/fhir/r4/";
    private static readonly Lazy<EmbeddedIgSource> s_default = new(() => new EmbeddedIgSource());

    private readonly Assembly _assembly = typeof(EmbeddedIgSource).Assembly;
    private readonly Dictionary<string, string> _byCanonical;     // canonical url -> manifest resource name
    private readonly Dictionary<string, string> _byResourceKey;   // "StructureDefinition/Patient" -> name
    private readonly ConcurrentDictionary<string, Resource> _parsed = new(StringComparer.Ordinal);

    /// <summary>The process-wide instance (the embedded data never changes).</summary>
    public static EmbeddedIgSource Default => s_default.Value;

    public EmbeddedIgSource()
    {
        _byCanonical = new(StringComparer.Ordinal);
        _byResourceKey = new(StringComparer.Ordinal);
        foreach (var name in _assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)
                || name.EndsWith("package.json", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = _assembly.GetManifestResourceStream(name)!;
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement;
            if (!root.TryGetProperty("resourceType", out var type))
            {
                continue;
            }

            if (root.TryGetProperty("url", out var url) && url.GetString() is { } canonical)
            {
                _byCanonical[canonical] = name;
            }

            if (root.TryGetProperty("id", out var id))
            {
                _byResourceKey[$"{type.GetString()}/{id.GetString()}"] = name;
            }
        }
    }

    /// <summary>Canonical urls of every embedded conformance resource.</summary>
    public IReadOnlyCollection<string> Canonicals => _byCanonical.Keys;

    public Resource? ResolveByCanonicalUri(string uri)
    {
        var bar = uri.IndexOf('|');
        var key = bar >= 0 ? uri[..bar] : uri;
        return _byCanonical.TryGetValue(key, out var name) ? Load(name) : null;
    }

    public Resource? ResolveByUri(string uri)
    {
        if (ResolveByCanonicalUri(uri) is { } byCanonical)
        {
            return byCanonical;
        }

        // "StructureDefinition/Patient" relative, or under the IG's own base: never a core url such as
        // http://hl7.org/fhir/StructureDefinition/Patient, which shares the id of the IG's Patient profile.
        var relative = !uri.Contains("://", StringComparison.Ordinal);
        if (!relative && !uri.StartsWith(IgBase, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = uri.Split('/');
        if (parts.Length >= 2)
        {
            var key = $"{parts[^2]}/{parts[^1]}";
            if (_byResourceKey.TryGetValue(key, out var name))
            {
                return Load(name);
            }
        }

        return null;
    }

    public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => Task.FromResult(ResolveByCanonicalUri(uri));

    public Task<Resource?> ResolveByUriAsync(string uri) => Task.FromResult(ResolveByUri(uri));

    private Resource Load(string name) => _parsed.GetOrAdd(name, n =>
    {
        using var stream = _assembly.GetManifestResourceStream(n)!;
        using var reader = new StreamReader(stream);
        return FhirJson.ParseResource(reader.ReadToEnd());
    });
}
