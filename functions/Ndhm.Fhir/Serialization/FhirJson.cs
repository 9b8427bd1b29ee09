using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Ndhm.Core.Errors;

namespace Ndhm.Fhir;

/// <summary>
/// FHIR R4 JSON in and out, on the SDK 6 System.Text.Json (de)serializers. Both are thread-safe and shared.
/// Parsing is lenient about what a profile validator reports better (narrative XHTML, unknown codes): it only
/// refuses input that cannot become a resource at all, with <see cref="FhirErrorCodes.MalformedResource"/>.
/// </summary>
public static class FhirJson
{
    // Recoverable: data problems (bad enum codes, wrong cardinality) are kept for the validator to report with a
    // location; only JSON that cannot be mapped onto the model fails here.
    private static readonly BaseFhirJsonDeserializer s_deserializer =
        new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    private static readonly BaseFhirJsonSerializer s_serializer = new(ModelInfo.ModelInspector);

    /// <summary>Parses any resource; throws <see cref="DomainException"/> (Validation) when it cannot.</summary>
    public static Resource ParseResource(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return s_deserializer.DeserializeResource(json);
        }
        catch (DeserializationFailedException e)
        {
            throw Malformed(string.Join("; ", e.Exceptions.Select(x => x.Message).Take(5)), e);
        }
        catch (JsonException e)
        {
            throw Malformed($"not JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses a resource and checks it is a <typeparamref name="T"/>.</summary>
    public static T Parse<T>(string json) where T : Resource =>
        ParseResource(json) as T
        ?? throw Malformed($"expected a {ModelInfo.GetFhirTypeNameForType(typeof(T))} resource");

    /// <summary>Parses a Bundle (the shape every ABDM health-information document travels in).</summary>
    public static Bundle ParseBundle(string json) => Parse<Bundle>(json);

    /// <summary>Serializes to FHIR JSON (compact unless <paramref name="pretty"/>).</summary>
    public static string Serialize(Base instance, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return s_serializer.SerializeToString(instance, pretty);
    }

    /// <summary>Serializes to UTF-8 FHIR JSON bytes (what goes on the wire or into Fidelius encryption).</summary>
    public static byte[] SerializeToUtf8Bytes(Base instance, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return s_serializer.SerializeToBytes(instance, pretty);
    }

    private static DomainException Malformed(string detail, Exception? inner = null) =>
        new(ErrorKind.Validation, FhirErrorCodes.MalformedResource, "The FHIR resource could not be read", detail,
            inner: inner);
}

/// <summary>Error codes of the FHIR capability.</summary>
public static class FhirErrorCodes
{
    /// <summary>The input is not a FHIR R4 JSON resource.</summary>
    public const string MalformedResource = "FHIR_MALFORMED";

    /// <summary>The resource does not conform to the ABDM IG or to the project's document rules.</summary>
    public const string InvalidDocument = "FHIR_INVALID_DOCUMENT";

    /// <summary>A document bundle could not be built from what the caller supplied.</summary>
    public const string IncompleteDocument = "FHIR_INCOMPLETE_DOCUMENT";
}
