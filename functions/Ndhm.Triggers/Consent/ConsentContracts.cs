using Ndhm.Consent;

namespace Ndhm.Triggers.Consent;

public sealed record ConsentRequestList(IReadOnlyList<ConsentRequestView> ConsentRequests);

public sealed record ConsentArtefactList(IReadOnlyList<ConsentArtefactView> Consents);

/// <summary>The patient's decision to deny, with an optional reason shown to nobody but the patient and the audit.</summary>
public sealed record DenyConsentInput(string? Reason);

/// <summary>What a sweep did.</summary>
public sealed record ConsentSweepResult(int Expired, int Renotified);
