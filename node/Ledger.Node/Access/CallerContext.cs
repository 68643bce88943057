using Grpc.Core;

namespace Ledger.Node.Access;

/// <summary>Where <see cref="AuthenticationInterceptor"/> leaves the caller of a call for the service to read.</summary>
public static class CallerContext
{
    private const string Key = "ledger.caller";

    /// <summary>The authenticated caller, or null for an anonymous call.</summary>
    public static Caller? Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(Key, out var value) ? value as Caller : null;
    }

    public static void Set(ServerCallContext context, Caller? caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (caller is null) context.UserState.Remove(Key);
        else context.UserState[Key] = caller;
    }
}
