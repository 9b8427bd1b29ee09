namespace Ndhm.Pharmacy.Fulfilment;

public enum LedgerEntryState
{
    Reserved,
    Dispensed,
}

public sealed record LedgerItem(int Line, string DrugCode, int Prescribed);

public sealed record LedgerEntry(string OrderId, string PharmacyId, int Line, int Quantity, LedgerEntryState State);

/// <summary>
/// How much of each prescription item is spoken for: reserved when a pharmacy accepts an order, dispensed when it
/// delivers, released when the order is cancelled or rejected. One document per prescription, changed only with
/// If-Match, so two pharmacies accepting at once cannot both take the last units: the total reserved and dispensed
/// never exceeds what was prescribed. Every change is idempotent per order.
/// </summary>
public sealed record DispensingLedger(string PrescriptionId, string PatientNumber, IReadOnlyList<LedgerItem> Items, IReadOnlyList<LedgerEntry> Entries)
{
    public int Taken(int line) => Entries.Where(e => e.Line == line).Sum(e => e.Quantity);

    public int Remaining(int line) => (Items.FirstOrDefault(i => i.Line == line)?.Prescribed ?? 0) - Taken(line);

    public int Dispensed(int line) => Entries.Where(e => e.Line == line && e.State == LedgerEntryState.Dispensed).Sum(e => e.Quantity);

    public bool Holds(string orderId) => Entries.Any(e => e.OrderId == orderId);

    /// <summary>The ledger with the order's lines reserved; itself when already reserved; null when any line has too little left.</summary>
    public DispensingLedger? Reserve(string orderId, string pharmacyId, IEnumerable<(int Line, int Quantity)> lines)
    {
        if (Holds(orderId)) return this;
        var wanted = lines.ToList();
        if (wanted.Any(l => l.Quantity > Remaining(l.Line))) return null;
        return this with { Entries = [.. Entries, .. wanted.Select(l => new LedgerEntry(orderId, pharmacyId, l.Line, l.Quantity, LedgerEntryState.Reserved))] };
    }

    /// <summary>Gives back what a cancelled or rejected order reserved (dispensed units stay dispensed).</summary>
    public DispensingLedger Release(string orderId) =>
        this with { Entries = Entries.Where(e => e.OrderId != orderId || e.State == LedgerEntryState.Dispensed).ToList() };

    public DispensingLedger Dispense(string orderId) =>
        this with { Entries = Entries.Select(e => e.OrderId == orderId ? e with { State = LedgerEntryState.Dispensed } : e).ToList() };
}
