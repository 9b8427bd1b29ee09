using Hl7.Fhir.Specification.Source;

namespace Ndhm.Fhir.Validation;

/// <summary>
/// The FHIR R4 core definitions from the SDK's <c>specification.zip</c>, unpacked once into a cache directory of
/// their own. Unpacking happens under a file lock so that two processes starting together (a test run and the
/// CLI, two Functions workers) never read a half-written cache.
/// </summary>
internal static class CoreSpecification
{
    private const string AnyCoreCanonical = "http://hl7.org/fhir/StructureDefinition/Bundle";

    public static ZipSource Open(string zipPath, string cacheDirectory)
    {
        var source = new ZipSource(zipPath, cacheDirectory, new DirectorySourceSettings());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheDirectory))!);
        using (AcquireLock(cacheDirectory + ".lock"))
        {
            // The first resolution unpacks the archive (if the cache is missing or stale) and scans it.
            _ = source.ResolveByCanonicalUri(AnyCoreCanonical);
        }

        return source;
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1,
                    FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }
}
