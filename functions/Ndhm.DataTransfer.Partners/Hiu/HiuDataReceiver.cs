using System.Collections.Concurrent;
using System.Text;
using Composition = Hl7.Fhir.Model.Composition;
using Ndhm.Core.Errors;
using Ndhm.Fhir;
using Ndhm.Fhir.Documents;
using Ndhm.Fhir.Validation;
using Ndhm.Fidelius;

namespace Ndhm.DataTransfer.Partners.Hiu;

/// <summary>
/// What the HIU remembers of a transaction it asked for: the artefact, the patient, the HIP(s) it expects pushes
/// from, when the data must be erased, and its own key material (the private key never left the HIU).
/// </summary>
public sealed record HiuTransferContext(string TransactionId, string ConsentArtefactId, string PatientId, IReadOnlySet<string> HipIds,
    DateTimeOffset DataEraseAt, FideliusKeyMaterial KeyMaterial);

/// <summary>The HIU's own transactions (it recorded each one when on-request gave it the transaction id).</summary>
public interface IHiuTransferContexts
{
    Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct);
}

/// <summary>Who pushed: the HIP id the push's bearer token proves, for this transaction, or null when it proves nothing.</summary>
public interface IPushAuthenticator
{
    Task<string?> AuthenticateAsync(string? bearerToken, string transactionId, CancellationToken ct);
}

/// <summary>Which pages of a transaction were accepted already (idempotency by transaction and <see cref="PushPageId"/>).</summary>
public interface IPushPageLog
{
    Task<bool> WasAcceptedAsync(string transactionId, string pageId, CancellationToken ct);

    Task MarkAcceptedAsync(string transactionId, string pageId, CancellationToken ct);
}

/// <summary>
/// A pushed page's identity: its number and a digest of what it carries (each entry's care context reference and
/// checksum, in order). A HIP pushing a page again, even re-encrypted with the same key material or not, sends the same
/// plaintext checksums, so the identity repeats. Two senders for one HIP id that both number their pages from 1 (a
/// partner and the platform serving the care contexts it holds at that facility) do not collide: the number alone
/// would take the second one's page 1 for a repeat and drop it.
/// </summary>
public static class PushPageId
{
    public static string Of(Utf8DataPushPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var entry in page.Entries ?? [])
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes((entry.CareContextReference ?? "") + "\n" + (entry.Checksum ?? "") + "\n"));
        }

        return page.PageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 12);
    }
}

public sealed class InMemoryPushPageLog : IPushPageLog
{
    private readonly ConcurrentDictionary<(string, string), bool> _accepted = new();

    public Task<bool> WasAcceptedAsync(string transactionId, string pageId, CancellationToken ct) =>
        Task.FromResult(_accepted.ContainsKey((transactionId, pageId)));

    public Task MarkAcceptedAsync(string transactionId, string pageId, CancellationToken ct)
    {
        _accepted[(transactionId, pageId)] = true;
        return Task.CompletedTask;
    }
}

/// <summary>One entry's fate: OK (handed to the sink) or ERRORED and why (checksum, decryption, FHIR validation).</summary>
public sealed record ReceivedEntry(string CareContextReference, bool Ok, string? HiType, string? Error);

/// <summary>A page's outcome; <see cref="Repeat"/> when the page had been accepted before (nothing handed over again).</summary>
public sealed record ReceivedPage(string TransactionId, int PageNumber, int PageCount, bool Repeat, IReadOnlyList<ReceivedEntry> Entries);

