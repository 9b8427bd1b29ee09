using System.Security.Cryptography;
using Ndhm.Privacy;

namespace Ndhm.UnitTests.Privacy;

public sealed class StreamCipherTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DataKeyScope Asha = DataKeyScope.Patient("91-1111-2222-3333");

    private static async Task<byte[]> EncryptAsync(PrivacyRig rig, byte[] plain, string objectId = "bundle-1", int chunkSize = 1024)
    {
        using var output = new MemoryStream();
        await rig.Streams.EncryptAsync(Asha, objectId, new MemoryStream(plain), output, None, chunkSize);
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(PrivacyRig rig, byte[] sealedBytes, string objectId = "bundle-1")
    {
        using var output = new MemoryStream();
        await rig.Streams.DecryptAsync(Asha, objectId, new MemoryStream(sealedBytes), output, None);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(10 * 1024 + 17)]
    public async Task GivenAPayload_WhenEncryptedInChunksAndDecrypted_ThenItRoundTrips(int size)
    {
        var rig = new PrivacyRig();
        var plain = RandomNumberGenerator.GetBytes(size);

        var sealedBytes = await EncryptAsync(rig, plain);

        Assert.Equal(plain, await DecryptAsync(rig, sealedBytes));
    }

    [Fact]
    public async Task GivenAnEncryptedStream_WhenReadForAnotherObject_ThenItFailsIntegrity()
    {
        var rig = new PrivacyRig();
        var sealedBytes = await EncryptAsync(rig, RandomNumberGenerator.GetBytes(3000));

        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => DecryptAsync(rig, sealedBytes, "bundle-2"));
    }

    [Fact]
    public async Task GivenAnEncryptedStream_WhenTheLastChunkIsCutOff_ThenItFailsRatherThanReturningAPrefix()
    {
        var rig = new PrivacyRig();
        var sealedBytes = await EncryptAsync(rig, RandomNumberGenerator.GetBytes(2048));
        // 2048 bytes in 1024-byte chunks: two full chunks, the second final. Drop the second (5 + 1024 + 16 bytes).
        var truncated = sealedBytes[..^(5 + 1024 + 16)];

        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => DecryptAsync(rig, truncated));
    }

    [Fact]
    public async Task GivenAnEncryptedStream_WhenAByteIsFlipped_ThenItFailsIntegrity()
    {
        var rig = new PrivacyRig();
        var sealedBytes = await EncryptAsync(rig, RandomNumberGenerator.GetBytes(3000));
        sealedBytes[^20] ^= 0x80;

        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => DecryptAsync(rig, sealedBytes));
    }
}
