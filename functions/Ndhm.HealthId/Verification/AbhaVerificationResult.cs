namespace Ndhm.HealthId.Verification;

/// <summary>What a partner's verification lookup may see: the minimum to match a person to a number.</summary>
public sealed record AbhaVerificationResult(string AbhaNumber, string? Name, string? Gender, int? YearOfBirth, string AbhaStatus,
    string? PreferredAbhaAddress);
