using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Core;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Signer.Ca;

/// <summary>
/// The signer's link to its city's CA process: <c>ledger.v1.CaService</c> over mutual TLS — the CA's certificate pinned to
/// the transport CA, the signer's own TLS certificate presented as the client's. A refusal comes back as a
/// <see cref="LedgerException"/> with the CA's typed code (the signer answers the operator with it); an unreachable CA is
/// <see cref="ErrorCode.CaUnavailable"/>.
/// </summary>
public sealed class EnrolmentCaClient : IEnrolmentCa, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly GrpcChannel _channel;
    private readonly Rpc.CaService.CaServiceClient _client;

    public EnrolmentCaClient(string address, TransportTrust? transportCa, X509Certificate2? clientCertificate)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"caUrl '{address}' is not an http:// or https:// address");
        if (uri.Scheme == Uri.UriSchemeHttps && (transportCa is null || clientCertificate is null))
            throw new LedgerException(ErrorCode.MissingField, "the CA process is reached over mutual TLS: the signer needs transportCa, tlsCertificate and tlsKey");
        _channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = uri.Scheme == Uri.UriSchemeHttps ? transportCa!.CreateHandler(clientCertificate) : null,
            DisposeHttpClient = true,
        });
        _client = new Rpc.CaService.CaServiceClient(_channel);
    }

    public async Task<LedgerCertificate> IssueAsync(EnrolmentOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var request = new Rpc.IssueRequest
        {
            Authorisation = new Rpc.SignedEnrolmentAuthorisation
            {
                Authorisation = ByteString.CopyFrom(order.Authorisation),
                OperatorCertificate = ByteString.CopyFrom(order.OperatorCertificate),
                Signature = ByteString.CopyFrom(order.Signature),
            },
            IdNumber = order.IdNumber ?? "",
            OrganisationName = order.OrganisationName ?? "",
            CreditCode = order.CreditCode ?? "",
        };
        try
        {
            var response = await _client.IssueAsync(request, deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            return LedgerCertificate.FromDer(response.Certificate.ToByteArray());
        }
        catch (RpcException e)
        {
            if (LedgerErrorDetails.CodeOf(e) is { } code && code != ErrorCode.Ok)
                throw new LedgerException(code, $"the CA process refused: {e.Status.Detail}");
            throw new LedgerException(ErrorCode.CaUnavailable, $"the CA process could not be reached ({e.StatusCode}): {e.Status.Detail}");
        }
    }

    public void Dispose() => _channel.Dispose();
}
