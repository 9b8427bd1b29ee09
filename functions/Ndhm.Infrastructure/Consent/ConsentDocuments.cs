namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// A consent request in the <c>consents</c> container: id = pk = <c>consent-request:&lt;id&gt;</c>. What queries need is
/// plaintext (status, due time, HIU partner, HIP facility ids, artefact ids, purpose code, the patient's keyed hash);
/// the record itself (patient ABHA address, requester, care contexts, artefacts and their signatures, which embed
/// them) is one <c>enc:v1</c> field under the patient's data key. <c>subject</c> (the ABHA number) names that key, as
/// Health ID's own documents do.
/// </summary>
internal sealed record ConsentRequestDocument(
    string Id,
    string Pk,
    string DocType,
    string ConsentRequestId,
    string HiuPartnerId,
    string Subject,
    string PatientKey,
    string Status,
    string PurposeCode,
    bool Emergency,
    IReadOnlyList<string> HipIds,
    IReadOnlyList<string> ArtefactIds,
    long CreatedAt,
    long? DueAt,
    long? UnnotifiedSince,
    string Record)
{
    public const string Type = "consentRequest";
    public const string RecordField = "record";

    public static string IdOf(string consentRequestId) => "consent-request:" + consentRequestId;
}

/// <summary>Lookup of an artefact's consent request: id = pk = <c>consent-artefact:&lt;artefactId&gt;</c>.</summary>
internal sealed record ConsentArtefactRefDocument(string Id, string Pk, string DocType, string ConsentRequestId)
{
    public const string Type = "consentArtefactRef";

    public static string IdOf(string artefactId) => "consent-artefact:" + artefactId;
}

/// <summary>
/// One notification sent to one partner (id = pk = <c>consent-notice:&lt;notificationId&gt;</c>): whether its
/// <c>on-notify</c> came, and how often it was sent again. No personal data: the body is rebuilt from the record.
/// </summary>
/// <param name="Target"><c>hiu</c>, or <c>hip:&lt;artefactId&gt;</c>.</param>
internal sealed record ConsentNoticeDocument(
    string Id,
    string Pk,
    string DocType,
    string NotificationId,
    string PartnerId,
    string ConsentRequestId,
    int Seq,
    string Target,
    bool Acknowledged,
    int Resends,
    long LastSentAt,
    long? AcknowledgedAt)
{
    public const string Type = "consentNotice";

    public static string IdOf(string notificationId) => "consent-notice:" + notificationId;
}
