namespace Ndhm.Cli.Commands;

public static class FhirCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("ndhm fhir: not available yet");
        return 2;
    }
}
