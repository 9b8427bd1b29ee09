using System.Collections;
using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;

namespace Ndhm.Fhir.Validation;

/// <summary>
/// The project's own rules for ABDM documents, checked before the profile validator (which silently ignores
/// references it cannot resolve and does not tie Composition.type to the profile):
/// <list type="bullet">
/// <item><c>abdm-bundle-type</c>: Bundle.type is <c>document</c>.</item>
/// <item><c>abdm-composition-first</c>: the first entry is the Composition.</item>
/// <item><c>abdm-composition-profile</c>: the Composition claims one of the ABDM document profiles (or, for
/// types the IG release has no profile for, carries that type's Composition.type).</item>
/// <item><c>abdm-composition-type</c>: Composition.type is the right one for that profile.</item>
/// <item><c>abdm-composition-subject</c>: the Composition has a subject, and it is a Patient in the bundle.</item>
/// <item><c>abdm-reference-resolves</c>: every literal reference resolves to an entry of the bundle.</item>
/// </list>
/// </summary>
public static class DocumentRules
{
    public const string BundleType = "abdm-bundle-type";
    public const string CompositionFirst = "abdm-composition-first";
    public const string CompositionProfile = "abdm-composition-profile";
    public const string CompositionType = "abdm-composition-type";
    public const string CompositionSubject = "abdm-composition-subject";
    public const string ReferenceResolves = "abdm-reference-resolves";

    public static IReadOnlyList<FhirValidationIssue> Check(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var issues = new List<FhirValidationIssue>();
        if (bundle.Type != Bundle.BundleType.Document)
        {
            issues.Add(Error("value", "Bundle.type", BundleType,
                $"an ABDM health-information document is a Bundle of type 'document', not '{bundle.TypeElement?.JsonValue ?? "(none)"}'"));
        }

        var index = new BundleIndex(bundle);
        var first = bundle.Entry.FirstOrDefault()?.Resource;
        if (first is not Composition composition)
        {
            var where = bundle.Entry.FindIndex(e => e.Resource is Composition);
            issues.Add(Error("structure", "Bundle.entry[0].resource", CompositionFirst, where < 0
                ? "the bundle has no Composition: a document's first entry must be its Composition"
                : $"the first entry must be the Composition, found {first?.TypeName ?? "nothing"} (the Composition is entry {where})"));
        }
        else
        {
            CheckComposition(composition, index, issues);
        }

        CheckReferences(bundle, index, issues);
        return issues;
    }

    private static void CheckComposition(Composition composition, BundleIndex index, List<FhirValidationIssue> issues)
    {
        const string at = "Bundle.entry[0].resource";
        var profiles = composition.Meta?.Profile.ToList() ?? [];
        var kind = profiles.Select(AbdmProfiles.ForProfile).FirstOrDefault(k => k is not null);
        if (kind is null)
        {
            var byType = AbdmProfiles.ForCompositionType(composition.Type);
            if (byType is null || byType.ProfileInIg)
            {
                issues.Add(Error("structure", $"{at}.meta.profile", CompositionProfile,
                    "the Composition must declare an ABDM document profile in meta.profile (" +
                    string.Join(", ", AbdmProfiles.All.Where(k => k.ProfileInIg).Select(k => k.ProfileName)) + ")"));
            }
        }
        else if (!kind.Matches(composition.Type))
        {
            var found = composition.Type is null
                ? "none"
                : string.Join(", ", composition.Type.Coding.Select(c => $"{c.System}|{c.Code}")
                    .DefaultIfEmpty($"text \"{composition.Type.Text}\""));
            issues.Add(Error("code-invalid", $"{at}.type", CompositionType,
                $"a {kind.ProfileName} Composition must have type {(kind.SnomedCode is null ? $"text \"{kind.Display}\"" : $"SNOMED CT {kind.SnomedCode} ({kind.Display})")}; found {found}"));
        }

        if (composition.Subject is null || (composition.Subject.Reference is null && composition.Subject.Identifier is null))
        {
            issues.Add(Error("required", $"{at}.subject", CompositionSubject,
                "the Composition must have a subject: the patient the document is about"));
        }
        else if (composition.Subject.Reference is { } subject && index.Resolve(subject) is { } target && target is not Patient)
        {
            issues.Add(Error("invalid", $"{at}.subject", CompositionSubject,
                $"the Composition's subject must be a Patient, but '{subject}' is a {target.TypeName}"));
        }
    }

