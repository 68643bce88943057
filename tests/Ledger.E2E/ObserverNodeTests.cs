using Grpc.Core;
using Ledger.Client;
using Ledger.Core;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// An observer node through real processes (network init --observers): it follows two validators block by block, holds
/// the same chain, serves reads from its own copy under the same access rules, forwards a submission to a validator and
/// answers its commit; with the validators gone it still serves what it holds and refuses submissions as unavailable.
/// </summary>
[NonParallelizable]
public class ObserverNodeTests
{
    [Test]
    public async Task An_observer_follows_the_validators_serves_reads_and_forwards_submissions()
    {
        using var devnet = new DevnetFixture(validators: 2, observers: 1);
        var validators = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToList();
        using var observer = LedgerProcess.Start("node", "--config", devnet.ObserverConfig());
        try
        {
            for (var i = 0; i < validators.Count; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), validators[i]);
            await devnet.WaitHealthyAsync(devnet.ObserverHttpAddress(), TimeSpan.FromSeconds(60), observer);
            Assert.That(observer.Output, Does.Contain("never votes"));

            using var atObserver = LedgerClient.Connect(devnet.ObserverGrpcAddress().ToString(), new LedgerClientOptions { TransportCa = devnet.Transport.Trust, Identity = devnet.Observer });
            using var atValidator = devnet.Connect(0);

            // Submitted at the observer: forwarded to a validator, committed, and seen at the observer once it followed.
            var contracts = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                var (envelope, contractId) = devnet.NewRegistration();
                var txId = await atObserver.SubmitAsync(envelope);
                var committed = await atObserver.WaitForCommitAsync(txId, TimeSpan.FromSeconds(60));
                Assert.That(committed.Succeeded, Is.True, committed.Receipt.Message);
                contracts.Add(contractId);
            }
            // One submitted at a validator directly reaches the observer too.
            var (direct, directId) = devnet.NewRegistration();
            var directTx = await atValidator.SubmitAsync(direct);
            Assert.That((await atObserver.WaitForCommitAsync(directTx, TimeSpan.FromSeconds(60))).Succeeded, Is.True);
            contracts.Add(directId);

            // The same chain: every header the observer holds is the validator's.
            var height = (await atObserver.GetChainInfoAsync()).Height;
            for (ulong h = 1; h <= height; h++)
            {
                var mine = await atObserver.GetBlockHeaderAsync(h);
                var theirs = await atValidator.GetBlockHeaderAsync(h);
                Assert.That(mine!.ComputeHash(Ledger.Crypto.Sm3Hasher.Instance), Is.EqualTo(theirs!.ComputeHash(Ledger.Crypto.Sm3Hasher.Instance)), $"height {h}");
            }

            // Reads follow the same rules at the observer: the employer reads its contract; a stranger is refused.
            using var employerAtObserver = LedgerClient.Connect(devnet.ObserverGrpcAddress().ToString(),
                new LedgerClientOptions { TransportCa = devnet.Transport.Trust, Identity = new Client.Access.CallerIdentity(devnet.Employer.Certificate!, devnet.Employer.Key) });
            Assert.That((await employerAtObserver.GetContractAsync(contracts[0]))!.Record.ContractId, Is.EqualTo(contracts[0]));
            using var anonymous = LedgerClient.Connect(devnet.ObserverGrpcAddress().ToString(), new LedgerClientOptions { TransportCa = devnet.Transport.Trust });
            var refused = await Assert.ThrowsAsync<LedgerClientException>(() => anonymous.GetContractAsync(contracts[0]));
            Assert.That(refused!.Status, Is.EqualTo(StatusCode.Unauthenticated));

            // Without its validators the observer still serves what it holds, and says submissions cannot go through.
            foreach (var validator in validators) validator.Kill();
            Assert.That((await employerAtObserver.GetContractAsync(contracts[^1]))!.Record.ContractId, Is.EqualTo(contracts[^1]));
            var (late, _) = devnet.NewRegistration();
            var unavailable = await Assert.ThrowsAsync<LedgerClientException>(() => atObserver.SubmitAsync(late));
            Assert.That(unavailable!.Status, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(unavailable.Code, Is.EqualTo(ErrorCode.UpstreamUnavailable));
            Assert.That(observer.HasExited, Is.False, "the observer keeps running and retries its upstream");
        }
        finally
        {
            foreach (var validator in validators) validator.Dispose();
        }
    }
}
