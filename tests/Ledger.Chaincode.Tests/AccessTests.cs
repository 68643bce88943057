using Ledger.Chaincode.Access;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// Access records, grants and revocations: who may record a read and why, who may consent or delegate, who may revoke,
/// and the block time deciding expiry — each refusal with its code, and nothing written by a refused tx.
/// </summary>
public class AccessTests
{
    private static ulong _nonce;

    private static readonly SignerIdentity Worker = Parties.CertifiedWorker(Parties.Worker1);
    private static readonly SignerIdentity Bank = Parties.Employer(Parties.CodeB, "440305000000") with { CommonName = "a bank" };

    private static (ExecutionResult Result, Hash32 TxId) Run(TestChain chain, SignerIdentity submitter, int field, byte[] payload)
    {
        var encoded = AccessPayloads.CreateBody(field, payload, TestChain.ChainId, Interlocked.Increment(ref _nonce), chain.BlockTime + 3_600_000,
            submitter.CertificateId ?? submitter.KeyId).Encode();
        var body = TxBody.Decode(encoded);
        Assert.That(chain.Chaincode.ValidatePayload(body).IsValid, Is.True);
        Assert.That(chain.Chaincode.StatementFor(body, Sm3Hasher.Instance), Is.Null, "an access tx has no statement for parties to sign");
        var txId = Sm3.Hash(encoded);
        var result = chain.Execute(new TxContext
        {
            ChainId = TestChain.ChainId,
            Height = chain.Height++,
            BlockTime = chain.BlockTime,
            TxId = txId,
            Body = body,
            Submitter = submitter,
            Endorsements = [new VerifiedEndorsement(submitter, EndorsementScope.Body)],
        });
        return (result, txId);
    }

    private static (ExecutionResult Result, Hash32 TxId) Record(TestChain chain, SignerIdentity reader, AccessBasis basis, string reference = "", Hash32? grant = null, string contractId = "GZ-ACC-1", string onBehalfOf = "") =>
        Run(chain, reader, AccessPayloads.AccessRecordField, new AccessRecordPayload { ContractId = contractId, Basis = basis, Reference = reference, GrantId = grant, OnBehalfOf = onBehalfOf }.Encode());

    private static (ExecutionResult Result, Hash32 TxId) Consent(TestChain chain, SignerIdentity grantor, string contractId, SignerIdentity grantee, long notAfter) =>
        Run(chain, grantor, AccessPayloads.AccessGrantField, new AccessGrantPayload
        {
            Kind = GrantKind.WorkerConsent, ContractId = contractId, Grantee = grantee.CertificateId!.Value, Purpose = "employment check", NotAfter = notAfter,
        }.Encode());

    private static TestChain ChainWithContract()
    {
        var chain = new TestChain();
        chain.RegisterEffective("GZ-ACC-1", worker: Worker);
        chain.RegisterEffective("GZ-ACC-2", worker: Parties.Worker2);
        return chain;
    }

    [Test]
    public void A_court_records_its_read_and_the_worker_lists_it()
    {
        var chain = ChainWithContract();
        var (result, txId) = Record(chain, Parties.Court, AccessBasis.CourtCase, "(2026)粤0106民初1号");
        Assert.That(result.Code, Is.EqualTo(ErrorCode.Ok), result.Message);
        var log = AccessStore.List(chain.State, WorkerMatch.IndexKey(Worker)!.Value);
        Assert.That(log, Has.Count.EqualTo(1));
        Assert.That(log[0].TxId, Is.EqualTo(txId));
        Assert.That(log[0].Reference, Is.EqualTo("(2026)粤0106民初1号"));
        Assert.That(log[0].AccessorRole, Is.EqualTo(Role.Court));
        Assert.That(AccessStore.List(chain.State, WorkerMatch.IndexKey(Parties.Worker2)!.Value), Is.Empty);
    }

