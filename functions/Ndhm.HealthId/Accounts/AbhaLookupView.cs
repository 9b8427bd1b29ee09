using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Accounts;

/// <summary>
/// What a lookup by ABHA address answers without reading the account: a copy kept in each of the account's address
/// claims, so a verifier's lookup by address is one point read, like a lookup by number.
/// <para>
/// Personal fields are there only while the account is ACTIVE: a deactivated account shows its number and status
/// (a verifier must not match a person to it while suspended), a deleted one its number and DELETED (erasure
/// leaves nothing personal in the claims either, and the claims stay so the address is never reissued).
/// The mobile is not copied: sending a login OTP needs the full number, which stays in the account alone, so a
/// mobile change or an erasure has one document to reach for it (login by address reads the account).
/// </para>
/// <para>
/// <see cref="AccountUpdatedAt"/> is the version of the account the view was taken from; a claim keeps the view of
/// the latest version (<see cref="ShouldReplace"/>), so two changes whose claim writes land out of order leave the
/// newer view.
/// </para>
/// </summary>
public sealed record AbhaLookupView(
    AbhaNumber AbhaNumber,
    AbhaStatus Status,
    string? Name,
    Gender? Gender,
    int? YearOfBirth,
    AbhaAddress? PreferredAbhaAddress,
    DateTimeOffset AccountUpdatedAt)
{
    public static AbhaLookupView From(AbhaAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Status == AbhaStatus.Active
            ? new AbhaLookupView(account.AbhaNumber, account.Status, account.Name?.FullName, account.Gender,
                account.DateOfBirth?.Year, account.PreferredAbhaAddress, account.UpdatedAt)
            : new AbhaLookupView(account.AbhaNumber, account.Status, null, null, null, null, account.UpdatedAt);
    }

    /// <summary>
    /// True when this view should overwrite <paramref name="stored"/> (null: the claim has none yet): it is of the
    /// same account and of a later version, or of the same version but different (a change that stopped before its
    /// account was saved can leave a view whose version the saved one shares; the later writer is the saved one).
    /// An identical view is not written again, and a claim held by another number is never touched.
    /// </summary>
    public bool ShouldReplace(AbhaLookupView? stored) =>
        stored is null
        || (stored.AbhaNumber == AbhaNumber
            && (stored.AccountUpdatedAt < AccountUpdatedAt || (stored.AccountUpdatedAt == AccountUpdatedAt && stored != this)));

    public AbhaVerificationView ToVerificationView() => new(AbhaNumber, Name, Gender, YearOfBirth, Status);
}
