using Hl7.Fhir.Specification.Source;
using Ndhm.Core.Errors;

namespace Ndhm.Fhir.Validation;

/// <summary>
/// The FHIR R4 core definitions from the SDK's <c>specification.zip</c>, unpacked once into a cache directory of
/// their own. Unpacking happens under a file lock so that two processes starting together (a test run and the
/// CLI, two Functions workers) never read a half-written cache.
/// </summary>
internal static class CoreSpecification
{
    private const string AnyCoreCanonical = "http://hl7.org/fhir/StructureDefinition/Bundle";

    /// <summary>The <c>specification.zip</c> beside the application (package Hl7.Fhir.Specification.Data.R4).</summary>
    public static string DefaultZipPath => Path.Combine(AppContext.BaseDirectory, "specification.zip");

    /// <summary>A folder under the temp path named for the zip's size and date, so a newer SDK never reads an older cache.</summary>
    public static string DefaultCacheDirectory(string zipPath)
    {
        var zip = new FileInfo(zipPath);
        if (!zip.Exists)
        {
            return Path.Combine(Path.GetTempPath(), "ndhm-fhir", "specification-r4-missing"); // Open will say so
        }

        return Path.Combine(Path.GetTempPath(), "ndhm-fhir",
            $"specification-r4-{zip.Length}-{zip.LastWriteTimeUtc:yyyyMMddHHmmss}");
    }

    public static ZipSource Open(string zipPath, string cacheDirectory)
    {
        if (!File.Exists(zipPath))
        {
            throw new DomainException(ErrorKind.DependencyUnavailable, ErrorCodes.DependencyUnavailable,
                "FHIR core definitions are missing",
                "specification.zip (package Hl7.Fhir.Specification.Data.R4) was not found beside the application");
        }

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
