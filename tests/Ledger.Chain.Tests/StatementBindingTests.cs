using Ledger.Chain.Admission;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests;

/// <summary>
/// Statement v2: every party signs SM3 of the complete payload, so a tx whose payload differs in any one fact from what
/// a party signed — a term, the basis, the proposer, a date, the attestation — is refused at admission with
/// <see cref="ErrorCode.StatementMismatch"/>, both when submitted and when it arrives inside another validator's block.
/// </summary>
public class StatementBindingTests
{
    private static readonly TestConsortium Consortium = new();
    private static readonly Hash32 Document = Sm3.Hash("contract v1"u8);
    private static readonly Hash32 DocumentV2 = Sm3.Hash("contract v2"u8);

    private static ContractTerms Terms => Consortium.Register("X", Document).Terms;

    /// <summary>Each payload kind, as the parties signed it, and the same payload with one fact changed after signing.</summary>
    public static IEnumerable<TestCaseData> Tampered()
    {
        var register = Consortium.Register("GZ-V2-REG", Document);
        yield return Case("register: the end date", register, register with { Terms = register.Terms with { End = ContractDate.Create(2029, 12, 31) } });
        yield return Case("register: the industry", register, register with { Terms = register.Terms with { Industry = "I6520" } });
        yield return Case("register: the worker", register, register with { WorkerPseudonym = TestConsortium.WorkerPseudonym("someone else") });
        var sign = new SignPayload { ContractId = "GZ-V2-SIGN", Version = 1, DocumentHash = Document };
        yield return Case("sign: the version", sign, sign with { Version = 2 });
        var change = new ChangePayload { ContractId = "GZ-V2-CHG", BaseVersion = 1, DocumentHash = DocumentV2, DocumentFormat = DocumentFormat.Pdf, Terms = Terms };
        yield return Case("change: the place of work", change, change with { Terms = Terms with { PlaceOfWork = "440104000000" } });
        yield return Case("change: the document format", change, change with { DocumentFormat = DocumentFormat.Ofd });
        var renew = new RenewPayload { ContractId = "GZ-V2-REN", BaseVersion = 1, DocumentHash = DocumentV2, DocumentFormat = DocumentFormat.Pdf, Terms = Terms with { Start = ContractDate.Create(2029, 1, 1), End = ContractDate.Create(2031, 12, 31), ProbationEnd = null } };
        yield return Case("renew: the probation", renew, renew with { Terms = renew.Terms with { ProbationEnd = ContractDate.Create(2029, 3, 31) } });
        var dissolve = new DissolvePayload { ContractId = "GZ-V2-DIS", Version = 1, DocumentHash = Document, Basis = DissolutionBasis.Art38EmployerFault, EffectiveDate = ContractDate.Create(2026, 6, 30) };
        yield return Case("dissolve: the basis (art. 38 filed as art. 37)", dissolve, dissolve with { Basis = DissolutionBasis.Art37WorkerNotice });
        yield return Case("dissolve: the effective date", dissolve, dissolve with { EffectiveDate = ContractDate.Create(2026, 7, 31) });
        var agreed = dissolve with { Basis = DissolutionBasis.Art36Agreement, ProposedBy = Proposer.Employer };
        yield return Case("dissolve: who proposed (art. 36)", agreed, agreed with { ProposedBy = Proposer.Worker });
        var terminate = new TerminatePayload { ContractId = "GZ-V2-TER", Version = 1, DocumentHash = Document, Reason = TerminationReason.EmployerClosed, EffectiveDate = ContractDate.Create(2026, 6, 30) };
        yield return Case("terminate: the reason", terminate, terminate with { Reason = TerminationReason.EmployerBankrupt });
        yield return Case("terminate: the date", terminate, terminate with { EffectiveDate = ContractDate.Create(2026, 5, 31) });
        var paper = new UploadPaperPayload
        {
            ContractId = "GZ-V2-PAP", ScanHash = Document, ScanFormat = DocumentFormat.Pdf, EmployerCreditCode = register.EmployerCreditCode,
            WorkerPseudonym = register.WorkerPseudonym, Terms = Terms, PaperSignedOn = ContractDate.Create(2025, 12, 20), AttestationReference = "GZ-ARCHIVE-1",
        };
        yield return Case("upload paper: the signing date", paper, paper with { PaperSignedOn = ContractDate.Create(2025, 12, 21) });
        yield return Case("upload paper: the attestation reference", paper, paper with { AttestationReference = "GZ-ARCHIVE-2" });
        var confirm = new ConfirmPaperPayload { ContractId = "GZ-V2-PAP", ScanHash = Document };
        yield return Case("confirm paper: the scan confirmed", confirm, confirm with { ScanHash = DocumentV2 });
        yield return Case("confirm paper: an archive reference added", confirm, confirm with { AttestationReference = "GZ-ARCHIVE-3" });
    }