    private static void CheckReferences(Bundle bundle, BundleIndex index, List<FhirValidationIssue> issues)
    {
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is not { } resource)
            {
                continue;
            }

            foreach (var (path, reference) in References(resource, $"Bundle.entry[{i}].resource"))
            {
                var value = reference.Reference;
                if (string.IsNullOrEmpty(value) || value.StartsWith('#'))
                {
                    continue; // identifier-only or contained: nothing to resolve in the bundle
                }

                if (index.Resolve(value) is null)
                {
                    issues.Add(Error("not-found", path, ReferenceResolves,
                        $"reference '{value}' does not resolve to any entry of the bundle (a document must be self-contained)"));
                }
            }
        }
    }

    // Walks every ResourceReference under a resource (contained resources are skipped: their references are
    // resolved by the same rules, but through the container).
    private static IEnumerable<(string Path, ResourceReference Reference)> References(Base node, string path)
    {
        foreach (var (name, value) in node.EnumerateElements())
        {
            if (name == "contained")
            {
                continue;
            }

            if (value is Base single)
            {
                foreach (var found in Visit(single, $"{path}.{name}"))
                {
                    yield return found;
                }
            }
            else if (value is IEnumerable list)
            {
                var i = 0;
                foreach (var item in list)
                {
                    if (item is Base child)
                    {
                        foreach (var found in Visit(child, $"{path}.{name}[{i}]"))
                        {
                            yield return found;
                        }
                    }

                    i++;
                }
            }
        }
    }

    private static IEnumerable<(string, ResourceReference)> Visit(Base node, string path)
    {
        if (node is ResourceReference reference)
        {
            yield return (path, reference);
        }

        if (node is PrimitiveType)
        {
            yield break;
        }

        foreach (var found in References(node, path))
        {
            yield return found;
        }
    }

    private static FhirValidationIssue Error(string code, string expression, string rule, string message) =>
        new(FhirIssueSeverity.Error, code, message, expression, rule);

    /// <summary>
    /// Resolves references the way FHIR resolves them inside a bundle: an absolute reference (urn:uuid:, http...)
    /// must equal an entry's fullUrl; a relative one (<c>Patient/1</c>) matches an entry whose fullUrl ends in it
    /// or whose resource has that type and id.
    /// </summary>
    private sealed class BundleIndex
    {
        private readonly Dictionary<string, Resource> _byFullUrl = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Resource> _byTypeAndId = new(StringComparer.Ordinal);

        public BundleIndex(Bundle bundle)
        {
            foreach (var entry in bundle.Entry)
            {
                if (entry.Resource is not { } resource)
                {
                    continue;
                }

                if (entry.FullUrl is { } fullUrl)
                {
                    _byFullUrl.TryAdd(fullUrl, resource);
                }

                if (resource.Id is { } id)
                {
                    _byTypeAndId.TryAdd($"{resource.TypeName}/{id}", resource);
                }
            }
        }

        public Resource? Resolve(string reference)
        {
            if (_byFullUrl.TryGetValue(reference, out var exact))
            {
                return exact;
            }

            if (reference.StartsWith("urn:", StringComparison.Ordinal))
            {
                return null;
            }

            // Relative Type/id, possibly with a version (_history) or an absolute server url in front.
            var path = reference;
            var history = path.IndexOf("/_history/", StringComparison.Ordinal);
            if (history >= 0)
            {
                path = path[..history];
            }

            var parts = path.Split('/');
            if (parts.Length < 2)
            {
                return null;
            }

            var key = $"{parts[^2]}/{parts[^1]}";
            if (parts.Length == 2 && _byTypeAndId.TryGetValue(key, out var relative))
            {
                return relative;
            }

            return _byFullUrl.FirstOrDefault(kv => kv.Key.EndsWith("/" + key, StringComparison.Ordinal) || kv.Key == key).Value;
        }
    }
}
