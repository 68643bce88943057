using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Storage;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Sync;

/// <summary>
/// <c>ledger node sync-state</c>: a state sync (<see cref="StateSync"/>) into the empty data directory of the node a config
/// describes, from the nodes it would talk to — an observer's upstream, a validator's peers — calling them with its own
/// certificate over its transport. Then <c>ledger node --config</c> starts it from the synced height.
/// </summary>
public static class NodeStateSync
{
    public static async Task<StateSyncResult> RunAsync(NodeConfig config, ulong? height, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var genesisBytes = Read(config.Resolve(config.Genesis), "genesis");
        var genesis = GenesisDocument.FromJson(System.Text.Encoding.UTF8.GetString(genesisBytes));
        var certificate = LedgerCertificate.FromPem(System.Text.Encoding.UTF8.GetString(Read(config.Resolve(config.Certificate), "certificate")));
        if (certificate.Role is not (Role.Validator or Role.Observer))
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"{config.Name}'s certificate has the role {certificate.Role}; peers serve state only to validators and observers");
        using var key = NodeRuntime.LoadKey(config);
        if (key.PublicKey != certificate.PublicKey) throw new LedgerException(ErrorCode.InvalidCertificate, "the node's key does not match its certificate");
        var addresses = certificate.Role == Role.Observer ? config.Upstream.ToArray() : config.Peers.Select(p => p.Address).ToArray();
        if (addresses.Length == 0)
            throw new LedgerException(ErrorCode.MissingField, $"{config.Name}'s config names no {(certificate.Role == Role.Observer ? "upstream" : "peers")} to fetch the state from");

        using var transport = NodeTransport.From(config);
        var options = new LedgerClientOptions { Identity = new CallerIdentity(certificate, key), TransportCa = transport.Trust };
        var clients = addresses.Select(a => transport.PeerAddress(a).ToString().TrimEnd('/')).Select(a => (Address: a, Client: LedgerClient.Connect(a, options))).ToArray();
        try
        {
            using var kv = NodeRuntime.OpenStore(config);
            var store = new BlockStore(kv, Sm3Hasher.Instance);
            var peers = clients.Select(c => (IStateSyncPeer)new ClientStateSyncPeer(c.Address, c.Client)).ToArray();
            return await new StateSync(genesis, genesisBytes, peers, loggers.CreateLogger<StateSync>()).RunAsync(store, height, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (_, client) in clients) client.Dispose();
        }
    }

    private static byte[] Read(string path, string what) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new LedgerException(ErrorCode.MissingField, $"{what} file not found: {path}");
}
