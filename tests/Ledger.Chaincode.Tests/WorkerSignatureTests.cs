using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests;

/// <summary>Signing: both parties make a version effective; the worker is bound by the key behind the first worker signature.</summary>
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
    public void The_first_worker_signature_binds_its_key()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id, worker: Parties.Worker2);
        Assert.That(chain.Contract(Id).WorkerKeyId, Is.EqualTo(Parties.Worker2.KeyId));
    }

    [Test]
    public void A_change_must_be_signed_by_the_bound_worker_key()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WorkerKeyMismatch));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(chain.Contract(Id).EffectiveVersion, Is.EqualTo(2u));
    }

    [Test]
    public void A_worker_may_submit_its_own_signature_but_not_someone_elses()
    {
        var chain = new TestChain();
        chain.Register(Id);
        var worker1 = Parties.CertifiedWorker(Parties.Worker1);
        Assert.That(chain.SignLatest(Id, worker1, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WorkerKeyMismatch));
        Assert.That(chain.SignLatest(Id, worker1, Parties.Worker1).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void A_worker_may_dissolve_by_notice_with_the_bound_key()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var result = chain.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), DissolutionBasis.Art37WorkerNotice), Parties.CertifiedWorker(Parties.Worker1), Parties.Worker1);
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
    public void A_paper_contract_binds_the_worker_key_at_the_first_electronic_signature()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Submit(Make.Paper(Id), Parties.EmployerA));
        Assert.That(chain.Contract(Id).WorkerKeyId, Is.Null);
        TestChain.Expect(chain.Submit(Make.Change(Id, 1), Parties.EmployerA));
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.Worker2));
        Assert.That(chain.Contract(Id).WorkerKeyId, Is.EqualTo(Parties.Worker2.KeyId));
        Assert.That(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.WorkerKeyMismatch));
    }
}
