using Google.Protobuf;
using Grpc.Core;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Signer.Ca;

/// <summary><c>ledger.v1.CaService</c>: maps an <c>IssueRequest</c> to <see cref="EnrolmentCa.Issue"/>; refusals become typed statuses in <see cref="CaCallInterceptor"/>.</summary>
public sealed class CaGrpcService(EnrolmentCa ca) : Rpc.CaService.CaServiceBase
{
    public override Task<Rpc.IssueResponse> Issue(Rpc.IssueRequest request, ServerCallContext context)
    {
        var authorisation = request.Authorisation ?? new Rpc.SignedEnrolmentAuthorisation();
        var certificate = ca.Issue(ToOrder(request, authorisation));
        return Task.FromResult(new Rpc.IssueResponse { Certificate = ByteString.CopyFrom(certificate.Der) });
    }

    public static EnrolmentOrder ToOrder(Rpc.IssueRequest request, Rpc.SignedEnrolmentAuthorisation authorisation) => new(
        authorisation.Authorisation.ToByteArray(), authorisation.OperatorCertificate.ToByteArray(), authorisation.Signature.ToByteArray(),
        NullIfEmpty(request.IdNumber), NullIfEmpty(request.OrganisationName), NullIfEmpty(request.CreditCode));

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
