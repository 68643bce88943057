using Ledger.Core;

namespace Ledger.Signer.Tests;

internal static class Refusals
{
    /// <summary>The <see cref="LedgerException"/> (or subclass) the action throws; the test fails if it throws nothing or something else.</summary>
    public static LedgerException Of(Action action)
    {
        try
        {
            action();
        }
        catch (LedgerException e)
        {
            return e;
        }
        Assert.Fail("expected a LedgerException, nothing was thrown");
        throw new InvalidOperationException();
    }
}