    private static TestCaseData Case(string name, IContractPayload signed, IContractPayload carried) =>
        new TestCaseData(signed, carried).SetName("Refuses_a_payload_that_differs_from_the_signed_one_in " + name);

    /// <summary>The body carries <paramref name="carried"/>; employer and worker signed the statement of <paramref name="signed"/>.</summary>
    private static TxEnvelope Envelope(IContractPayload signed, IContractPayload carried, ulong nonce)
    {
        var worker = Consortium.WorkerOf(signed.ContractId);
        var employer = Consortium.Employer.Certificate!.Id;
        TxEndorser[] endorsers = [new(employer, EndorsementScope.Body), new(employer, EndorsementScope.Statement), new(worker.Certificate!.Id, EndorsementScope.Statement)];
        var body = ContractPayloads.CreateBody(carried, Consortium.ChainId, nonce, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), employer, endorsers).Encode();
        var statement = ContractPayloads.StatementFor(signed, Consortium.ChainId, Sm3Hasher.Instance).SigningMessage();
        return new TxEnvelope
        {
            BodyBytes = body,
            Endorsements =
            [
                new Endorsement { Certificate = Consortium.Employer.Certificate.Der, Signature = Consortium.Employer.Key.Sign(body), Scope = EndorsementScope.Body },
                new Endorsement { Certificate = Consortium.Employer.Certificate.Der, Signature = Consortium.Employer.Key.Sign(statement), Scope = EndorsementScope.Statement },
                new Endorsement { Certificate = worker.Certificate.Der, Signature = worker.Key.Sign(statement), Scope = EndorsementScope.Statement },
            ],
        };
    }

    private static TxAdmission Admission()
    {
        var hasher = Sm3Hasher.Instance;
        return new TxAdmission(Consortium.ChainId, new LabourContractChaincode(LabourContractOptions.Guangdong),
            new CertificateRegistry(Consortium.ChainValidator(), hasher), hasher, new StoreReplayIndex(new BlockStore(new InMemoryKeyValueStore(), hasher)));
    }

    [TestCaseSource(nameof(Tampered))]
    public void Refuses(IContractPayload signed, IContractPayload carried)
    {
        Assert.That(carried.Encode(), Is.Not.EqualTo(signed.Encode()), "the case changes the payload");
        var admission = Admission();

        var honest = admission.Admit(Envelope(signed, signed, 1).Encode(), DateTimeOffset.UtcNow);
        Assert.That(honest.Result.IsValid, Is.True, $"control: the payload as signed is admitted ({honest.Result})");

        var submitted = admission.Admit(Envelope(signed, carried, 2).Encode(), DateTimeOffset.UtcNow);
        Assert.That(submitted.Result.Code, Is.EqualTo(ErrorCode.StatementMismatch), submitted.Result.ToString());

        // A validator that receives the tx inside a proposed block refuses it the same way (a fresh node: nothing cached).
        var inBlock = Admission().VerifyForBlock(Envelope(signed, carried, 3).Encode(), DateTimeOffset.UtcNow);
        Assert.That(inBlock.Result.Code, Is.EqualTo(ErrorCode.StatementMismatch), inBlock.Result.ToString());
    }

    [Test]
    public void A_statement_signed_under_the_v1_format_is_refused()
    {
        // v1 covered chain, contract, version, document and action only: such a signature holds over no v2 statement.
        var sign = new SignPayload { ContractId = "GZ-V1-1", Version = 1, DocumentHash = Document };
        var v1 = new Core.Wire.ProtoWriter(128);
        v1.WriteString(1, Consortium.ChainId);
        v1.WriteString(2, sign.ContractId);
        v1.WriteUInt32(3, 1);
        v1.WriteHash(4, Document);
        v1.WriteUInt32(5, (uint)ContractAction.Sign);
        byte[] message = [.. "ledger/contract-statement/v1\n"u8.ToArray(), .. v1.ToArray()];
        var employer = Consortium.Employer.Certificate!.Id;
        var body = ContractPayloads.CreateBody(sign, Consortium.ChainId, 9, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), employer,
            [new TxEndorser(employer, EndorsementScope.Body), new TxEndorser(employer, EndorsementScope.Statement)]).Encode();
        var envelope = new TxEnvelope
        {
            BodyBytes = body,
            Endorsements =
            [
                new Endorsement { Certificate = Consortium.Employer.Certificate.Der, Signature = Consortium.Employer.Key.Sign(body), Scope = EndorsementScope.Body },
                new Endorsement { Certificate = Consortium.Employer.Certificate.Der, Signature = Consortium.Employer.Key.Sign(message), Scope = EndorsementScope.Statement },
            ],
        };
        Assert.That(Admission().Admit(envelope.Encode(), DateTimeOffset.UtcNow).Result.Code, Is.EqualTo(ErrorCode.StatementMismatch));
    }
}
