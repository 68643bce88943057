using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Core;
using Ledger.Signer.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ledger.Signer.Ca;

/// <summary>
/// Every call to the CA process passes here: over TLS the caller's client certificate (already chained to the transport
/// CA in the handshake) must name one of the allowed signers (<see cref="CaConfig.AllowedClients"/>), else
/// PERMISSION_DENIED <see cref="ErrorCode.CaCallerNotAllowed"/>; a <see cref="LedgerException"/> becomes its typed status.
/// Each refusal is logged with the caller's address and code (never the request's content).
/// </summary>
public sealed class CaCallInterceptor(IReadOnlySet<string>? allowedClients, ILogger<CaCallInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            if (allowedClients is not null)
            {
                var certificate = context.GetHttpContext().Connection.ClientCertificate;
                var name = certificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
                if (name is null || !allowedClients.Contains(name))
                    throw new LedgerException(ErrorCode.CaCallerNotAllowed,
                        $"the CA process serves {string.Join(", ", allowedClients.Order(StringComparer.Ordinal))}; the caller's TLS certificate names {name ?? "nobody"}");
            }
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (LedgerException e)
        {
            logger.LogWarning("refused {Method} from {Client}: {Code}", context.Method, context.Peer, e.Code);
            throw SignerErrors.Refused(e);
        }
    }
}
