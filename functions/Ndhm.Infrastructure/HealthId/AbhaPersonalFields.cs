using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId.Accounts;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// The encrypted fields of Health ID documents, each under the patient's own data key (<c>patient:&lt;14 digits&gt;</c>),
/// named by its path in the stored document, which is also the field name bound into its ciphertext. Objects (the
/// name, the local-language name, the date of birth, the postal address) are encrypted as their JSON text.
/// <para>
/// Plaintext on purpose: the number, the keyed hashes (<c>mobileHash</c>, <c>aadhaarHash</c>: lookups and uniqueness
/// need them, and they reveal nothing without the HMAC key; also <c>document.documentHash</c>), status, KYC status, the
/// accepted consent (code, version, language: which text, nothing about the person), the document's type and state,
/// the linked ABHA addresses (they are the ids of the address claims, i.e. public handles) and timestamps; in an address claim's lookup view the gender and
/// the year of birth (coarse matching attributes partners verify against, meaningless without the name; they leave
/// the view when the account is deactivated or erased).
/// </para>
/// </summary>
public static class AbhaPersonalFields
{
    public const string Name = "name";
    public const string LocalName = "localName";
    public const string Gender = "gender";
    public const string DateOfBirth = "dateOfBirth";
    public const string Mobile = "mobile";
    public const string Email = "email";
    public const string Address = "address";
    public const string Photo = "photo";

    /// <summary>A document verifier's free-text reason (may describe the person); the rest of <c>document</c> is a type, a keyed hash, a state and times.</summary>
    public const string DocumentReason = "document.reason";

    /// <summary>The holder's name in an address claim's lookup view.</summary>
    public const string ViewName = "view.name";

    public static DataKeyScope ScopeOf(string abhaDigits) => DataKeyScope.Patient(abhaDigits);

    private static readonly string[] AccountFields = [Name, LocalName, Gender, DateOfBirth, Mobile, Email, Address, Photo, DocumentReason];
    private static readonly string[] AccountJsonFields = [Name, LocalName, DateOfBirth, Address];

    /// <summary>
    /// Account documents carry no type property; <c>kycStatus</c> is on every account and nothing else, so the
    /// migration runs one plan per KYC status.
    /// </summary>
    public static FieldEncryptionPlan AccountPlan(KycStatus kyc) => new(
        "healthid-account-" + (kyc == KycStatus.Verified ? "verified" : "unverified") + "-v1",
        CosmosContainers.HealthIds.Name,
        "kycStatus",
        kyc == KycStatus.Verified ? "VERIFIED" : "UNVERIFIED",
        AccountFields,
        document => ScopeOf(document["id"]!.GetValue<string>()),
        AccountJsonFields);

    /// <summary>The name in the lookup views of address claims.</summary>
    public static FieldEncryptionPlan AddressClaimPlan { get; } = new(
        "healthid-address-claim-v1",
        CosmosContainers.HealthIds.Name,
        "kind",
        "addressClaim",
        [ViewName],
        document => ScopeOf(document["abhaNumber"]!.GetValue<string>()));

    /// <summary>Every plan the Health ID migration runs (<see cref="HealthIdPersonalDataMigration"/>).</summary>
    public static IReadOnlyList<FieldEncryptionPlan> Plans { get; } =
        [AccountPlan(KycStatus.Verified), AccountPlan(KycStatus.Unverified), AddressClaimPlan];

    /// <summary>The account as stored: serialised, its personal fields encrypted (the patient's key is created on first use).</summary>
    public static async Task<JsonObject> ToStoredAsync(AbhaAccount account, PlaintextFieldEncryptor fields, CancellationToken ct)
    {
        var document = JsonSerializer.SerializeToNode(account, NdhmJson.Options)!.AsObject();
        await fields.EncryptInPlaceAsync(AccountPlan(account.KycStatus), document, ct).ConfigureAwait(false);
        return document;
    }

    /// <summary>The account from a stored document, encrypted or (not yet migrated) plaintext.</summary>
    public static async Task<AbhaAccount> FromStoredAsync(JsonObject document, PlaintextFieldEncryptor fields, CancellationToken ct)
    {
        // Either plan decrypts the same fields; the KYC status only picks the migration's checkpoint.
        await fields.DecryptInPlaceAsync(AccountPlan(KycStatus.Verified), document, ct).ConfigureAwait(false);
        return document.Deserialize<AbhaAccount>(NdhmJson.Options)
               ?? throw new InvalidOperationException("An account document deserialised to nothing.");
    }

    public static async Task<AbhaLookupView?> EncryptAsync(AbhaLookupView? view, string claimId, FieldCipher cipher, CancellationToken ct) =>
        view?.Name is null
            ? view
            : view with { Name = await cipher.EncryptAsync(ScopeOf(view.AbhaNumber.Digits), claimId, ViewName, view.Name, ct).ConfigureAwait(false) };

    /// <summary>
    /// The view with its name readable. A view whose key was destroyed (the holder was erased, and a crash kept the old
    /// view) shows no name: nothing of an erased person can be read back.
    /// </summary>
    public static async Task<AbhaLookupView?> DecryptAsync(AbhaLookupView? view, string claimId, FieldCipher cipher, CancellationToken ct)
    {
        if (view?.Name is null) return view;
        try
        {
            return view with { Name = await cipher.DecryptOrPlaintextAsync(ScopeOf(view.AbhaNumber.Digits), claimId, ViewName, view.Name, ct).ConfigureAwait(false) };
        }
        catch (DomainException e) when (e.Code == PrivacyErrors.SubjectErased)
        {
            return view with { Name = null };
        }
    }
}
