namespace Ndhm.Phr;

/// <summary>Settings <c>Phr__*</c> of the patient's health record.</summary>
public sealed class PhrOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary><c>Phr__MaxUploadBytes</c>: the largest document a patient may upload (default 10 MiB; also the largest pulled bundle).</summary>
    public long MaxUploadBytes { get; set; } = 10 * MiB;

    /// <summary>
    /// <c>Phr__InlinePayloadBytes</c>: payloads up to this size are stored (encrypted) in the record's Cosmos document;
    /// larger ones stream to Blob storage, encrypted (default 256 KiB, well below Cosmos's 2 MB item limit).
    /// </summary>
    public int InlinePayloadBytes { get; set; } = 256 * 1024;

    /// <summary>Timeline pages hold at most this many records (default 50; a caller asks for fewer with <c>pageSize</c>).</summary>
    public int MaxPageSize { get; set; } = 50;

    /// <summary>The erasure timer removes at most this many expired records per run (the next run continues).</summary>
    public int EraseBatch { get; set; } = 100;
}
