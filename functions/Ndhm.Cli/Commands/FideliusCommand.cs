namespace Ndhm.Cli.Commands;

public static class FideliusCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("ndhm fidelius: not available yet");
        return 2;
    }
}
