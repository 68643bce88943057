using Google.Protobuf;
using Grpc.Core;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Access;
using Ledger.Signer.Audit;
using Ledger.Signer.Ca;
using Ledger.Signer.Intent;
using Ledger.Signer.Keys;
using Rpc = Ledger.Proto.V1;
using Statement = Ledger.Core.Transactions.ContractStatement;

namespace Ledger.Signer.Grpc;

/// <summary>
/// <c>ledger.v1.SignerService</c>: maps requests to <see cref="SignerService"/> and back. Refusals travel as
/// <see cref="LedgerException"/>s that <see cref="CallLimitsInterceptor"/> turns into typed statuses. Nothing secret
/// is ever put into a response: no PIN, no key, only public keys, certificates and signatures.
/// </summary>
public sealed class SignerGrpcService(SignerService service) : Rpc.SignerService.SignerServiceBase
{
    public override Task<Rpc.BeginEnrolmentResponse> BeginEnrolment(Rpc.BeginEnrolmentRequest request, ServerCallContext context)
    {
        var byOperator = Authorise(request, context, "enrolment");
        var pending = service.BeginEnrolment(ToKind(request.Kind), byOperator);
        return Task.FromResult(new Rpc.BeginEnrolmentResponse
        {
            HolderPublicKey = ByteString.CopyFrom(pending.PublicKey.ToBytes()),
            City = pending.City,
            ExpiresAt = pending.ExpiresAt.ToUnixTimeMilliseconds(),
        });
    }

    public override async Task<Rpc.EnrolResponse> Enrol(Rpc.EnrolRequest request, ServerCallContext context)
    {
        // First: a caller without an operator's authority learns nothing about what it asked for.
        var byOperator = Authorise(request, context, "enrolment");
        var kind = ToKind(request.Kind);
        if (request.Kind == Rpc.HolderKind.Person && !string.IsNullOrEmpty(request.IdNumber) && !WorkerPseudonym.IsValidIdNumber(request.IdNumber.Trim().ToUpperInvariant()))
            throw SignerErrors.BadField("id_number", ErrorCode.InvalidFieldValue, "an 18-character resident identity number with a valid check character");
        var authorisation = request.Authorisation is { } a
            ? new EnrolmentOrder(a.Authorisation.ToByteArray(), a.OperatorCertificate.ToByteArray(), a.Signature.ToByteArray(), null, null, null)
            : throw new LedgerException(ErrorCode.EnrolmentAuthorisationMissing, "an enrolment carries the operator's signed authorisation of it (BeginEnrolment, then sign)");
        // Off the request thread: the KDF of a production key file takes a while.
        var holder = (await Task.Run(() => service.EnrolAsync(kind, request.Pin, NullIfEmpty(request.IdNumber), NullIfEmpty(request.OrganisationName),
            NullIfEmpty(request.CreditCode), authorisation, context.Peer, byOperator, context.CancellationToken)).ConfigureAwait(false)).Holder;
        return new Rpc.EnrolResponse
        {
            HolderId = holder.Id,
            PublicKey = ByteString.CopyFrom(holder.Certificate.PublicKey.ToBytes()),
            Certificate = ByteString.CopyFrom(holder.Certificate.Der),
        };
    }

    private static HolderKind ToKind(Rpc.HolderKind kind) => kind switch
    {
        Rpc.HolderKind.Person => HolderKind.Person,
        Rpc.HolderKind.Organisation => HolderKind.Organisation,
        _ => throw SignerErrors.BadField("kind", ErrorCode.MissingField, "person or organisation"),
    };

    public override Task<Rpc.RequestSignatureResponse> RequestSignature(Rpc.RequestSignatureRequest request, ServerCallContext context)
    {
        var challenge = service.RequestSignature(request.HolderId, ToPayload(request.Payload), context.Peer);
        return Task.FromResult(new Rpc.RequestSignatureResponse
        {
            ChallengeId = ByteString.CopyFrom(challenge.Id),
            ExpiresAt = challenge.ExpiresAt.ToUnixTimeMilliseconds(),
            Statement = ToProto(challenge.Statement),
            StatementText = challenge.Text,
            StatementHash = ByteString.CopyFrom(challenge.StatementHash.ToArray()),
        });
    }

