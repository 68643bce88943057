using System.Globalization;
using System.Runtime.InteropServices;

namespace Ledger.Cli.Commands;

/// <summary>
/// A service that <c>ledger devnet</c> started stops when the devnet process is gone, even when it was SIGKILLed and had
/// no chance to stop its children: the devnet names itself in <see cref="Variable"/>, and the child polls its parent
/// process id (a dead parent's children are re-parented, so the id changes).
/// </summary>
internal static class ParentWatch
{
    public const string Variable = "LEDGER_DEVNET_PID";

    /// <summary>Cancels <paramref name="stop"/> once the parent named in the environment is gone; a no-op when not set.</summary>
    public static IDisposable? CancelWhenParentExits(CancellationTokenSource stop)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var parent)) return null;
        return new Timer(_ =>
        {
            try
            {
                if (GetParentProcessId() != parent) stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The command has stopped already.
            }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();
}
