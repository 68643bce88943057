using Ledger.Chaincode.State;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// Seeded random action sequences (500 seeds × 50 txs): after every tx the invariants below hold for every
/// contract, and replaying a run's txs on a fresh store gives the same receipts and the same state root.
/// A failure names the seed and step, so it can be replayed.
/// </summary>
public class LifecyclePropertyTests
{
    private const int Seeds = 500;
    private const int Steps = 50;

    [Test]
    public void No_sequence_reaches_an_illegal_state()
    {
        var accepted = 0;
        var deepest = new HashSet<ContractStatus>();
        for (var seed = 0; seed < Seeds; seed++)
        {
            var chain = new TestChain();
            var actions = new RandomActions(seed);
            var model = new SortedDictionary<string, Observed>(StringComparer.Ordinal);
            for (var step = 0; step < Steps; step++)
            {
                var (id, action, result) = actions.Step(chain);
                var where = $"seed {seed}, step {step}: {action} {id} -> {result}";
                if (!model.TryGetValue(id, out var observed)) model[id] = observed = new Observed();
                if (result.Succeeded)
                {
                    Assert.That(Allowed(observed.Last?.Status, action), Is.True, $"{where}: accepted from status {observed.Last?.Status.ToString() ?? "none"}");
                    observed.Accepted++;
                    accepted++;
                }
                var record = chain.Find(id);
                CheckInvariants(observed, record, result.Succeeded ? chain.Log[^1].Tx.TxId : null, where);
                if (record is not null) deepest.Add(record.Status);
                observed.Last = record;
                observed.LastBytes = record?.Encode();
            }
        }
        // The generator must actually reach every status, or the invariants above prove little.
        Assert.That(deepest, Is.EquivalentTo(Enum.GetValues<ContractStatus>().Where(s => s != ContractStatus.Unspecified)));
        Assert.That(accepted, Is.GreaterThan(Seeds * Steps / 5), "too few accepted txs to say anything");
    }

    [Test]
    public void Replaying_the_same_transactions_yields_the_same_state_root()
    {
        for (var seed = 0; seed < Seeds; seed += 5)
        {
            var original = Run(seed);
            var replica = new TestChain();
            var receipts = original.Log.Select(entry => View(replica.Execute(entry.Tx))).ToList();
            Assert.That(receipts, Is.EqualTo(original.Log.Select(e => View(e.Result)).ToList()), $"seed {seed}: receipts differ");
            Assert.That(replica.StateRoot(), Is.EqualTo(original.StateRoot()), $"seed {seed}: state roots differ");
        }
    }

    [Test]
    public void Different_sequences_give_different_state_roots()
    {
        // Guards the replay test against a root that ignores the state.
        Assert.That(Run(1).StateRoot(), Is.Not.EqualTo(Run(2).StateRoot()));
    }

    internal static TestChain Run(int seed, int steps = Steps)
    {
        var chain = new TestChain();
        var actions = new RandomActions(seed);
        for (var step = 0; step < steps; step++) actions.Step(chain);
        return chain;
    }

    private static ExecutionResultView View(Ledger.Core.Execution.ExecutionResult r) => new(r.Code, r.Warnings);

    /// <summary>The reference lifecycle, written independently of the chaincode's.</summary>
    private static bool Allowed(ContractStatus? status, ContractAction action) => status switch
    {
        null => action is ContractAction.Register or ContractAction.UploadPaper,
        ContractStatus.PendingSignature => action == ContractAction.Sign,
        ContractStatus.Effective => action is ContractAction.Change or ContractAction.Renew or ContractAction.Dissolve or ContractAction.Terminate,
        ContractStatus.PendingChange or ContractStatus.PendingRenewal =>
            action is ContractAction.Sign or ContractAction.Change or ContractAction.Renew or ContractAction.Dissolve or ContractAction.Terminate,
        ContractStatus.PendingConfirmation => action == ContractAction.ConfirmPaper,
        _ => false,
    };