    public override Task<Rpc.ConfirmSignatureResponse> ConfirmSignature(Rpc.ConfirmSignatureRequest request, ServerCallContext context)
    {
        var payload = ToPayload(request.Payload);
        var challengeId = request.ChallengeId.ToByteArray();
        return Task.Run(() =>
        {
            var confirmation = service.ConfirmSignature(request.HolderId, challengeId, request.Pin, payload, context.Peer);
            return new Rpc.ConfirmSignatureResponse
            {
                Signature = ByteString.CopyFrom(confirmation.Signature),
                Certificate = ByteString.CopyFrom(confirmation.Certificate.Der),
                StatementHash = ByteString.CopyFrom(confirmation.StatementHash.ToArray()),
                AuditSequence = confirmation.AuditSequence,
            };
        });
    }

    public override Task<Rpc.VerifyResponse> Verify(Rpc.VerifyRequest request, ServerCallContext context)
    {
        var statement = ToStatement(request.Statement);
        var certificate = request.SignerCase switch
        {
            Rpc.VerifyRequest.SignerOneofCase.Certificate => LedgerCertificate.FromDer(request.Certificate.ToByteArray()),
            Rpc.VerifyRequest.SignerOneofCase.HolderId => service.GetHolder(request.HolderId).Certificate,
            _ => throw SignerErrors.BadField("signer", ErrorCode.MissingField, "a certificate or a holder id"),
        };
        var (result, issuedHere) = service.Verify(statement, request.Signature.Span, certificate);
        return Task.FromResult(new Rpc.VerifyResponse { Valid = result.IsValid, Reason = result.IsValid ? "" : result.Code.ToString(), IssuedHere = issuedHere });
    }

    public override Task<Rpc.GetCertificateResponse> GetCertificate(Rpc.GetCertificateRequest request, ServerCallContext context)
    {
        var holder = service.GetHolder(request.HolderId);
        return Task.FromResult(new Rpc.GetCertificateResponse
        {
            Certificate = ByteString.CopyFrom(holder.Certificate.Der),
            PublicKey = ByteString.CopyFrom(holder.Certificate.PublicKey.ToBytes()),
            IssuerCertificate = ByteString.CopyFrom(service.CaCertificate.Der),
        });
    }

    public override async Task<Rpc.ListAuditEventsResponse> ListAuditEvents(Rpc.ListAuditEventsRequest request, ServerCallContext context)
    {
        var limit = (int)Math.Min(request.Limit, int.MaxValue);
        var (records, check) = request.RequesterCase switch
        {
            Rpc.ListAuditEventsRequest.RequesterOneofCase.Holder =>
                await Task.Run(() => service.ListForHolder(request.Holder.HolderId, request.Holder.Pin, request.FromSequence, limit)).ConfigureAwait(false),
            Rpc.ListAuditEventsRequest.RequesterOneofCase.Bureau =>
                await service.ListForBureauAsync(Authorise(request, context, "the bureau's view of the audit log"), request.FromSequence, limit, context.Peer,
                    context.CancellationToken).ConfigureAwait(false),
            _ => throw SignerErrors.BadField("requester", ErrorCode.MissingField, "holder credentials, or bureau in a call signed by an operator"),
        };
        var response = new Rpc.ListAuditEventsResponse { Check = ToProto(check) };
        response.Events.AddRange(records.Select(ToProto));
        return response;
    }

    /// <summary>The operator who signed this call (over the request's bytes as received, re-encoded canonically as the node does).</summary>
    private Operator Authorise(IMessage request, ServerCallContext context, string what) =>
        service.AuthoriseOperator(context.Method, request.ToByteArray(), SignedCallCredentials.FromMetadata(context.RequestHeaders), what, context.Peer);

    public static Rpc.ContractStatement ToProto(Statement statement) => new()
    {
        ChainId = statement.ChainId,
        ContractId = statement.ContractId,
        Version = statement.Version,
        DocumentHash = ByteString.CopyFrom(statement.DocumentHash.ToArray()),
        Action = (Rpc.ContractAction)statement.Action,
        PayloadHash = ByteString.CopyFrom(statement.PayloadHash.ToArray()),
    };