    [Test]
    public void A_legal_basis_is_for_its_own_authority_or_an_observer_naming_its_account()
    {
        var chain = ChainWithContract();
        var before = chain.State.Count;
        Assert.That(Record(chain, Parties.Court, AccessBasis.Inspection, "INSP-1").Result.Code, Is.EqualTo(ErrorCode.AccessRoleNotAllowed));
        Assert.That(Record(chain, Parties.GuangzhouBureau, AccessBasis.CourtCase, "case").Result.Code, Is.EqualTo(ErrorCode.AccessRoleNotAllowed));
        Assert.That(Record(chain, Parties.EmployerA, AccessBasis.ArbitrationCase, "case").Result.Code, Is.EqualTo(ErrorCode.AccessRoleNotAllowed));
        var observer = Parties.Bureau("440000000000") with { Role = Role.Observer };
        Assert.That(Record(chain, observer, AccessBasis.CourtCase, "case").Result.Code, Is.EqualTo(ErrorCode.AccessRoleNotAllowed), "an observer names the account it reads for");
        Assert.That(chain.State.Count, Is.EqualTo(before), "a refused record writes nothing");
        Assert.That(Record(chain, observer, AccessBasis.CourtCase, "case", onBehalfOf: "Court:Tianhe court/clerk1").Result.Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(Record(chain, Parties.Court, AccessBasis.CourtCase, "case", contractId: "GZ-NONE").Result.Code, Is.EqualTo(ErrorCode.ContractNotFound));
    }

    [Test]
    public void Only_the_worker_consents_and_the_consent_opens_its_contract_for_its_reader_until_it_expires()
    {
        var chain = ChainWithContract();
        var expiry = chain.BlockTime + 60_000;
        Assert.That(Consent(chain, Parties.EmployerA, "GZ-ACC-1", Bank, expiry).Result.Code, Is.EqualTo(ErrorCode.GrantorNotAllowed), "the employer is not the worker");
        Assert.That(Consent(chain, Worker, "GZ-ACC-2", Bank, expiry).Result.Code, Is.EqualTo(ErrorCode.GrantorNotAllowed), "not this worker's contract");
        Assert.That(Consent(chain, Worker, "GZ-ACC-1", Bank, chain.BlockTime).Result.Code, Is.EqualTo(ErrorCode.GrantExpired), "expired at its own block");
        var (granted, grant) = Consent(chain, Worker, "GZ-ACC-1", Bank, expiry);
        Assert.That(granted.Code, Is.EqualTo(ErrorCode.Ok), granted.Message);

        Assert.That(Record(chain, Bank, AccessBasis.WorkerConsent, grant: grant).Result.Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(Record(chain, Bank, AccessBasis.WorkerConsent, grant: grant, contractId: "GZ-ACC-2").Result.Code, Is.EqualTo(ErrorCode.GrantNotForCaller));
        Assert.That(Record(chain, Parties.Integrator, AccessBasis.WorkerConsent, grant: grant).Result.Code, Is.EqualTo(ErrorCode.GrantNotForCaller));
        Assert.That(Record(chain, Bank, AccessBasis.WorkerConsent, grant: Parties.Hash("no grant")).Result.Code, Is.EqualTo(ErrorCode.GrantNotFound));
        chain.BlockTime = expiry;
        Assert.That(Record(chain, Bank, AccessBasis.WorkerConsent, grant: grant).Result.Code, Is.EqualTo(ErrorCode.GrantExpired));
    }

    [Test]
    public void Only_the_grantor_revokes_and_a_revoked_consent_opens_nothing()
    {
        var chain = ChainWithContract();
        var (_, grant) = Consent(chain, Worker, "GZ-ACC-1", Bank, chain.BlockTime + 3_600_000);
        var revoke = new GrantRevocationPayload { GrantId = grant }.Encode();
        Assert.That(Run(chain, Bank, AccessPayloads.GrantRevocationField, revoke).Result.Code, Is.EqualTo(ErrorCode.GrantorNotAllowed));
        Assert.That(Run(chain, Worker, AccessPayloads.GrantRevocationField, revoke).Result.Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(Run(chain, Worker, AccessPayloads.GrantRevocationField, revoke).Result.Code, Is.EqualTo(ErrorCode.GrantRevoked), "revoked once");
        Assert.That(Record(chain, Bank, AccessBasis.WorkerConsent, grant: grant).Result.Code, Is.EqualTo(ErrorCode.GrantRevoked));
        Assert.That(AccessStore.GetGrant(chain.State, grant)!.RevokedAt, Is.EqualTo(chain.BlockTime));
    }

    [Test]
    public void An_employer_delegates_its_contracts_to_an_integrator_and_nobody_else_does()
    {
        var chain = ChainWithContract();
        var delegation = new AccessGrantPayload { Kind = GrantKind.IntegratorDelegation, Grantee = Parties.Integrator.CertificateId!.Value, Purpose = "payroll", NotAfter = chain.BlockTime + 60_000 }.Encode();
        Assert.That(Run(chain, Parties.GuangzhouBureau, AccessPayloads.AccessGrantField, delegation).Result.Code, Is.EqualTo(ErrorCode.GrantorNotAllowed));
        Assert.That(Run(chain, Worker, AccessPayloads.AccessGrantField, delegation).Result.Code, Is.EqualTo(ErrorCode.GrantorNotAllowed));
        var (result, id) = Run(chain, Parties.EmployerA, AccessPayloads.AccessGrantField, delegation);
        Assert.That(result.Code, Is.EqualTo(ErrorCode.Ok));
        var stored = AccessStore.GetDelegation(chain.State, Parties.CodeA.Value, Parties.Integrator.CertificateId!.Value);
        Assert.That(stored?.Id, Is.EqualTo(id));
        Assert.That(AccessStore.GetDelegation(chain.State, Parties.CodeB.Value, Parties.Integrator.CertificateId!.Value), Is.Null);
    }

    [Test]
    public void Malformed_access_payloads_are_refused_at_admission()
    {
        var chain = new TestChain();
        static TxBody Body(int field, byte[] payload) => TxBody.Decode(new TxBody
        {
            ChainId = TestChain.ChainId, Nonce = 1, ExpiresAt = 1, Submitter = Parties.Hash("s"), PayloadField = field, Payload = payload,
        }.Encode());
        Assert.That(chain.Chaincode.ValidatePayload(Body(AccessPayloads.AccessRecordField, [0x0a, 0x01, 0x41])).Code, Is.EqualTo(ErrorCode.InvalidFieldValue), "no basis");
        var courtWithoutCase = new AccessRecordPayload { ContractId = "A", Basis = AccessBasis.CourtCase }.Encode();
        Assert.That(chain.Chaincode.ValidatePayload(Body(AccessPayloads.AccessRecordField, courtWithoutCase)).Code, Is.EqualTo(ErrorCode.MissingField));
        var consentWithoutContract = new AccessGrantPayload { Kind = GrantKind.WorkerConsent, Grantee = Parties.Hash("g"), Purpose = "p", NotAfter = 5 }.Encode();
        Assert.That(chain.Chaincode.ValidatePayload(Body(AccessPayloads.AccessGrantField, consentWithoutContract)).Code, Is.EqualTo(ErrorCode.MissingField));
    }
}
