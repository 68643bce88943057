using System.Text;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.TestKit.Builders;

/// <summary>
/// Lawful labour-contract payloads and signed envelopes for them, made directly with Ledger.Core and Ledger.Crypto
/// (not with the SDK, so SDK tests have an independent reference).
/// </summary>
public static class TestContracts
{
    public static Hash32 Document(string contractId, int version) => Sm3.Hash(Encoding.UTF8.GetBytes($"contract document {contractId} v{version}"));


    /// <summary>Fixed term 2024-07-01 to 2027-06-30 in Tianhe, software industry.</summary>
    public static ContractTerms Terms() => new()
    {
        Type = ContractType.FixedTerm,
        Start = ContractDate.Create(2024, 7, 1),
        End = ContractDate.Create(2027, 6, 30),
        PlaceOfWork = "440106000000",
        Industry = "I6510",
    };

    public static RegisterPayload Register(string contractId, Hash32? document = null) => new()
    {
        ContractId = contractId,
        DocumentHash = document ?? Document(contractId, 1),
        DocumentFormat = DocumentFormat.Pdf,
        EmployerCreditCode = TestNetwork.EmployerCreditCode.Value,
        WorkerPseudonym = TestNetwork.WorkerPseudonymValue,
        Terms = Terms(),
    };

    /// <summary>
    /// An encoded envelope: the submitter signs the body, then each party (employer certificate, Worker certificate)
    /// signs the statement of the payload.
    /// </summary>
    public static byte[] Envelope(TestNetwork network, IContractPayload payload, TestIdentity submitter, TestIdentity? employer = null, TestIdentity? worker = null, ulong nonce = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(submitter);
        var endorsers = new List<TxEndorser> { new(submitter.Certificate.Id, EndorsementScope.Body) };
        if (employer is not null) endorsers.Add(new TxEndorser(employer.Certificate.Id, EndorsementScope.Statement));
        if (worker is not null) endorsers.Add(new TxEndorser(worker.Certificate.Id, EndorsementScope.Statement));
        var body = ContractPayloads.CreateBody(payload, network.ChainId, nonce, TestNetwork.DefaultBlockTime.AddHours(1).ToUnixTimeMilliseconds(), submitter.Certificate.Id, endorsers).Encode();
        var statement = ContractPayloads.StatementFor(payload, network.ChainId, Sm3Hasher.Instance).SigningMessage();
        var endorsements = new List<Endorsement>
        {
            new() { Certificate = submitter.Certificate.Der, Signature = submitter.Key.Sign(body), Scope = EndorsementScope.Body },
        };
        if (employer is not null)
            endorsements.Add(new Endorsement { Certificate = employer.Certificate.Der, Signature = employer.Key.Sign(statement), Scope = EndorsementScope.Statement });
        if (worker is not null)
            endorsements.Add(new Endorsement { Certificate = worker.Certificate.Der, Signature = worker.Key.Sign(statement), Scope = EndorsementScope.Statement });
        return new TxEnvelope { BodyBytes = body, Endorsements = endorsements }.Encode();
    }
}
