using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>ABDM's requester of users/auth: <c>{type: HIP|HIU, id}</c>.</summary>
public sealed record AuthQueryRequester(RequesterType? Type, string? Id);

/// <summary>ABDM <c>PatientAuthModeQueryRequest.query</c>.</summary>
public sealed record AuthModeQuery(string? Id, AuthPurpose? Purpose, AuthQueryRequester? Requester);

/// <summary>ABDM <c>PatientAuthModeQueryRequest</c> (<c>POST /v0.5/users/auth/fetch-modes</c>).</summary>
public sealed record AuthModeQueryRequest(string? RequestId, string? Timestamp, AuthModeQuery? Query) : IAbdmRequest;

/// <summary>The <c>auth</c> of ABDM <c>PatientAuthModeQueryResponse</c> (on-fetch-modes).</summary>
public sealed record AuthModes(AuthPurpose Purpose, IReadOnlyList<AuthMode> Modes);
