using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// Signing: both parties make a version effective; the worker who consents is the worker the contract names — a Worker
/// certificate carrying the contract's pseudonym — never any other worker, and never a bare key.
/// </summary>
public class WorkerSignatureTests
{
    private const string Id = "GZ-2024-000001";

    [Test]
    public void A_version_is_effective_only_once_both_parties_signed_in_separate_txs()
    {
        var chain = new TestChain();
        chain.Register(Id);
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingSignature));
        TestChain.Expect(chain.SignLatest(Id, Parties.Integrator, Parties.Worker1));
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EffectiveVersion), Is.EqualTo((ContractStatus.Effective, 1u)));
    }

    [Test]
    public void The_first_worker_signature_records_its_key()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        Assert.That(chain.Contract(Id).WorkerKeyId, Is.EqualTo(Parties.Worker1.KeyId));
    }

    [Test]
    public void A_worker_certificate_of_another_person_is_WrongWorker()
    {
        var chain = new TestChain();
        chain.Register(Id);
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WrongWorker));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingSignature));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void A_bare_key_is_no_worker()
    {
        var chain = new TestChain();
        chain.Register(Id);
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.BareKey(1)).Code, Is.EqualTo(ErrorCode.NotParty));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingSignature));
    }

    [Test]
    public void A_change_must_be_signed_by_the_named_worker_and_a_re_enrolled_key_of_that_worker_may()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WrongWorker));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.ReEnrolled(Parties.Worker1, 7)).Code, Is.EqualTo(ErrorCode.Ok),
            "a new key and certificate of the same person: the same pseudonym");
        Assert.That(chain.Contract(Id).EffectiveVersion, Is.EqualTo(2u));
    }

    [Test]
    public void A_worker_may_submit_its_own_signature_but_not_for_a_contract_naming_someone_else()
    {
        var chain = new TestChain();
        chain.Register(Id);
        Assert.That(chain.SignLatest(Id, Parties.Worker2, Parties.Worker1).Code, Is.EqualTo(ErrorCode.WrongWorker));
        Assert.That(chain.SignLatest(Id, Parties.Worker1, Parties.Worker1).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void A_worker_may_dissolve_by_notice()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var result = chain.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), DissolutionBasis.Art37WorkerNotice), Parties.Worker1, Parties.Worker1);
        Assert.That(result.Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.Dissolved));
    }

    [Test]
    public void A_signature_over_another_contract_is_rejected()
    {
        var chain = new TestChain();
        chain.Register(Id);
        chain.Register("GZ-2024-000002");
        // The statement names contract ...002 with ...001's document: not what ...002 holds.
        Assert.That(chain.Submit(Make.Sign("GZ-2024-000002", 1, Make.Doc(Id, 1)), Parties.EmployerA, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.WrongDocumentHash));
    }

    [Test]
    public void A_signature_of_a_superseded_change_is_rejected()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        TestChain.Expect(chain.Submit(Make.Change(Id, 2, docNumber: 30), Parties.EmployerA));
        var result = chain.Submit(Make.Sign(Id, 2, Make.Doc(Id, 2)), Parties.EmployerA, Parties.EmployerA, Parties.Worker1);
        Assert.That(result.Code, Is.EqualTo(ErrorCode.WrongVersion));
    }

    [Test]
    public void A_dissolution_must_name_the_version_in_force_not_a_pending_change()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        var pending = chain.Contract(Id).Latest;
        Assert.That(chain.Submit(Make.Dissolve(Id, pending.Number, pending.DocumentHash), Parties.EmployerA, Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.WrongVersion));
        Assert.That(chain.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1)), Parties.EmployerA, Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void A_paper_contract_is_signed_later_only_by_the_worker_it_names()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Submit(Make.Paper(Id), Parties.GuangzhouBureau)); // attested by a bureau: no worker key bound yet
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WrongWorker));
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1));
        Assert.That(chain.Contract(Id).WorkerKeyId, Is.EqualTo(Parties.Worker1.KeyId));
    }

    [Test]
    public void A_fresh_contract_for_the_same_worker_cannot_evade_the_single_probation_rule()
    {
        // The contract names the person, not a per-contract commitment: a new contract id changes nothing.
        var chain = new TestChain();
        chain.RegisterEffective(Id, Make.Terms(probationEnd: "2024-09-30"));
        TestChain.Expect(chain.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1)), Parties.EmployerA, Parties.EmployerA, Parties.Worker1));
        var again = chain.Submit(Make.Register("GZ-2024-000077", Make.Terms(start: "2025-03-01", end: "2028-02-29", probationEnd: "2025-05-31")), Parties.EmployerA, Parties.EmployerA);
        Assert.That(again.Code, Is.EqualTo(ErrorCode.RepeatedProbation));
        var otherWorker = chain.Submit(Make.Register("GZ-2024-000078", Make.Terms(start: "2025-03-01", end: "2028-02-29", probationEnd: "2025-05-31"), worker: Parties.CommitmentB), Parties.EmployerA, Parties.EmployerA);
        Assert.That(otherWorker.Code, Is.EqualTo(ErrorCode.Ok), "control: another worker may have a probation");
    }
}
