namespace Ledger.Node.Cli;

public static class CommandLine
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("ledger: no command yet");
        return 2;
    }
}
