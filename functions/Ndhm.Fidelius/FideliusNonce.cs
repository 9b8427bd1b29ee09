using System.Security.Cryptography;

namespace Ndhm.Fidelius;

/// <summary>A 32-byte Fidelius nonce. Each side sends one; their XOR gives the HKDF salt and the AES-GCM IV.</summary>
public sealed class FideliusNonce : IEquatable<FideliusNonce>
{
    public const int Length = 32;

    private readonly byte[] _bytes;

    private FideliusNonce(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Span => _bytes;

    public static FideliusNonce Generate() => new(RandomNumberGenerator.GetBytes(Length));

    public static FideliusNonce Parse(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return FromBytes(FideliusBase64.Decode(base64, "nonce", FideliusErrorCodes.InvalidNonce));
    }

    public static FideliusNonce FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw FideliusException.InvalidNonce($"A nonce has {Length} bytes, not {bytes.Length}.");
        }

        return new FideliusNonce(bytes.ToArray());
    }

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public string ToBase64() => Convert.ToBase64String(_bytes);

    public bool Equals(FideliusNonce? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as FideliusNonce);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public override string ToString() => ToBase64();
}
