namespace Ledger.Cli.Setup;

/// <summary>Where <c>ledger network init</c> puts things inside the network directory.</summary>
public static class NetworkLayout
{
    public const string Genesis = "genesis.json";
    public const string Passphrase = "passphrase";
    public const string CaDirectory = "ca";
    public const string NodesDirectory = "nodes";
    public const string NodeConfig = "config.json";
    public const string NodeKey = "node.key";
    public const string NodeCertificate = "node.pem";
    public const string IssuerCertificate = "issuer.pem";
    public const string RootCertificate = "root.pem";
    public const string RootKey = "root.key";
    public const string SignersDirectory = "signers";
    public const string SignerConfig = "config.json";
    public const string SignerKey = "signer.key";
    public const string SignerCertificate = "signer.pem";
    public const string SignerKek = "kek";

    /// <summary>
    /// ca-services/&lt;city&gt;/: the CA process of the signer's city (<c>ledger ca serve --config</c>): config.json, its TLS
    /// certificate and key, data/issued.log. It holds the city CA's key; the signer reaches it over mutual TLS.
    /// </summary>
    public const string CaServicesDirectory = "ca-services";
    public const string CaServiceConfig = "config.json";

    /// <summary>
    /// operators/&lt;city&gt;/: one bureau operator per city CA — an Operator certificate from that city's CA and its key, with
    /// which the operator authorises enrolments and signs the signer's Enrol and bureau audit reads. A devnet shortcut: a real
    /// bureau's operators make their own keys and get their certificates by CSR (ledger ca csr, ledger ca issue --role operator).
    /// </summary>
    public const string OperatorsDirectory = "operators";
    public const string OperatorKey = "operator.key";
    public const string OperatorCertificate = "operator.pem";

    /// <summary>The province's worker-pseudonym key (64 hex digits) in the CA directory: never on chain, never in an internet-facing process's own folder.</summary>
    public const string PseudonymKey = "pseudonym.key";

    /// <summary>The consortium's transport CA certificate (ECDSA P-256): what every client and peer pins for TLS.</summary>
    public const string TransportCa = "transport-ca.pem";

    /// <summary>ca/transport-ca.key: its key, encrypted under the network's passphrase.</summary>
    public const string TransportCaKey = "transport-ca.key";

    /// <summary>Each service's TLS certificate and key (0600) from the transport CA, beside its config.</summary>
    public const string TlsCertificate = "tls.pem";
    public const string TlsKey = "tls.key";

    /// <summary>observers/observer-N/: an observer node (devnet): its key, its Observer certificate, TLS and config.json.</summary>
    public const string ObserversDirectory = "observers";

    /// <summary>explorer/: the explorer's TLS certificate and key, and its operator's SM2 identity (an Observer certificate) for signed calls.</summary>
    public const string ExplorerDirectory = "explorer";
    public const string ExplorerKey = "explorer.key";
    public const string ExplorerCertificate = "explorer.pem";

    /// <summary>explorer/accounts.json: the explorer's staff accounts (ledger explorer account add), absent until one is added.</summary>
    public const string ExplorerAccounts = "accounts.json";

    public const string IdentitiesDirectory = "identities";
    public const string EmployerKey = "employer.key";
    public const string EmployerCertificate = "employer.pem";
    public const string WorkerKey = "worker.key";
    public const string WorkerCertificate = "worker.pem";
    public const string WorkerPseudonym = "worker.pseudonym";
}
