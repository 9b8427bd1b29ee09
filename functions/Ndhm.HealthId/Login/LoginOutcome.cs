using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Login;

/// <summary>
/// A login step's result: either the account and its patient tokens, or (a mobile with several ABHAs) the accounts
/// on that mobile and a user token to pick one with.
/// </summary>
public sealed record LoginOutcome(AbhaAccount? Account, PatientSessionTokens? Tokens, IReadOnlyList<AbhaAccount>? LinkedAccounts,
    string? UserToken)
{
    public static LoginOutcome LoggedIn(AbhaAccount account, PatientSessionTokens tokens) => new(account, tokens, null, null);

    public static LoginOutcome ChooseAccount(IReadOnlyList<AbhaAccount> accounts, string userToken) => new(null, null, accounts, userToken);
}