    /// <summary>The wire form of a payload to sign, as the SDK or an integrator builds it.</summary>
    public static Rpc.PayloadToSign ToProto(PayloadToSign payload) => new()
    {
        ChainId = payload.ChainId,
        PayloadField = (uint)payload.Payload.PayloadField,
        Payload = ByteString.CopyFrom(payload.Payload.Encode()),
    };

    public static PayloadToSign ToPayload(Rpc.PayloadToSign? payload)
    {
        if (payload is null) throw SignerErrors.BadField("payload", ErrorCode.MissingField, "the payload to sign is missing");
        if (!ContractPayloads.IsContractPayload((int)Math.Min(payload.PayloadField, int.MaxValue)))
            throw SignerErrors.BadField("payload.payload_field", ErrorCode.UnknownPayload, "a labour-contract payload field (16..22, 25)");
        try
        {
            return PayloadToSign.Decode(payload.ChainId, (int)payload.PayloadField, payload.Payload.Span);
        }
        catch (LedgerException e)
        {
            throw SignerErrors.BadField("payload.payload", e.Code, e.Message);
        }
    }

    public static Statement ToStatement(Rpc.ContractStatement? statement)
    {
        if (statement is null) throw SignerErrors.BadField("statement", ErrorCode.MissingField, "the statement to sign is missing");
        if (statement.DocumentHash.Length != Hash32.Size)
            throw SignerErrors.BadField("statement.document_hash", ErrorCode.InvalidFieldValue, "an SM3 document hash is 32 bytes");
        if (statement.PayloadHash.Length != Hash32.Size)
            throw SignerErrors.BadField("statement.payload_hash", ErrorCode.InvalidFieldValue, "an SM3 payload hash is 32 bytes");
        var action = (Core.Transactions.ContractAction)(int)statement.Action;
        if (action == Core.Transactions.ContractAction.Unspecified || !Enum.IsDefined(action))
            throw SignerErrors.BadField("statement.action", ErrorCode.InvalidFieldValue, "a known contract action");
        return new Statement(statement.ChainId, statement.ContractId, statement.Version, new Hash32(statement.DocumentHash.Span), action, new Hash32(statement.PayloadHash.Span));
    }

    private static Rpc.AuditEvent ToProto(AuditRecord r) => new()
    {
        Sequence = r.Sequence,
        Time = r.Time,
        HolderKeyId = r.HolderKeyId is { } h ? ByteString.CopyFrom(h.ToArray()) : ByteString.Empty,
        Kind = r.Kind.ToString(),
        StatementHash = r.StatementHash is { } s ? ByteString.CopyFrom(s.ToArray()) : ByteString.Empty,
        ChallengeId = ByteString.CopyFrom(r.ChallengeId),
        Client = r.Client,
        Code = r.Code.ToString(),
        PrevHash = ByteString.CopyFrom(r.Prev.ToArray()),
        Hash = ByteString.CopyFrom(r.Hash.ToArray()),
        OperatorCertificateId = r.OperatorCertificateId is { } o ? ByteString.CopyFrom(o.ToArray()) : ByteString.Empty,
        OperatorSubject = r.OperatorSubject ?? "",
    };

    private static Rpc.AuditChainCheck ToProto(AuditChainCheck c) => new()
    {
        Intact = c.Intact,
        HeadSequence = c.HeadSequence,
        HeadHash = ByteString.CopyFrom(c.HeadHash.ToArray()),
        FirstBadSequence = c.FirstBadSequence,
        Reason = c.Reason,
        Anchored = c.Anchored,
        AnchoredSequence = c.AnchoredSequence,
        AnchoredHash = c.AnchoredHash is { } a ? ByteString.CopyFrom(a.ToArray()) : ByteString.Empty,
        AnchorTxId = c.AnchorTxId is { } t ? ByteString.CopyFrom(t.ToArray()) : ByteString.Empty,
        AnchorMatches = c.AnchorMatches,
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
