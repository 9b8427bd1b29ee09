using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ndhm.Fidelius;

namespace Ndhm.Benchmarks.Fidelius;

/// <summary>
/// Fidelius encryption and decryption (key agreement + HKDF + AES-256-GCM, everything one transfer pays) next to raw
/// AES-256-GCM on the same bytes with a ready key: the ratio is the whole Fidelius overhead.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class FideliusCipherBenchmarks
{
    private FideliusKeyMaterial _sender = null!;
    private FideliusKeyMaterial _requester = null!;
    private byte[] _plaintext = null!;
    private byte[] _ciphertext = null!;
    private byte[] _output = null!;
    private char[] _base64 = null!;
    private AesGcm _aes = null!;
    private byte[] _iv = null!;
    private byte[] _rawCiphertext = null!;

    [Params(10 * 1024, 1024 * 1024, 10 * 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sender = FideliusKeyMaterial.Generate(TimeProvider.System);
        _requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _ciphertext = FideliusCipher.Encrypt(_plaintext, _sender.Nonce, _requester.Nonce, _sender.PrivateKey,
            _requester.PublicKey);
        _output = new byte[_ciphertext.Length];
        _base64 = new char[FideliusCipher.GetBase64Length(Size)];
        _aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
        _iv = RandomNumberGenerator.GetBytes(12);
    }

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encrypt")]
    public void RawAesGcmEncrypt() =>
        _aes.Encrypt(_iv, _plaintext, _output.AsSpan(0, Size), _output.AsSpan(Size, 16));

    [Benchmark]
    [BenchmarkCategory("Encrypt")]
    public int FideliusEncrypt() => FideliusCipher.Encrypt(_plaintext, _output, _sender.Nonce, _requester.Nonce,
        _sender.PrivateKey, _requester.PublicKey);

    [Benchmark]
    [BenchmarkCategory("Encrypt")]
    public int FideliusEncryptToBase64Chars() => FideliusCipher.EncryptToBase64(_plaintext, _base64, _sender.Nonce,
        _requester.Nonce, _sender.PrivateKey, _requester.PublicKey);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decrypt")]
    public void RawAesGcmDecrypt()
    {
        // Raw AES needs its own valid ciphertext for the same bytes, made once in SetupRawDecrypt.
        _aes.Decrypt(_iv, _rawCiphertext.AsSpan(0, Size), _rawCiphertext.AsSpan(Size, 16), _output.AsSpan(0, Size));
    }

    [Benchmark]
    [BenchmarkCategory("Decrypt")]
    public int FideliusDecrypt() => FideliusCipher.Decrypt(_ciphertext, _output, _requester.Nonce, _sender.Nonce,
        _requester.PrivateKey, _sender.PublicKey);

    [GlobalSetup(Target = nameof(RawAesGcmDecrypt))]
    public void SetupRawDecrypt()
    {
        Setup();
        _rawCiphertext = new byte[Size + 16];
        _aes.Encrypt(_iv, _plaintext, _rawCiphertext.AsSpan(0, Size), _rawCiphertext.AsSpan(Size, 16));
    }
}
