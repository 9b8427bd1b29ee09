using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Ndhm.Fidelius;

/// <summary>
/// Base64 between bytes and UTF-16 text at the speed of the vectorized UTF-8 codecs (<see cref="Base64"/>): the
/// BCL's char-based <c>Convert</c> methods run several times slower on megabyte payloads. Base64 is ASCII, so the
/// UTF-8 form is widened to (or narrowed from) chars in one vectorized pass through a pooled staging buffer.
/// Output is identical to <see cref="Convert.ToBase64String(byte[])"/>; input that the fast decoder refuses is
/// handed to <see cref="Convert.TryFromBase64Chars"/>, so exactly the same texts are accepted.
/// </summary>
internal static class Base64Text
{
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var length = Base64.GetMaxEncodedToUtf8Length(data.Length);
        var staging = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            Base64.EncodeToUtf8(data, staging, out _, out var written);
            return Encoding.ASCII.GetString(staging, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    /// <summary>Writes base64 into <paramref name="destination"/> (large enough); returns chars written.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<char> destination)
    {
        var length = Base64.GetMaxEncodedToUtf8Length(data.Length);
        var staging = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            Base64.EncodeToUtf8(data, staging, out _, out var written);
            return Encoding.ASCII.GetChars(staging.AsSpan(0, written), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    public static bool TryDecode(ReadOnlySpan<char> base64, Span<byte> destination, out int written)
    {
        var staging = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64.Length));
        try
        {
            // Narrowing maps anything outside ASCII to '?', which no base64 decoder accepts.
            var ascii = Encoding.ASCII.GetBytes(base64, staging);
            if (Base64.DecodeFromUtf8(staging.AsSpan(0, ascii), destination, out _, out written) == OperationStatus.Done)
            {
                return true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }

        // Whatever the fast decoder refuses (e.g. embedded line breaks), the BCL decides, as before.
        return Convert.TryFromBase64Chars(base64, destination, out written);
    }

    /// <summary>
    /// Decodes base64 given as UTF-8 bytes (as it sits in a received JSON body), accepting exactly the texts
    /// <see cref="TryDecode"/> accepts for the same characters: the vectorized decoder first, and whatever it refuses
    /// goes through the char path (trim, then the BCL), so the two never disagree.
    /// </summary>
    public static bool TryDecodeUtf8(ReadOnlySpan<byte> base64Utf8, Span<byte> destination, out int written)
    {
        if (Base64.DecodeFromUtf8(base64Utf8, destination, out _, out written) == OperationStatus.Done)
        {
            return true;
        }

        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxCharCount(base64Utf8.Length)));
        try
        {
            var length = Encoding.UTF8.GetChars(base64Utf8, chars);
            return TryDecode(chars.AsSpan(0, length).Trim(), destination, out written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
