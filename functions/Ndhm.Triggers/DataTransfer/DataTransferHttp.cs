using Ndhm.DataTransfer;

namespace Ndhm.Triggers.DataTransfer;

internal static class DataTransferHttp
{
    public const string Tag = "Health information exchange";
    public const string AbdmTag = "ABDM health information";

    /// <summary>A transaction id field of an ABDM body: a UUID, else 400 naming the field.</summary>
    public static string TransactionId(string? value, string field) =>
        Guid.TryParse(value, out var id) ? id.ToString() : throw DataTransferErrors.Invalid($"{field} must be the transaction's id (a UUID).", field);
}
