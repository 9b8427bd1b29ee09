namespace Ndhm.Core.Security;

/// <summary>
/// Who is calling, as proven by a validated bearer token. <see cref="Subject"/> is the partner client id, the
/// patient's ABHA number or an admin's id; <see cref="Roles"/> come from the token's <c>roles</c> claim.
/// </summary>
public sealed record CallerIdentity(string Subject, IReadOnlySet<string> Roles, string TokenId, DateTimeOffset ExpiresAt)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public IReadOnlyDictionary<string, string> Claims { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The partner a partner-session token was issued to (its <c>client_id</c> claim); null for every other token
    /// (platform, patient, sandbox). Such a token is good only while that partner is active.
    /// </summary>
    public string? ClientId { get; init; }
}
