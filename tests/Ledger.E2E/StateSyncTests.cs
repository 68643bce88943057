using Grpc.Core;
using Ledger.Client;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// State sync through real processes: while two validators commit, an observer that never ran joins with
/// <c>ledger node sync-state</c> at their head, starts, follows the blocks after, proves them, and refuses what lies below
/// its join with a typed code. The validators serve state-tree nodes only to validators and observers.
/// </summary>
[NonParallelizable]
public class StateSyncTests
{
    [Test]
    public async Task An_observer_joins_by_state_sync_follows_and_proves_the_blocks_after_and_refuses_the_history_before()
    {
        using var devnet = new DevnetFixture(validators: 2, observers: 1);
        var validators = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToList();
        try
        {
            for (var i = 0; i < validators.Count; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), validators[i]);
            using var atValidator = devnet.Connect(0);
            var before = await RegisterAsync(devnet, atValidator, 24);

            // Who may fetch state: not an anonymous caller, not an employer.
            using var anonymous = devnet.ConnectAnonymously(0);
            var unauthenticated = await Assert.ThrowsAsync<LedgerClientException>(() => anonymous.GetStateNodesAsync([Hash32.Zero]));
            Assert.That(unauthenticated!.Status, Is.EqualTo(StatusCode.Unauthenticated));
            using var employer = devnet.Connect(0, new Client.Access.CallerIdentity(devnet.Employer.Certificate!, devnet.Employer.Key));
            var denied = await Assert.ThrowsAsync<LedgerClientException>(() => employer.GetStateNodesAsync([Hash32.Zero]));
            Assert.That(denied!.Status, Is.EqualTo(StatusCode.PermissionDenied));

            // An observer may: a node it does not hold is answered empty; a call asking too many or none is malformed.
            using var asObserver = devnet.Connect(0, devnet.Observer);
            Assert.That(await asObserver.GetStateNodesAsync([Hash32.Zero]), Is.EqualTo(new byte[]?[] { null }));
            var tooMany = await Assert.ThrowsAsync<LedgerClientException>(() => asObserver.GetStateNodesAsync(Enumerable.Repeat(Hash32.Zero, 4097).ToArray()));
            Assert.That(tooMany!.Status, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(tooMany.Message, Does.Contain("at most 4096"));
            var none = await Assert.ThrowsAsync<LedgerClientException>(() => asObserver.GetStateNodesAsync([]));
            Assert.That(none!.Status, Is.EqualTo(StatusCode.InvalidArgument));

            // Submissions go on while the observer syncs: it joins at whatever certified head it finds.
            var during = Task.Run(() => RegisterAsync(devnet, atValidator, 12));
            var (exit, output) = LedgerProcess.Run("node", "sync-state", "--config", devnet.ObserverConfig());
            Assert.That(exit, Is.EqualTo(0), output);
            Assert.That(output, Does.Contain("synced observer-1 to height"));
            var joinedAt = ulong.Parse(System.Text.RegularExpressions.Regex.Match(output, @"to height (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await during;

            // A second sync into the now filled directory is refused in one line.
            var (again, againOutput) = LedgerProcess.Run("node", "sync-state", "--config", devnet.ObserverConfig());
            Assert.That(again, Is.Not.EqualTo(0));
            Assert.That(againOutput.Trim().Split('\n'), Has.Length.EqualTo(1), againOutput);
            Assert.That(againOutput, Does.Contain("empty"));

            using var observer = LedgerProcess.Start("node", "--config", devnet.ObserverConfig());
            await devnet.WaitHealthyAsync(devnet.ObserverHttpAddress(), TimeSpan.FromSeconds(60), observer);
            using var atObserver = LedgerClient.Connect(devnet.ObserverGrpcAddress().ToString(), new LedgerClientOptions { TransportCa = devnet.Transport.Trust, Identity = devnet.Observer });

            // It follows: what is committed after its join reaches it, and its head is the validators' chain.
            var after = await RegisterAsync(devnet, atValidator, 6);
            foreach (var txId in after)
            {
                var committed = await atObserver.WaitForCommitAsync(txId, TimeSpan.FromSeconds(60));
                Assert.That(committed.Succeeded, Is.True, committed.Receipt.Message);
                Assert.That(committed.Height, Is.GreaterThan(joinedAt));
            }
            var info = await atObserver.GetChainInfoAsync();
            Assert.That(info.HistoryFrom, Is.EqualTo(joinedAt));
            var mine = await atObserver.GetBlockHeaderAsync(info.Height);
            var theirs = await atValidator.GetBlockHeaderAsync(info.Height);
            Assert.That(mine!.ComputeHash(Sm3Hasher.Instance), Is.EqualTo(theirs!.ComputeHash(Sm3Hasher.Instance)));

            // Its proof of a tx after the join verifies offline against genesis.
            var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(devnet.Directory.FullName, "genesis.json")));
            var proof = (await atObserver.GetEvidenceAsync(after[^1]))!;
            var report = EvidenceVerifier.Verify(proof, genesis);
            Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());

            // Below the join: typed, not "not found", not a crash.
            var notHeld = await Assert.ThrowsAsync<LedgerClientException>(() => atObserver.GetBlockAsync(1));
            Assert.That(notHeld!.Status, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(notHeld.Code, Is.EqualTo(ErrorCode.HistoryNotHeld));
            Assert.That(await atObserver.GetTransactionAsync(before[0]), Is.Null, "a tx before the join is not held here");
            var watch = await Assert.ThrowsAsync<LedgerClientException>(async () =>
            {
                await foreach (var _ in atObserver.WatchBlockHeadersAsync(0)) break;
            });
            Assert.That(watch!.Code, Is.EqualTo(ErrorCode.HistoryNotHeld), "a watch from below the join is refused, not left hanging");
            Assert.That(observer.HasExited, Is.False);
        }
        finally
        {
            foreach (var validator in validators) validator.Dispose();
        }
    }

    private static async Task<List<Hash32>> RegisterAsync(DevnetFixture devnet, LedgerClient client, int count, CancellationToken cancellationToken = default)
    {
        var txs = new List<Hash32>();
        for (var i = 0; i < count; i++)
        {
            var (envelope, _) = devnet.NewRegistration();
            txs.Add(await client.SubmitAsync(envelope, cancellationToken));
        }
        foreach (var txId in txs)
            Assert.That((await client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(60), cancellationToken)).Succeeded, Is.True);
        return txs;
    }
}
