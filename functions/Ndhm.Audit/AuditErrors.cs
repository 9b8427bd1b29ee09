using Ndhm.Core.Errors;

namespace Ndhm.Audit;

public static class AuditErrors
{
    public const string InvalidChain = "INVALID_AUDIT_CHAIN";
    public const string NoSuchChain = "AUDIT_CHAIN_NOT_FOUND";
    public const string InvalidPage = "INVALID_AUDIT_PAGE";

    /// <summary>Appends kept losing the race for the chain's next sequence number; the audited operation fails.</summary>
    public const string Contended = "AUDIT_CHAIN_CONTENDED";

    public static DomainException ChainNotFound() =>
        new(ErrorKind.NotFound, NoSuchChain, "The audit chain does not exist.");

    public static DomainException InvalidPageRequest(string detail) =>
        new(ErrorKind.Validation, InvalidPage, "The page request is not valid.", detail);
}