/// <summary>
/// The HIU side of a transfer, for one pushed page (<c>POST {dataPushUrl}</c>, ABDM <c>DataNotification</c>): the push is
/// authenticated as coming from a HIP of that transaction (<see cref="IPushAuthenticator"/>, 401/403 otherwise), a page
/// accepted before is acknowledged without handing anything over again, and each entry is checked (checksum of the
/// decrypted plaintext), decrypted with the HIU's private key and the HIP's key material, validated against the ABDM
/// profiles, and handed to <see cref="IDecryptedRecordSink"/>. An entry that fails is reported ERRORED, never stored.
/// A link entry (ABDM <c>EntryLink</c>) is fetched with <paramref name="links"/> (<see cref="LinkedEntryFetcher"/>) and
/// then treated as if its content had come inline; without a fetcher, or when the fetch fails, it is ERRORED with why.
/// </summary>
public sealed class HiuDataReceiver(IHiuTransferContexts contexts, IPushAuthenticator authenticator, IPushPageLog pages, IFhirDocumentValidator validator,
    IDecryptedRecordSink sink, TimeProvider time, ILinkedEntryFetcher? links = null)
{
    public const string PushNotAuthenticated = "PUSH_NOT_AUTHENTICATED";
    public const string PushNotFromHip = "PUSH_NOT_FROM_A_HIP_OF_TRANSACTION";
    public const string InvalidPush = "INVALID_PUSH";

    /// <summary>A page deserialized with its <c>content</c> as strings (see the UTF-8 overload for pushes read from the body).</summary>
    public Task<ReceivedPage> ReceiveAsync(DataPushPage? page, string? bearerToken, CancellationToken ct) =>
        ReceiveAsync(page is null ? null : Utf8DataPushPage.From(page), bearerToken, ct);

    /// <summary>
    /// A page read from the push body's UTF-8 (<see cref="DataPushBody.Parse"/>): each entry is decrypted from the base64
    /// bytes as they arrived, so no base64 string is made.
    /// </summary>
    public async Task<ReceivedPage> ReceiveAsync(Utf8DataPushPage? page, string? bearerToken, CancellationToken ct)
    {
        if (page?.TransactionId is not { } transactionId || page.Entries is null || page.KeyMaterial is null || page.PageNumber < 1
            || page.PageCount < page.PageNumber)
            throw new DomainException(ErrorKind.Validation, InvalidPush, "The push is not a valid DataNotification.",
                "transactionId, entries, keyMaterial, pageNumber (1..pageCount) and pageCount are required.");
        var context = await contexts.FindAsync(transactionId, ct);
        var hipId = context is null ? null : await authenticator.AuthenticateAsync(bearerToken, transactionId, ct);
        if (context is null || hipId is null)
            throw new DomainException(ErrorKind.Unauthenticated, PushNotAuthenticated, "The push is not authenticated for this transaction.",
                "Send the hip/request's pushToken as Authorization: Bearer.");
        if (!context.HipIds.Contains(hipId))
            throw new DomainException(ErrorKind.Forbidden, PushNotFromHip, "The pushing HIP is not a HIP of this transaction.");
        var pageId = PushPageId.Of(page);
        if (await pages.WasAcceptedAsync(transactionId, pageId, ct))
            return new ReceivedPage(transactionId, page.PageNumber, page.PageCount, Repeat: true, []);

        PeerKeyMaterial sender;
        try
        {
            sender = page.KeyMaterial.Validate(time, TimeSpan.FromMinutes(1));
        }
        catch (FideliusException e)
        {
            throw new DomainException(ErrorKind.Validation, InvalidPush, "The push's key material is not valid.", e.Detail);
        }

        var received = new List<ReceivedEntry>();
        // Every entry of a push is under the same key material: one key agreement for the page.
        using var keys = new PageKeys(context.KeyMaterial, sender);
        foreach (var entry in page.Entries)
        {
            received.Add(await ReceiveEntryAsync(context, hipId, keys, entry, ct));
        }

        await pages.MarkAcceptedAsync(transactionId, pageId, ct);
        return new ReceivedPage(transactionId, page.PageNumber, page.PageCount, Repeat: false, received);
    }

    private async Task<ReceivedEntry> ReceiveEntryAsync(HiuTransferContext context, string hipId, PageKeys keys, Utf8DataPushEntry entry,
        CancellationToken ct)
    {
        var reference = entry.CareContextReference ?? "";
        var hasContent = entry.Content is { } inline && !IsWhiteSpace(inline.Span);
        if (!hasContent && string.IsNullOrWhiteSpace(entry.Link)) return new ReceivedEntry(reference, false, null, "The entry has no content.");
        if (entry.Media is not null && entry.Media != "application/fhir+json")
            return new ReceivedEntry(reference, false, null, $"Media {entry.Media} is not application/fhir+json.");
        string? json, error;
        if (hasContent)
        {
            (json, error) = DecryptAndCheck(keys, entry.Content!.Value.Span, entry.Checksum);
        }
        else
        {
            if (links is null) return new ReceivedEntry(reference, false, null, "Link entries are not fetched by this receiver.");
            using var fetched = await links.FetchAsync(entry.Link!, ct);
            if (fetched.Error is { } why) return new ReceivedEntry(reference, false, null, "The linked content could not be fetched: " + why);
            (json, error) = DecryptAndCheck(keys, fetched.Span, entry.Checksum);
        }

        if (json is null) return new ReceivedEntry(reference, false, null, error);
        var result = await validator.ValidateJsonAsync(json, ct);
        if (!result.IsValid)
            return new ReceivedEntry(reference, false, null, "The bundle is not a valid ABDM document: " + string.Join("; ", result.Errors.Take(3)));
        var bundle = FhirJson.ParseBundle(json);
        var hiType = bundle.Entry.Select(e => e.Resource).OfType<Composition>().Select(c => AbdmProfiles.ForCompositionType(c.Type)?.HiType)
            .FirstOrDefault() ?? "Unknown";
        await sink.AcceptAsync(new DecryptedHealthRecord(context.TransactionId, context.ConsentArtefactId, context.PatientId, hipId, reference, hiType,
            json, context.DataEraseAt), ct);
        return new ReceivedEntry(reference, true, hiType, null);
    }

    // The bundle's JSON text, or why not: the content does not decrypt, or its checksum does not match.
    private static (string? Json, string? Error) DecryptAndCheck(PageKeys keys, ReadOnlySpan<byte> contentBase64Utf8, string? checksum)
    {
        PooledPlaintext plaintext;
        try
        {
            plaintext = keys.Session.DecryptFromBase64Utf8ToPool(contentBase64Utf8);
        }
        catch (FideliusException)
        {
            return (null, "The content does not decrypt with this transaction's keys.");
        }

        using (plaintext)
        {
            if (!Checksums.Matches(checksum, plaintext.Span)) return (null, "The checksum does not match the content.");
            // The validator, the FHIR parser and the sink take the bundle as text: this is the one string of the entry.
            return (Encoding.UTF8.GetString(plaintext.Span), null);
        }
    }

    // string.IsNullOrWhiteSpace over UTF-8 (stops at the first other character, so base64 content costs nothing).
    private static bool IsWhiteSpace(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune)) return false;
            utf8 = utf8[consumed..];
        }

        return true;
    }

    /// <summary>
    /// The requester's session for one page, agreed on first use. An agreement that fails fails that entry (as a bad
    /// content would) and is tried again for the next, as one agreement per entry did.
    /// </summary>
    private sealed class PageKeys(FideliusKeyMaterial own, PeerKeyMaterial sender) : IDisposable
    {
        private FideliusSession? _session;

        public FideliusSession Session => _session ??= FideliusSession.ForRequester(own.Nonce, sender.Nonce, own.PrivateKey, sender.PublicKey);

        public void Dispose() => _session?.Dispose();
    }
}
