namespace Ndhm.Fidelius;

internal static class FideliusBase64
{
    /// <summary>
    /// Strict-enough base64: surrounding whitespace is trimmed (keys come from files and JSON), anything else that is
    /// not base64 is refused with the caller's code rather than a FormatException.
    /// </summary>
    public static byte[] Decode(string text, string what, string code)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new FideliusException(code, $"The {what} is not valid base64.", $"The {what} is not valid base64.");
        }
    }
}
