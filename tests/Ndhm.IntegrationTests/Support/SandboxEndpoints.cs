namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// Where the sandbox's emulators listen. The test script starts them (local-emulators/test.sh) and may move
/// them with these variables; the defaults are the sandbox's own ports. Tests that need their own, killable
/// emulator instance start one on a free port instead (see the *Process helpers).
/// </summary>
public static class SandboxEndpoints
{
    public static string StorageConnectionString =>
        Environment.GetEnvironmentVariable("NDHM_STORAGE_CONNECTION")
        ?? "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
           "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
           "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
           "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    public static string CosmosEndpoint => Environment.GetEnvironmentVariable("NDHM_COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/";

    public static string KeyVaultUri => Environment.GetEnvironmentVariable("NDHM_KEYVAULT_URI") ?? "http://127.0.0.1:8443/";

    /// <summary>The repository root: the folder holding NdhmFunctions.sln.</summary>
    public static string RepoRoot { get; } = RepositoryRoot.Find();
}
