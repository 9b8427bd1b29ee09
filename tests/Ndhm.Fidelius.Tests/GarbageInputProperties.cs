using FsCheck;
using FsCheck.Xunit;

namespace Ndhm.Fidelius.Tests;

/// <summary>Whatever bytes arrive, parsing ends in a key or a FideliusException, never another exception.</summary>
public sealed class GarbageInputProperties
{
    private static bool OnlyFideliusErrors(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (FideliusException)
        {
            return true;
        }
    }

    [Property(MaxTest = 300)]
    public bool GivenAnyBytes_WhenParsedAsAPublicKey_ThenOnlyFideliusErrorsOccur(byte[] bytes, bool asDer)
    {
        if (asDer && bytes.Length > 0)
        {
            bytes[0] = 0x30; // push the input into the X.509 parser
        }

        return OnlyFideliusErrors(() => FideliusPublicKey.FromBytes(bytes));
    }

    [Property(MaxTest = 200)]
    public bool GivenTheX509KeyWithOneByteChanged_WhenParsed_ThenOnlyFideliusErrorsOccur(NonNegativeInt index, byte value)
    {
        var der = Convert.FromBase64String(PublishedVectorTests.SenderX509PublicKey);
        der[index.Get % der.Length] = value;

        return OnlyFideliusErrors(() => FideliusPublicKey.FromBytes(der));
    }

    [Property(MaxTest = 200)]
    public bool GivenAnyBytes_WhenParsedAsAPrivateKeyOrNonce_ThenOnlyFideliusErrorsOccur(byte[] bytes) =>
        OnlyFideliusErrors(() => FideliusPrivateKey.FromBytes(bytes)) && OnlyFideliusErrors(() => FideliusNonce.FromBytes(bytes));

    [Property(MaxTest = 100)]
    public bool GivenAnyString_WhenDecrypted_ThenOnlyFideliusErrorsOccur(string text) =>
        OnlyFideliusErrors(() => FideliusCipher.DecryptToString(text ?? "",
            FideliusNonce.Parse(PublishedVectorTests.RequesterNonce), FideliusNonce.Parse(PublishedVectorTests.SenderNonce),
            FideliusPrivateKey.Parse(PublishedVectorTests.RequesterPrivateKey),
            FideliusPublicKey.Parse(PublishedVectorTests.SenderPublicKey)));
}
