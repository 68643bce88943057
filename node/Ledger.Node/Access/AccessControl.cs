using Ledger.Chain;
using Ledger.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Node.Access;

/// <summary>The node's access control in DI: what <see cref="AuthenticationInterceptor"/> and the gRPC services resolve.</summary>
public static class AccessControl
{
    public static void Register(IServiceCollection services, ILedgerApi api, CallAuthenticator authenticator, Func<Hash32, bool> isValidator, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(authenticator);
        services.AddSingleton(new ReadPolicy(api, isValidator, time));
        services.AddSingleton(new AccessRecordGate(api, time));
    }
}
