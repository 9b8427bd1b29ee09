using System.Text.Json.Serialization;

namespace Ndhm.Linking;

/// <summary>A care context as a HIP describes it (ABDM <c>CareContextRepresentation</c>, with optional hiTypes).</summary>
public sealed record CareContext(string ReferenceNumber, string Display, IReadOnlyList<string>? HiTypes = null);

/// <summary>The patient as the HIP knows them: its own reference and display name, and the care contexts it found.</summary>
public sealed record HipPatient(string ReferenceNumber, string Display, IReadOnlyList<CareContext> CareContexts,
    IReadOnlyList<string>? MatchedBy = null);

/// <summary>ABDM's error shape in callbacks: <c>{"code":"ABDM-1401","message":"..."}</c>.</summary>
public sealed record AbdmError(string Code, string Message);

/// <summary>The patient's verified identifiers, from Health ID (what discovery sends to the HIP).</summary>
/// <param name="AbhaNumber">14 digits.</param>
/// <param name="Gender">ABDM's M, F, O or U.</param>
public sealed record PatientIdentity(string AbhaNumber, string AbhaAddress, string? Mobile, string Name, string Gender, int? YearOfBirth)
{
    /// <summary>The ABHA number as ABDM prints it: 91-1234-5678-9012.</summary>
    [JsonIgnore]
    public string FormattedAbhaNumber =>
        AbhaNumber.Length == 14 ? $"{AbhaNumber[..2]}-{AbhaNumber[2..6]}-{AbhaNumber[6..10]}-{AbhaNumber[10..]}" : AbhaNumber;
}

/// <summary>A HIP as linking addresses it: the id the patient and consents use, and the partner whose bridge serves it.</summary>
public sealed record HipEndpoint(string HipId, string PartnerId);

/// <summary>Who acts for a patient: the patient themself (PATIENT token), or a PHR app partner for them.</summary>
public sealed record PatientActor(string AbhaNumber, string? OnBehalfOfPartner = null);
