using BenchmarkDotNet.Attributes;
using Ndhm.Fidelius;

namespace Ndhm.Benchmarks.Fidelius;

/// <summary>Per-transfer key costs: agreements per second is 1 / Mean of <see cref="KeyAgreement"/>.</summary>
[MemoryDiagnoser]
public class FideliusKeyBenchmarks
{
    private FideliusKeyMaterial _own = null!;
    private FideliusKeyMaterial _peer = null!;
    private string _peerX509 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _own = FideliusKeyMaterial.Generate(TimeProvider.System);
        _peer = FideliusKeyMaterial.Generate(TimeProvider.System);
        _peerX509 = _peer.PublicKey.ToX509Base64();
    }

    /// <summary>ECDH on curve25519 + HKDF-SHA256 + AES-GCM key setup: one <see cref="FideliusSession"/>.</summary>
    [Benchmark(Baseline = true)]
    public void KeyAgreement()
    {
        using var session = FideliusSession.ForSender(_own.Nonce, _peer.Nonce, _own.PrivateKey, _peer.PublicKey);
    }

    [Benchmark]
    public FideliusKeyMaterial GenerateKeyMaterial() => FideliusKeyMaterial.Generate(TimeProvider.System);

    [Benchmark]
    public FideliusPublicKey ParseX509PublicKey() => FideliusPublicKey.Parse(_peerX509);
}
