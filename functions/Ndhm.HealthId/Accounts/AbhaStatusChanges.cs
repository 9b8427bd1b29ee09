namespace Ndhm.HealthId.Accounts;

/// <summary>A change of an ABHA account's status that partners holding the patient's records must hear of.</summary>
public enum AbhaStatusChange
{
    Deactivated,
    Reactivated,
    Deleted,
}

/// <summary>
/// One status change of the account <paramref name="AbhaNumber"/> (14 digits). <paramref name="Occurrence"/> tells this
/// change apart from other changes of the same kind (the deactivation's or reactivation's time; an account is erased
/// once) and is the same when a repeat of the change repairs it, so whoever is told derives the same message from it.
/// </summary>
public sealed record AbhaStatusChanged(string AbhaNumber, AbhaStatusChange Change, string Occurrence);

/// <summary>
/// Port: told of every deactivation, reactivation and erasure (the composition root wires the consent manager's
/// <c>patients/status/notify</c> to HIPs). Health ID depends on nothing behind it. A deactivation or reactivation is
/// told after it is stored, and told again when a repeat of the change finds the account already in its state (so a
/// listener must be idempotent per <see cref="AbhaStatusChanged"/>); an erasure is told before it is stored, while what
/// the listener reads about the patient is still readable (the erasure shreds the patient's data key). A listener that
/// fails fails the change's request, whose repeat tells it again.
/// </summary>
public interface IAbhaStatusListener
{
    Task OnStatusChangedAsync(AbhaStatusChanged change, CancellationToken ct);
}
