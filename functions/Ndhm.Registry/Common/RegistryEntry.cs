using System.Text.Json.Serialization;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;

namespace Ndhm.Registry.Common;

/// <summary>Who is registering or changing a registry entry.</summary>
public sealed record Registrant(string Subject, bool IsPlatformAdmin);

/// <summary>
/// What facilities and professionals share, and the rules on it: an entry belongs to the partner that registered
/// it; verification is granted by a platform admin only and withdrawn when a partner changes what was checked; a
/// deactivated entry is frozen (no changes, no verification) until an admin reactivates it, and its verification
/// does not count meanwhile (it is kept as the record of what was checked).
/// </summary>
public abstract record RegistryEntry<TSelf> where TSelf : RegistryEntry<TSelf>
{
    public required bool Verified { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }
    public string? VerifiedBy { get; init; }

    /// <summary>Set while the entry is deactivated. Nulls are not stored, so active entries (and older documents) have none.</summary>
    public Deactivation? Deactivation { get; init; }

    [JsonIgnore]
    public bool Active => Deactivation is null;

    /// <summary>Subject (partner client id or admin id) of the caller that registered the entry.</summary>
    public required string RegisteredBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The registering partner, or a platform admin.</summary>
    public bool MayBeChangedBy(Registrant registrant) => registrant.IsPlatformAdmin || registrant.Subject == RegisteredBy;

    public TSelf Verify(string adminSubject, DateTimeOffset now)
    {
        EnsureActive();
        return Verified ? Self : (TSelf)(this with { Verified = true, VerifiedAt = now, VerifiedBy = adminSubject, UpdatedAt = now });
    }

    /// <summary>Deactivating a deactivated entry keeps the first reason.</summary>
    public TSelf Deactivate(Deactivation deactivation) =>
        Active ? (TSelf)(this with { Deactivation = deactivation, UpdatedAt = deactivation.At }) : Self;

    /// <summary>The admin who reactivates vouches that the entry stands again as it was verified.</summary>
    public TSelf Reactivate(DateTimeOffset now) => Active ? Self : (TSelf)(this with { Deactivation = null, UpdatedAt = now });

    /// <summary>
    /// The entry after a change of its details: verification survives a platform admin's change (the admin checks
    /// what they change) and a change that leaves the checked facts alone; any other change needs verifying again.
    /// </summary>
    protected TSelf Changed(bool checkedFactsChanged, Registrant registrant, DateTimeOffset now)
    {
        var keep = Verified && (registrant.IsPlatformAdmin || !checkedFactsChanged);
        return (TSelf)(this with
        {
            Verified = keep,
            VerifiedAt = keep ? VerifiedAt : null,
            VerifiedBy = keep ? VerifiedBy : null,
            UpdatedAt = now,
        });
    }

    /// <summary>The problem (409) for a change of a deactivated entry, with the entry's own code.</summary>
    protected abstract DomainException Frozen();

    protected void EnsureActive()
    {
        if (!Active)
        {
            throw Frozen();
        }
    }

    private TSelf Self => (TSelf)this;
}

/// <summary>
/// The admin state changes both registries share (verify, deactivate, reactivate): If-Match optional but honoured,
/// and a change that changes nothing (verifying a verified entry) writes nothing and keeps the ETag.
/// </summary>
internal static class AdminChange
{
    /// <param name="audit">Records the change; runs after the change is known to alter the entry and before it is stored.</param>
    public static async Task<Versioned<T>> ApplyAsync<T>(Versioned<T> current, string? ifMatch, Func<T, T> change,
        Func<T, string, CancellationToken, Task<string>> replace, Func<CancellationToken, Task> audit, CancellationToken ct) where T : class
    {
        if (ifMatch is not null && !ETags.Match(current.ETag, ifMatch))
        {
            throw RegistryErrors.ConcurrentUpdate();
        }

        var changed = change(current.Value);
        if (ReferenceEquals(changed, current.Value))
        {
            return current;
        }

        await audit(ct);
        return new Versioned<T>(changed, await replace(changed, current.ETag, ct));
    }
}
