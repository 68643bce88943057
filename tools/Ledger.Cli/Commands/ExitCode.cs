namespace Ledger.Cli.Commands;

/// <summary>The exit codes of ARCHITECTURE §2.</summary>
public static class ExitCode
{
    public const int Ok = 0;
    public const int Negative = 1;
    public const int BadInput = 2;
}
