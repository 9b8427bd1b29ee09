namespace Ndhm.Fidelius;

/// <summary>
/// One side's key material for one transfer: a fresh key pair, a fresh 32-byte nonce and an expiry. Generate it per
/// transfer and drop it afterwards; nothing here is cached or reused (that is the forward secrecy the NHA wrapper
/// lost by keeping one key pair per process).
/// </summary>
public sealed class FideliusKeyMaterial
{
    /// <summary>How long a requester's key material stays acceptable by default (ABDM uses hours, not days).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromHours(24);

    private FideliusKeyMaterial(FideliusPrivateKey privateKey, FideliusNonce nonce, DateTimeOffset expiry)
    {
        PrivateKey = privateKey;
        Nonce = nonce;
        Expiry = expiry;
    }

    public FideliusPrivateKey PrivateKey { get; }

    public FideliusPublicKey PublicKey => PrivateKey.PublicKey;

    public FideliusNonce Nonce { get; }

    public DateTimeOffset Expiry { get; }

    /// <summary>Fresh key pair and nonce, valid for <paramref name="validity"/> from <paramref name="time"/>'s now.</summary>
    public static FideliusKeyMaterial Generate(TimeProvider time, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var lifetime = validity ?? DefaultValidity;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(validity));
        return new FideliusKeyMaterial(FideliusPrivateKey.Generate(), FideliusNonce.Generate(),
            time.GetUtcNow() + lifetime);
    }

    /// <summary>Key material kept for the length of one transfer (by a HIU that must survive a restart), read back.</summary>
    public static FideliusKeyMaterial Restore(FideliusPrivateKey privateKey, FideliusNonce nonce, DateTimeOffset expiry) =>
        new(privateKey ?? throw new ArgumentNullException(nameof(privateKey)), nonce ?? throw new ArgumentNullException(nameof(nonce)), expiry);

    /// <summary>
    /// The ABDM <c>keyMaterial</c> object to send to the other side. <paramref name="x509"/> selects the X.509 form of
    /// <c>keyValue</c> (what most ABDM implementations send); the raw 65-byte point is accepted everywhere too.
    /// </summary>
    public AbdmKeyMaterial ToAbdm(bool x509 = true) => new(
        AbdmKeyMaterial.Algorithm,
        AbdmKeyMaterial.CurveName,
        new AbdmDhPublicKey(Ndhm.Core.Abdm.AbdmTimestamp.Of(Expiry),
            AbdmKeyMaterial.DefaultParameters, x509 ? PublicKey.ToX509Base64() : PublicKey.ToBase64()),
        Nonce.ToBase64());

    public override string ToString() => $"FideliusKeyMaterial(public {PublicKey}, expires {Expiry:O})";
}
