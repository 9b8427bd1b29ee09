using Ndhm.Core.Concurrency;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Pharmacy;

/// <summary>Prescriptions (Cosmos <c>pharmacy</c> container, encrypted under the patient's data key).</summary>
public interface IPrescriptionStore
{
    Task CreateAsync(Prescription prescription, CancellationToken ct);

    Task<Prescription?> FindAsync(string prescriptionId, CancellationToken ct);
}

/// <summary>Shares with their quotes; replaces with If-Match (412 CONCURRENT_UPDATE when changed meanwhile).</summary>
public interface IShareStore
{
    Task<string> CreateAsync(PrescriptionShare share, CancellationToken ct);

    Task<Versioned<PrescriptionShare>?> FindAsync(string shareId, CancellationToken ct);

    Task<string> ReplaceAsync(PrescriptionShare share, string ifMatch, CancellationToken ct);
}

public interface IOrderStore
{
    /// <summary>Create-only: false when an order with this id exists.</summary>
    Task<bool> TryCreateAsync(Order order, CancellationToken ct);

    Task<Versioned<Order>?> FindAsync(string orderId, CancellationToken ct);

    /// <summary>If-Match replace: the new ETag, or null when the order changed meanwhile.</summary>
    Task<string?> TryReplaceAsync(Order order, string ifMatch, CancellationToken ct);
}

/// <summary>One ledger per prescription; If-Match replaces (null when it changed meanwhile).</summary>
public interface IDispensingLedgerStore
{
    Task CreateAsync(DispensingLedger ledger, CancellationToken ct);

    Task<Versioned<DispensingLedger>?> FindAsync(string prescriptionId, CancellationToken ct);

    Task<string?> TryReplaceAsync(DispensingLedger ledger, string ifMatch, CancellationToken ct);
}

/// <summary>The Schedule H/H1 dispensing register.</summary>
public interface IDispensingRegister
{
    /// <summary>Create-only by entry id: a redelivered delivery event writes nothing twice.</summary>
    Task RecordAsync(DispensingRegisterEntry entry, CancellationToken ct);

    Task<IReadOnlyList<DispensingRegisterEntry>> ListAsync(DateTimeOffset from, DateTimeOffset to, int take, CancellationToken ct);
}

/// <summary>Pharmacies from the facility registry (type pharmacy, verified, active) served by an active PHARMACY partner.</summary>
public interface IPharmacyDirectory
{
    Task<PharmacyInfo?> FindAsync(string facilityId, CancellationToken ct);

    Task<IReadOnlyList<PharmacyInfo>> InPincodeAsync(string pincode, int take, CancellationToken ct);

    /// <summary>The pharmacy facilities a partner serves (empty for an unknown or inactive partner).</summary>
    Task<IReadOnlySet<string>> ServedByAsync(string partnerId, CancellationToken ct);
}

/// <summary>The order event queue (a Storage queue; its trigger is <c>ProcessPharmacyOrderEvent</c>).</summary>
public interface IOrderEventQueue
{
    Task SendAsync(OrderEventMessage message, CancellationToken ct);
}

/// <summary>Tells a pharmacy partner (bridge callback and partner event stream). At least once: the event id is the dedup key.</summary>
public interface IPharmacyNotifier
{
    Task SharedAsync(string partnerId, string shareId, string pharmacyId, CancellationToken ct);

    Task OrderChangedAsync(Order order, OrderEventRecord change, CancellationToken ct);
}

/// <summary>What operators see of order messages that failed repeatedly or could not be read.</summary>
public sealed record PoisonMessage(string MessageId, DateTimeOffset? InsertedOn, string Body);

public interface IOrderPoisonQueue
{
    /// <summary>The poison queue's name (the order queue's, with <c>-poison</c>).</summary>
    string Name { get; }

    Task<IReadOnlyList<PoisonMessage>> PeekAsync(int max, CancellationToken ct);
}

/// <summary>The patient's own prescriptions and shares (what their app lists), newest first, at most <c>take</c>.</summary>
public interface IPatientPharmacyIndex
{
    Task<IReadOnlyList<Prescription>> PrescriptionsAsync(string patientNumber, int take, CancellationToken ct);

    Task<IReadOnlyList<PrescriptionShare>> SharesAsync(string patientNumber, int take, CancellationToken ct);
}
