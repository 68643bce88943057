using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests;

/// <summary>The payload messages of Ledger.Core.Contracts: one encoding per value, strict decoding, statements from the payload alone.</summary>
public class PayloadCodecTests
{
    public static IEnumerable<IContractPayload> Payloads()
    {
        var doc = Make.Doc("C-1", 1);
        yield return Make.Register("C-1", Make.Terms(probationEnd: "2024-09-30", modelText: "GD-HRSS-2024"));
        yield return Make.Paper("C-1");
        yield return Make.Sign("C-1", 3, doc);
        yield return Make.Change("C-1", 2);
        yield return Make.Renew("C-1", 2, Make.Terms(type: ContractType.TaskBased, start: "2027-07-01", end: null));
        yield return Make.Dissolve("C-1", 2, doc, DissolutionBasis.Art40ChangedCircumstances);
        yield return Make.Terminate("C-1", 2, doc, TerminationReason.PensionStarted);
    }

    [TestCaseSource(nameof(Payloads))]
    public void Round_trips_through_a_tx_body(IContractPayload payload)
    {
        var body = ContractPayloads.CreateBody(payload, TestChain.ChainId, 7, 1_800_000_000_000, Parties.Hash("submitter"));
        var decoded = ContractPayloads.Decode(TxBody.Decode(body.Encode()));
        Assert.That(decoded, Is.EqualTo(payload));
        Assert.That(decoded.Encode(), Is.EqualTo(payload.Encode()));
    }

    [TestCaseSource(nameof(Payloads))]
    public void Statement_names_the_chain_contract_version_document_and_action(IContractPayload payload)
    {
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var body = ContractPayloads.CreateBody(payload, "another-chain", 1, 1_800_000_000_000, Parties.Hash("submitter"));
        var statement = chaincode.StatementFor(body, Sm3Hasher.Instance);
        Assert.That(statement, Is.EqualTo(new ContractStatement("another-chain", payload.ContractId, payload.StatementVersion, payload.StatementDocumentHash, payload.Action, Sm3.Hash(payload.Encode()))));
    }

    [Test]
    public void A_change_is_signed_as_the_version_after_its_base()
    {
        var statement = ContractPayloads.StatementFor(Make.Change("C-1", 4), "c", Sm3Hasher.Instance);
        Assert.That((statement.Version, statement.Action), Is.EqualTo((5u, ContractAction.Change)));
    }

    [Test]
    public void Rejects_a_payload_field_outside_the_contract_range()
    {
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var body = new TxBody { ChainId = "c", Nonce = 1, ExpiresAt = 1, Submitter = Parties.Hash("s"), PayloadField = 32, Payload = new byte[] { 8, 1 } };
        Assert.That(chaincode.ValidatePayload(body).Code, Is.EqualTo(ErrorCode.UnknownPayload));
        Assert.That(chaincode.StatementFor(body, Sm3Hasher.Instance), Is.Null);
    }

    [Test]
    public void Rejects_an_unknown_dissolution_basis()
    {
        var w = new ProtoWriter();
        w.WriteString(1, "C-1");
        w.WriteUInt32(2, 1);
        w.WriteHash(3, Make.Doc("C-1", 1));
        w.WriteUInt32(4, 99);
        w.WriteUInt32(5, 20250101);
        var e = Assert.Throws<LedgerException>(() => DissolvePayload.Decode(w.WrittenSpan));
        Assert.That(e.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
    }

    [Test]
    public void Rejects_a_date_that_does_not_exist()
    {
        var w = new ProtoWriter();
        w.WriteUInt32(1, (uint)ContractType.FixedTerm);
        w.WriteUInt32(2, 20230229);
        w.WriteString(5, "440106000000");
        w.WriteString(6, "I65");
        var e = Assert.Throws<LedgerException>(() => ContractTerms.Decode(w.WrittenSpan));
        Assert.That(e.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
    }

    [Test]
    public void Rejects_a_register_without_a_worker_pseudonym()
    {
        var full = Make.Register("C-1");
        var w = new ProtoWriter();
        w.WriteString(1, full.ContractId);
        w.WriteHash(2, full.DocumentHash);
        w.WriteUInt32(3, (uint)full.DocumentFormat);
        w.WriteString(4, full.EmployerCreditCode);
        w.WriteLengthDelimited(6, full.Terms.Encode());
        var e = Assert.Throws<LedgerException>(() => RegisterPayload.Decode(w.WrittenSpan));
        Assert.That(e.Code, Is.EqualTo(ErrorCode.MissingField));
    }

    [Test]
    public void Execute_refuses_an_undecodable_payload_with_its_code()
    {
        var chain = new TestChain();
        var body = new TxBody { ChainId = TestChain.ChainId, Nonce = 1, ExpiresAt = 1, Submitter = Parties.Hash("s"), PayloadField = ContractPayloads.SignField, Payload = new byte[] { 0x10, 0x00 } };
        var result = chain.Execute(new Ledger.Core.Execution.TxContext
        {
            ChainId = TestChain.ChainId, Height = 1, BlockTime = chain.BlockTime, TxId = Parties.Hash("tx"), Body = body,
            Submitter = Parties.EmployerA, Endorsements = [],
        });
        Assert.That(result.Code, Is.EqualTo(ErrorCode.NonCanonicalEncoding));
    }
}
