using System.CommandLine;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger access ...</c>: a worker's list of every recorded access to their contracts, a worker's consent for one
/// reader, an employer's delegation to an integrator, and revoking either. Each is a signed call (--cert, --key).
/// </summary>
public static class AccessCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var access = new Command("access", "who read your contracts, and who may: access log, consent, delegation, revocation");
        {
            var node = new NodeOptions();
            var caller = new CallerOptions(required: true);
            var contract = CliOptions.Optional("--contract", "ID", "only this contract's accesses");
            var log = new Command("log", "every recorded access to your contracts (court and arbitration reads, inspections, reads with your consent)") { contract };
            node.AddTo(log);
            foreach (var option in caller.All) log.Add(option);
            log.SetAction(p => Log(node.Read(p, context), p.GetValue(contract), caller.Identity(p, context)!, context));
            access.Add(log);
        }
        {
            var node = new NodeOptions();
            var caller = new CallerOptions(required: true);
            var contract = CliOptions.ContractId("--contract", "the contract the reader may read");
            var grantee = CliOptions.Required("--grantee-cert", "PEM", "the reader's certificate (a bank, a new employer)");
            var purpose = CliOptions.Required("--purpose", "TEXT", "why the reader may read it (no names or id numbers)");
            var days = CliOptions.Int("--days", "N", 30, 1, 366, "how long the consent stands");
            var consent = new Command("consent", "a worker lets one reader read one contract, for a purpose, until an expiry") { contract, grantee, purpose, days };
            node.AddTo(consent);
            foreach (var option in caller.All) consent.Add(option);
            consent.SetAction(p => Grant(node.Read(p, context), caller.Identity(p, context)!, Certificate(p.GetValue(grantee)!), GrantKind.WorkerConsent,
                p.GetValue(contract)!, p.GetValue(purpose)!, p.GetValue(days), context));
            access.Add(consent);
        }
        {
            var node = new NodeOptions();
            var caller = new CallerOptions(required: true);
            var integrator = CliOptions.Required("--integrator-cert", "PEM", "the integrator's certificate");
            var days = CliOptions.Int("--days", "N", 365, 1, 3660, "how long the delegation stands");
            var delegate_ = new Command("delegate", "an employer lets an integrator read the contracts of its credit code") { integrator, days };
            node.AddTo(delegate_);
            foreach (var option in caller.All) delegate_.Add(option);
            delegate_.SetAction(p => Grant(node.Read(p, context), caller.Identity(p, context)!, Certificate(p.GetValue(integrator)!), GrantKind.IntegratorDelegation,
                "", "integrator", p.GetValue(days), context));
            access.Add(delegate_);
        }
        {
            var node = new NodeOptions();
            var caller = new CallerOptions(required: true);
            var grant = CliOptions.Hash("--grant", "the consent or delegation to end (its id)", required: true);
            var revoke = new Command("revoke", "the grantor ends a consent or a delegation") { grant };
            node.AddTo(revoke);
            foreach (var option in caller.All) revoke.Add(option);
            revoke.SetAction(p => Revoke(node.Read(p, context), caller.Identity(p, context)!, p.GetValue(grant)!.Value, context));
            access.Add(revoke);
        }
        yield return access;
    }

    private static int Log(NodeTarget node, string? contract, CallerIdentity identity, CliContext context)
    {
        var records = ContractCommands.WithNode(node, c => c.ListAccessRecordsAsync(contract), identity);
        if (records.Count == 0)
        {
            context.Out.WriteLine(contract is null ? "no recorded access to your contracts" : $"no recorded access to contract {contract}");
            return ExitCode.Ok;
        }
        foreach (var r in records)
        {
            var time = DateTimeOffset.FromUnixTimeMilliseconds(r.BlockTime).ToOffset(TimeSpan.FromHours(8));
            var why = r.Basis == Proto.V1.AccessBasis.WorkerConsent ? $"your consent {Convert.ToHexStringLower(r.GrantId.Span)}" : $"{r.Basis} {r.Reference}";
            var behalf = string.IsNullOrEmpty(r.OnBehalfOf) ? "" : $" for {r.OnBehalfOf}";
            context.Out.WriteLine($"{time:yyyy-MM-dd HH:mm:ss} {r.ContractId} read by {r.AccessorRole} {r.AccessorName}{behalf}: {why} (height {r.Height}, tx {Convert.ToHexStringLower(r.TxId.Span)})");
        }
        return ExitCode.Ok;
    }

    private static int Grant(NodeTarget node, CallerIdentity identity, LedgerCertificate grantee, GrantKind kind, string contract, string purpose, int days, CliContext context)
    {
        var grant = new AccessGrantPayload
        {
            Kind = kind,
            ContractId = contract,
            Grantee = grantee.Id,
            Purpose = purpose,
            NotAfter = DateTimeOffset.UtcNow.AddDays(days).ToUnixTimeMilliseconds(),
        };
        var id = ContractCommands.WithNode(node, c => c.SubmitAccessAsync((chain, who) => AccessTransactions.Grant(chain, grant, who), TimeSpan.FromSeconds(30)), identity);
        context.Out.WriteLine(kind == GrantKind.WorkerConsent
            ? $"consent {id}: {grantee.CommonName} may read {contract} for {days} days; give them this id; revoke it with: ledger access revoke --grant {id}"
            : $"delegation {id}: {grantee.CommonName} may read your contracts for {days} days");
        return ExitCode.Ok;
    }

    private static int Revoke(NodeTarget node, CallerIdentity identity, Hash32 grantId, CliContext context)
    {
        var revocation = new GrantRevocationPayload { GrantId = grantId };
        var id = ContractCommands.WithNode(node, c => c.SubmitAccessAsync((chain, who) => AccessTransactions.Revoke(chain, revocation, who), TimeSpan.FromSeconds(30)), identity);
        context.Out.WriteLine($"revoked {grantId} (tx {id})");
        return ExitCode.Ok;
    }

    private static LedgerCertificate Certificate(string path) => LedgerCertificate.FromPem(FileCommands.ReadText(path));
}
