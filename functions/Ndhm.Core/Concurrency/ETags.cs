namespace Ndhm.Core.Concurrency;

/// <summary>Compares a stored ETag with an HTTP If-Match value (quoted or not; <c>*</c> matches any).</summary>
public static class ETags
{
    public static bool Match(string current, string ifMatch)
    {
        var wanted = ifMatch.Trim();
        return wanted == "*" || Bare(current) == Bare(wanted);
    }

    /// <summary>The entity tag as an HTTP header value: one quoted string.</summary>
    public static string Quoted(string etag) => "\"" + Bare(etag) + "\"";

    private static string Bare(string etag)
    {
        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return value.Trim('"');
    }
}
