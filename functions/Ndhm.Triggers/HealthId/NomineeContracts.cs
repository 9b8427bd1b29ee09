namespace Ndhm.Triggers.HealthId;

/// <summary>The patient names a nominee: an existing, active ABHA address other than their own.</summary>
/// <param name="Relationship">SPOUSE, PARENT, CHILD, SIBLING or OTHER.</param>
public sealed record SetNomineeRequest(string? AbhaAddress, string? Name, string? Relationship, string? Mobile);

/// <summary>A platform admin activates a nomination.</summary>
/// <param name="Reason">DEATH or INCAPACITY.</param>
/// <param name="EvidenceReference">What the decision rests on (a death certificate's number, a court order, a case reference); at most 200 characters.</param>
public sealed record ActivateNomineeRequest(string? Reason, string? EvidenceReference);

/// <summary>A platform admin ends an activation.</summary>
/// <param name="Reason">RECOVERED or ENTERED_IN_ERROR.</param>
public sealed record DeactivateNomineeRequest(string? Reason, string? EvidenceReference);
