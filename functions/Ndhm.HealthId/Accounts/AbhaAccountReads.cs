using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Accounts;

/// <summary>
/// The patient's own reads of their account that disclose personal data (the profile, the card), each recorded on
/// the patient's audit chain before the data is returned: a read the trail cannot record is refused.
/// </summary>
public sealed class AbhaAccountReads(AbhaAccountLookup lookup, HealthIdAudit audit)
{
    public const string ProfileReadAction = "profile.read";
    public const string CardDownloadAction = "card.download";
    public const string QrTokenAction = "card.qr-token";

    public async Task<AbhaAccount> ReadProfileAsync(AbhaNumber number, CancellationToken ct)
    {
        var account = await lookup.RequireNotDeletedAsync(number, ct).ConfigureAwait(false);
        await audit.RecordPatientAsync(number, ProfileReadAction, null, ct).ConfigureAwait(false);
        return account;
    }

    public async Task<AbhaAccount> ReadForCardAsync(AbhaNumber number, CancellationToken ct)
    {
        var account = (await lookup.RequireAsync(number, ct).ConfigureAwait(false)).Value;
        await audit.RecordPatientAsync(number, CardDownloadAction, null, ct).ConfigureAwait(false);
        return account;
    }

    /// <summary>The account for its signed QR payload (name, gender, year of birth, number, address): a disclosure too.</summary>
    public async Task<AbhaAccount> ReadForQrTokenAsync(AbhaNumber number, CancellationToken ct)
    {
        var account = (await lookup.RequireAsync(number, ct).ConfigureAwait(false)).Value;
        await audit.RecordPatientAsync(number, QrTokenAction, null, ct).ConfigureAwait(false);
        return account;
    }
}