    private static void CheckInvariants(Observed observed, ContractRecord? record, Hash32? acceptedTx, string where)
    {
        var previous = observed.Last;
        if (record is null)
        {
            Assert.That(previous, Is.Null, $"{where}: a contract disappeared");
            return;
        }

        // Nothing after dissolve/terminate: a closed record never changes again.
        if (previous is not null && previous.IsClosed)
            Assert.That(record.Encode(), Is.EqualTo(observed.LastBytes), $"{where}: a closed contract changed");

        // History length = accepted actions; the last entry is the tx just accepted.
        Assert.That(record.History, Has.Count.EqualTo(observed.Accepted), $"{where}: history length");
        if (acceptedTx is { } txId) Assert.That(record.History[^1].TxId, Is.EqualTo(txId), $"{where}: last history entry");

        // Versions: numbered 1..n, old versions never rewritten, signatures never withdrawn, version count monotonic.
        for (var i = 0; i < record.Versions.Count; i++)
            Assert.That(record.Versions[i].Number, Is.EqualTo((uint)i + 1), $"{where}: version numbering");
        if (previous is not null)
        {
            Assert.That(record.Versions, Has.Count.GreaterThanOrEqualTo(previous.Versions.Count), $"{where}: versions lost");
            for (var i = 0; i < previous.Versions.Count; i++)
            {
                var (old, now) = (previous.Versions[i], record.Versions[i]);
                Assert.That(now with { EmployerSigned = old.EmployerSigned, WorkerSigned = old.WorkerSigned }, Is.EqualTo(old), $"{where}: version {old.Number} rewritten");
                Assert.That((!old.EmployerSigned || now.EmployerSigned) && (!old.WorkerSigned || now.WorkerSigned), Is.True, $"{where}: signature withdrawn");
            }
            Assert.That(record.EffectiveVersion, Is.GreaterThanOrEqualTo(previous.EffectiveVersion), $"{where}: effective version went back");
            // Only a paper upload's confirmation raises its grade, once; nothing else changes it.
            if (previous.Status == ContractStatus.PendingConfirmation && record.Status == ContractStatus.Effective)
                Assert.That(record.EvidenceGrade, Is.AnyOf(EvidenceGrade.PaperScanWorkerConfirmed, EvidenceGrade.PaperScanBureauAttested), $"{where}: confirmed without a grade");
            else
                Assert.That(record.EvidenceGrade, Is.EqualTo(previous.EvidenceGrade), $"{where}: evidence grade changed");
            if (previous.WorkerKeyId is { } bound) Assert.That(record.WorkerKeyId, Is.EqualTo(bound), $"{where}: worker key rebound");
        }

        // Effective only with both signatures (or an attested paper original); nothing above it is concluded.
        if (record.EffectiveVersion > 0)
        {
            var inForce = record.Version(record.EffectiveVersion);
            Assert.That((inForce.EmployerSigned && inForce.WorkerSigned) || inForce.CreatedBy == ContractAction.UploadPaper, Is.True, $"{where}: in force without both signatures");
            if (inForce.CreatedBy == ContractAction.UploadPaper)
                Assert.That(record.EvidenceGrade, Is.AnyOf(EvidenceGrade.PaperScanWorkerConfirmed, EvidenceGrade.PaperScanBureauAttested), $"{where}: a paper contract in force that nobody but its employer vouched for");
        }
        for (var n = record.EffectiveVersion + 1; n <= record.Versions.Count; n++)
            Assert.That(record.Version(n).EmployerSigned && record.Version(n).WorkerSigned, Is.False, $"{where}: version {n} signed by both but not in force");

        // Status agrees with the versions.
        var count = (uint)record.Versions.Count;
        switch (record.Status)
        {
            case ContractStatus.PendingSignature:
                Assert.That((record.EffectiveVersion, count), Is.EqualTo((0u, 1u)), $"{where}: pending signature");
                break;
            case ContractStatus.Effective:
                Assert.That(record.EffectiveVersion, Is.EqualTo(count), $"{where}: effective is the latest");
                break;
            case ContractStatus.PendingChange or ContractStatus.PendingRenewal:
                Assert.That(record.EffectiveVersion, Is.InRange(1u, count - 1), $"{where}: pending amendment over a version in force");
                Assert.That(record.Latest.CreatedBy, Is.EqualTo(record.Status == ContractStatus.PendingChange ? ContractAction.Change : ContractAction.Renew), $"{where}: pending kind");
                break;
            case ContractStatus.PendingConfirmation:
                Assert.That((record.EffectiveVersion, count, record.EvidenceGrade), Is.EqualTo((0u, 1u, EvidenceGrade.PaperScan)), $"{where}: paper awaiting confirmation");
                break;
            case ContractStatus.Dissolved or ContractStatus.Terminated:
                Assert.That(record.EffectiveVersion, Is.GreaterThan(0u), $"{where}: closed a contract never in force");
                Assert.That(record.ClosedOn, Is.Not.Null, $"{where}: closed without a date");
                break;
            default:
                Assert.Fail($"{where}: status {record.Status}");
                break;
        }

        // Worker signatures all came from the bound key.
        foreach (var entry in record.History)
            if (entry.WorkerSigner is { } signer) Assert.That(signer, Is.EqualTo(record.WorkerKeyId), $"{where}: worker signature by an unbound key");

        // Every version on record keeps the law's date rules (independent, coarse oracle: 31 days a month).
        foreach (var v in record.Versions)
        {
            var t = v.Terms;
            Assert.That(t.Type == ContractType.FixedTerm ? t.End is not null : t.Type != ContractType.OpenEnded || t.End is null, Is.True, $"{where}: end date vs type");
            if (t.End is { } end) Assert.That(end, Is.GreaterThanOrEqualTo(t.Start), $"{where}: end before start");
            if (t.ProbationEnd is { } p)
            {
                Assert.That(t.Type, Is.Not.EqualTo(ContractType.TaskBased), $"{where}: probation in a task-based contract");
                Assert.That(p.DayNumber - t.Start.DayNumber, Is.LessThan(6 * 31), $"{where}: probation over six months");
                if (t.End is { } e)
                {
                    Assert.That(p, Is.LessThanOrEqualTo(e), $"{where}: probation beyond the term");
                    var termDays = e.DayNumber - t.Start.DayNumber + 1;
                    var probationDays = p.DayNumber - t.Start.DayNumber + 1;
                    if (termDays < 89) Assert.Fail($"{where}: probation in a term under three months");
                    if (termDays < 365) Assert.That(probationDays, Is.LessThanOrEqualTo(31), $"{where}: over a month for a term under a year");
                    else if (termDays < 3 * 365) Assert.That(probationDays, Is.LessThanOrEqualTo(62), $"{where}: over two months for a term under three years");
                }
            }
        }
    }

    private sealed class Observed
    {
        public ContractRecord? Last { get; set; }
        public byte[]? LastBytes { get; set; }
        public int Accepted { get; set; }
    }
}
