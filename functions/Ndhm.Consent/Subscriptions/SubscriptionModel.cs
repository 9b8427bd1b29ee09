namespace Ndhm.Consent.Subscriptions;

/// <summary>The <c>subscription</c> object of ABDM's <c>SubscriptionRequest</c> as a HIU sends it (every field optional here, so validation names what is missing).</summary>
public sealed record SubscriptionRequestInput(
    PurposeInput? Purpose,
    IdInput? Patient,
    IdInput? Hiu,
    IReadOnlyList<IdInput?>? Hips,
    IReadOnlyList<string?>? Categories,
    DateRangeInput? Period);

/// <summary>ABDM <c>SubscriptionCategory</c>: LINK (new care contexts linked) and DATA (new data in a linked care context).</summary>
public static class SubscriptionCategories
{
    public const string Link = "LINK";
    public const string Data = "DATA";

    public static IReadOnlyList<string> All { get; } = [Link, Data];
}

/// <summary>A validated subscription request: <see cref="Hips"/> empty means every HIP the patient links at.</summary>
public sealed record SubscriptionRequestDetail(
    ConsentPurpose Purpose,
    IdReference Patient,
    IdReference Hiu,
    IReadOnlyList<IdReference> Hips,
    IReadOnlyList<string> Categories,
    DateRange Period);

/// <summary>ABDM <c>HIUSubscriptionContext</c>: one source of a granted subscription (no <see cref="Hip"/>: any HIP).</summary>
public sealed record SubscriptionSource(IdReference? Hip, IReadOnlyList<string> Categories, DateRange Period);

/// <summary>What the patient approves; absent: as requested.</summary>
public sealed record SubscriptionGrantInput(IReadOnlyList<SubscriptionSourceInput?>? Sources);

public sealed record SubscriptionSourceInput(IdInput? Hip, IReadOnlyList<string?>? Categories, DateRangeInput? Period);

/// <summary>One step of a subscription's life (REQUESTED, GRANTED, DENIED, REVOKED, EXPIRED) and who took it.</summary>
public sealed record SubscriptionEvent(int Seq, ConsentStatus Status, DateTimeOffset At, ConsentActor Actor, string? Reason);

/// <summary>A care context just linked at a HIP, as the subscription notification names it.</summary>
public sealed record LinkedCareContextEvent(string PatientReference, string CareContextReference, IReadOnlyList<string> HiTypes);
