namespace Ndhm.IntegrationTests.Support;

public static class RepositoryRoot
{
    /// <summary>The folder holding NdhmFunctions.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NdhmFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"NdhmFunctions.sln not found above {AppContext.BaseDirectory}.");
    }
}
