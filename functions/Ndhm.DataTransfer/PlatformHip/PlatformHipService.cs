namespace Ndhm.DataTransfer.PlatformHip;

/// <summary>What one turn of serving the platform-held care contexts did.</summary>
/// <param name="WaitingForHiu">Nothing was pushed: the HIU has not been told the transaction id yet; try again shortly.</param>
/// <param name="DoneHipIds">The HIPs now finished (every care context of theirs DELIVERED or ERRORED).</param>
/// <param name="Pushed">How many entries were pushed in this turn.</param>
public sealed record PlatformServeResult(bool WaitingForHiu, IReadOnlyList<string> DoneHipIds, int Pushed)
{
    public static PlatformServeResult Waiting { get; } = new(true, [], 0);
}

/// <summary>
/// The platform as the HIP of the care contexts it holds (records its care providers wrote on the platform and linked at
/// their facility: teleconsultation notes, e-prescriptions, pharmacy dispensings). For a transaction naming such care
/// contexts it does what a HIP partner does on hip/request: acknowledges, loads exactly the consented care contexts'
/// records for that patient within the artefact's hiTypes and the request's date range (each read audited as the
/// platform's, under the consent), pushes them encrypted to the HIU's dataPushUrl, and records DELIVERED / ERRORED per
/// care context (the effect of health-information/notify), so the transfer closes as for any HIP.
/// Idempotent by the transaction: care contexts already reported are not pushed again; a turn retried before its report
/// was stored pushes the same pages again in the same order (the HIU takes each page once).
/// </summary>
public sealed class PlatformHipService(
    DataTransferService transfers,
    IPlatformHipRecords records,
    IPlatformHipPusher pusher,
    IHiuTransactionNotice hiuNotice)
{
    public const string NoRecord = "NO_RECORD_IN_CONSENTED_RANGE";

    public async Task<PlatformServeResult> ServeAsync(string transactionId, CancellationToken ct)
    {
        var transaction = await transfers.FindAsync(transactionId, ct);
        if (transaction.IsClosed) return new PlatformServeResult(false, [], 0);
        var done = new List<string>();
        var pushed = 0;
        foreach (var hipId in transaction.PlatformServedHips())
        {
            var pending = transaction.CareContexts
                .Where(c => c.HipId == hipId && c.PlatformHeld && c.Status == CareContextStatus.Pending)
                .OrderBy(c => c.CareContextReference, StringComparer.Ordinal)
                .ToList();
            if (pending.Count == 0)
            {
                if (transaction.HipIsDone(hipId)) done.Add(hipId);
                continue;
            }

            if (!await hiuNotice.HiuKnowsAsync(transaction, ct)) return PlatformServeResult.Waiting;
            var hip = transaction.Hips.Single(h => h.HipId == hipId);
            var entries = new List<PlatformPushEntry>();
            try
            {
                foreach (var context in pending)
                    entries.AddRange(await EntriesOfAsync(transaction, hip, context, ct));
                var results = entries.Count == 0 ? [] : await pusher.PushAsync(transaction, hip, entries, ct);
                pushed += entries.Count;
                var statuses = pending.ToDictionary(c => c.CareContextReference, c => Outcome(c, entries, results), StringComparer.Ordinal);
                done.AddRange(await transfers.RecordPlatformReportAsync(transaction.Id, hipId, statuses, ct));
            }
            finally
            {
                // The plaintext bundles live only for this turn.
                foreach (var entry in entries) Array.Clear(entry.BundleUtf8);
            }
        }

        return new PlatformServeResult(false, done, pushed);
    }

    /// <summary>The care context's records of the artefact's hiTypes whose care date is in the request's range, oldest first.</summary>
    private async Task<List<PlatformPushEntry>> EntriesOfAsync(HiTransaction transaction, HipTransfer hip, CareContextTransfer context, CancellationToken ct)
    {
        var listed = await records.ListAsync(transaction.PatientNumber, hip.HipId, context.CareContextReference, context.HiTypes, ct);
        var reader = new PlatformRecordReader(transaction.Id, hip.ConsentArtefactId, transaction.HiuId);
        var entries = new List<PlatformPushEntry>();
        foreach (var entry in listed
                     .Where(r => r.CareContextReference == context.CareContextReference
                                 && context.HiTypes.Contains(r.HiType, StringComparer.OrdinalIgnoreCase)
                                 && r.RecordDate >= transaction.DateRange.From && r.RecordDate <= transaction.DateRange.To)
                     .OrderBy(r => r.RecordDate).ThenBy(r => r.RecordId, StringComparer.Ordinal))
        {
            if (await records.ReadBundleAsync(transaction.PatientNumber, entry.RecordId, reader, ct) is { } bundle)
                entries.Add(new PlatformPushEntry(context.CareContextReference, entry.HiType, bundle));
        }

        return entries;
    }

    private static (bool Delivered, string? Description) Outcome(CareContextTransfer context, List<PlatformPushEntry> entries,
        IReadOnlyList<PlatformPushResult> results)
    {
        if (!entries.Any(e => e.CareContextReference == context.CareContextReference))
            return (false, $"{NoRecord}: the platform holds no record of the consented hiTypes in the requested date range for this care context.");
        var mine = results.Where(r => r.CareContextReference == context.CareContextReference).ToList();
        var failed = mine.FirstOrDefault(r => !r.Delivered);
        return mine.Count > 0 && failed is null ? (true, "Delivered by the platform as HIP") : (false, failed?.Description ?? "The push was not reported.");
    }
}
