using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Crypto.Certificates;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Client.Signer;

/// <summary>A holder the signer enrolled: its id there (SM3 of its public key) and its certificate from the city CA.</summary>
public sealed record EnrolledHolder(string HolderId, LedgerCertificate Certificate);

/// <summary>
/// A bureau operator's client of a city signer (<c>ledger.v1.SignerService</c>): enrols workers and employers and reads the
/// bureau's view of the audit log. Every call is signed with the operator's identity (<see cref="LedgerClientOptions.Identity"/>:
/// an Operator certificate from the signer's own city CA), which the signer requires for both; the audit log then names that
/// certificate as the one who enrolled the holder. Refusals are <see cref="LedgerClientException"/>s with the typed reason.
/// Holders' own calls (challenges, confirmations) need no operator: use <see cref="Raw"/>.
/// </summary>
public sealed class SignerClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;

    private readonly TimeProvider _clock;

    /// <param name="clock">the time calls and enrolment authorisations are dated with (the system clock unless a test gives one)</param>
    public SignerClient(CallInvoker callInvoker, CallerIdentity? operatorIdentity, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        _clock = clock ?? TimeProvider.System;
        Operator = operatorIdentity;
        Raw = new Rpc.SignerService.SignerServiceClient(operatorIdentity is { } identity ? callInvoker.Intercept(new CallSigningInterceptor(identity, _clock)) : callInvoker);
    }

    private SignerClient(GrpcChannel channel, CallerIdentity? operatorIdentity) : this(channel.CreateCallInvoker(), operatorIdentity) => _ownedChannel = channel;

    /// <summary>Who this client's calls are signed as (the operator), or null.</summary>
    public CallerIdentity? Operator { get; }

    /// <summary>The generated client, its calls signed as <see cref="Operator"/>.</summary>
    public Rpc.SignerService.SignerServiceClient Raw { get; }

    /// <summary>
    /// Connects to a signer, e.g. <c>https://127.0.0.1:7608</c>; TLS pinned to <see cref="LedgerClientOptions.TransportCa"/>
    /// when given, calls signed with <see cref="LedgerClientOptions.Identity"/> (the operator) when given.
    /// </summary>
    public static SignerClient Connect(string address, LedgerClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"'{address}' is not an http:// or https:// signer address");
        options ??= new LedgerClientOptions();
        var channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = uri.Scheme == Uri.UriSchemeHttps && options.TransportCa is { } ca ? ca.CreateHandler(options.ClientCertificate) : null,
            DisposeHttpClient = true,
        });
        return new SignerClient(channel, options.Identity);
    }

    /// <summary>
    /// Enrols a worker after the bureau's real-name check: the signer creates the key, this operator authorises exactly
    /// that key for this ID number (<see cref="EnrolmentAuthorisations"/>), and the city's CA process computes the stable
    /// pseudonym from the ID number (HMAC-SM3 under the province's key) and drops the number; the certificate names the
    /// pseudonym only. The PIN goes to the signer alone.
    /// </summary>
    public Task<EnrolledHolder> EnrolWorkerAsync(string pin, string idNumber, CancellationToken cancellationToken = default) =>
        EnrolAsync(new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Person, Pin = pin, IdNumber = idNumber }, EnrolmentAuthorisations.PersonSubject(idNumber), cancellationToken);

    /// <summary>Enrols an employer by its registered name and unified social credit code, as <see cref="EnrolWorkerAsync"/> does a worker.</summary>
    public Task<EnrolledHolder> EnrolEmployerAsync(string pin, string organisationName, string creditCode, CancellationToken cancellationToken = default) =>
        EnrolAsync(new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Organisation, Pin = pin, OrganisationName = organisationName, CreditCode = creditCode },
            EnrolmentAuthorisations.OrganisationSubject(creditCode, organisationName), cancellationToken);

    /// <summary>The bureau's view of the audit log from <paramref name="fromSequence"/> (this read is itself audited), with the chain and anchor check.</summary>
    public async Task<Rpc.ListAuditEventsResponse> ListBureauAuditAsync(ulong fromSequence = 0, uint limit = 0, CancellationToken cancellationToken = default)
    {
        var request = new Rpc.ListAuditEventsRequest { Bureau = new Rpc.BureauRequester(), FromSequence = fromSequence, Limit = limit };
        try
        {
            return await Raw.ListAuditEventsAsync(request, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrors.ToClientException(e);
        }
    }

    private async Task<EnrolledHolder> EnrolAsync(Rpc.EnrolRequest request, Hash32 subject, CancellationToken cancellationToken)
    {
        var identity = Operator ?? throw new LedgerException(ErrorCode.NotAuthorised, "enrolment is an operator's act: connect with the operator's identity");
        try
        {
            var pending = await Raw.BeginEnrolmentAsync(new Rpc.BeginEnrolmentRequest { Kind = request.Kind }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            request.Authorisation = EnrolmentAuthorisations.Sign(identity, request.Kind, subject, pending.HolderPublicKey.Span, pending.City, _clock.GetUtcNow());
            var response = await Raw.EnrolAsync(request, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            return new EnrolledHolder(response.HolderId, LedgerCertificate.FromDer(response.Certificate.ToByteArray()));
        }
        catch (RpcException e)
        {
            throw RpcErrors.ToClientException(e);
        }
    }

    public void Dispose() => _ownedChannel?.Dispose();
}
