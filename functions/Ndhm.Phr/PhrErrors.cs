using Ndhm.Core.Errors;

namespace Ndhm.Phr;

/// <summary>The stable problem codes of the patient's health record.</summary>
public static class PhrErrors
{
    public const string RecordNotFound = "HEALTH_RECORD_NOT_FOUND";
    public const string NoAttachment = "HEALTH_RECORD_NO_ATTACHMENT";
    public const string UnsupportedDocument = "UNSUPPORTED_DOCUMENT_TYPE";
    public const string DocumentTypeMismatch = "DOCUMENT_TYPE_MISMATCH";
    public const string DocumentRefused = "DOCUMENT_REFUSED";
    public const string DocumentTooLarge = "DOCUMENT_TOO_LARGE";
    public const string EmptyDocument = "DOCUMENT_EMPTY";
    public const string NotDeletable = "HEALTH_RECORD_NOT_DELETABLE";
    public const string InvalidFilter = "INVALID_TIMELINE_FILTER";
    public const string InvalidContinuation = "INVALID_CONTINUATION_TOKEN";
    public const string InvalidRecord = "INVALID_HEALTH_RECORD";

    /// <summary>Another patient's record answers exactly like one that does not exist (no oracle for ids).</summary>
    public static DomainException NotFound() =>
        new(ErrorKind.NotFound, RecordNotFound, "No such health record.", "The record does not exist or is not yours.");

    public static DomainException Unsupported(string? declared) =>
        new(ErrorKind.UnsupportedMediaType, UnsupportedDocument, "This kind of document cannot be uploaded.",
            $"Upload a PDF, JPEG or PNG (Content-Type application/pdf, image/jpeg or image/png){(declared is null ? "" : $"; got '{Short(declared)}'")}.");

    public static DomainException Mismatch(string declared, string sniffed) =>
        new(ErrorKind.UnsupportedMediaType, DocumentTypeMismatch, "The document is not what its Content-Type says.",
            $"Declared {Short(declared)}, but its content is {sniffed}.");

    public static DomainException Refused(string reason) =>
        new(ErrorKind.Validation, DocumentRefused, "The document was refused as potentially harmful.", reason);

    public static DomainException TooLarge(long max) =>
        new(ErrorKind.PayloadTooLarge, DocumentTooLarge, "The document is too large.", $"At most {max} bytes are accepted.");

    public static DomainException Empty() => new(ErrorKind.Validation, EmptyDocument, "The document is empty.");

    public static DomainException Invalid(string code, string detail) => new(ErrorKind.Validation, code, "The request is invalid.", detail);

    private static string Short(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
