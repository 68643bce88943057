using System.CommandLine;
using System.Globalization;
using Ledger.Core;
using Ledger.Core.Governance;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;
using Ledger.Node.Hosting;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger governance propose|vote</c>: a validator's operator, on its machine (the node's config names its key and
/// certificate), proposes to add or remove a validator from a stated height, or votes on a proposal. Each is a tx signed
/// with the validator's key; the chain counts the votes of the set deciding each vote's height (docs/operations.md,
/// "Changing the validator set").
/// </summary>
public static class GovernanceCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        yield return new Command("governance", "validator-set changes by vote of the validators: propose, vote") { Propose(context), Vote(context) };
    }

    private static Option<string> ConfigOption() =>
        CliOptions.Required("--config", "FILE", "this validator's node config (its key, certificate and passphrase submit and sign the tx)");

    private static Command Propose(CliContext context)
    {
        var config = ConfigOption();
        var add = CliOptions.Optional("--add", "NAME", "add a validator under this name (the name its peers and its transport certificate use); with --validator-cert");
        var validatorCert = CliOptions.Optional("--validator-cert", "PEM", "the added validator's certificate (role validator, issued under the genesis root)");
        var remove = CliOptions.Optional("--remove", "PEM", "remove the validator holding this certificate");
        var replace = CliOptions.Optional("--replace", "NAME", "give the validator of this name a new certificate (renewal before expiry, or a new key): with --validator-cert");
        var at = new Option<ulong>("--at") { HelpName = "HEIGHT", Required = true, Description = "the first height the changed set decides (at least the genesis activation delay ahead)" };
        var wait = CliOptions.Int("--wait", "SECONDS", 30, 1, 300, "how long to await the commit");
        var node = new NodeOptions();
        var propose = new Command("propose", "propose a change of the validator set; the proposal counts as this validator's approval, and prints its id for the others' votes")
            { config, add, validatorCert, remove, replace, at, wait };
        node.AddTo(propose);
        propose.SetAction(p =>
        {
            var name = p.GetValue(add);
            var addedPem = p.GetValue(validatorCert);
            var removedPem = p.GetValue(remove);
            var replaced = p.GetValue(replace);
            ProposeValidatorChangePayload change;
            if (replaced is not null && name is null && removedPem is null)
            {
                if (addedPem is null) throw new UsageException("--replace needs --validator-cert: the validator's new certificate");
                change = new ProposeValidatorChangePayload
                {
                    Change = ValidatorChange.Replace,
                    Name = replaced,
                    Certificate = LedgerCertificate.FromPem(FileCommands.ReadText(addedPem)).Der,
                    EffectiveHeight = p.GetValue(at),
                };
            }
            else if (name is not null && removedPem is null && replaced is null)
            {
                if (addedPem is null) throw new UsageException("--add needs --validator-cert: the added validator's certificate");
                change = new ProposeValidatorChangePayload
                {
                    Change = ValidatorChange.Add,
                    Name = name,
                    Certificate = LedgerCertificate.FromPem(FileCommands.ReadText(addedPem)).Der,
                    EffectiveHeight = p.GetValue(at),
                };
            }
            else if (removedPem is not null && name is null && addedPem is null && replaced is null)
            {
                change = new ProposeValidatorChangePayload
                {
                    Change = ValidatorChange.Remove,
                    Validator = LedgerCertificate.FromPem(FileCommands.ReadText(removedPem)).Id,
                    EffectiveHeight = p.GetValue(at),
                };
            }
            else
            {
                throw new UsageException("give one of --add NAME --validator-cert PEM, --replace NAME --validator-cert PEM, or --remove PEM");
            }
            // The payload's own checks, here rather than as a refusal from the node.
            ProposeValidatorChangePayload.Decode(change.Encode());
            var (id, receipt, height) = Submit(p, config, node, wait, context, (chainId, nonce, expires, submitter) => change.CreateBody(chainId, nonce, expires, submitter));
            context.Out.WriteLine($"proposal {id}");
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed at height {height}: {(receipt.Length > 0 ? receipt : "open, awaiting the other validators' votes")}"));
            return ExitCode.Ok;
        });
        return propose;
    }

    private static Command Vote(CliContext context)
    {
        var config = ConfigOption();
        var proposal = CliOptions.Required("--proposal", "ID", "the proposal's id (its tx id, as propose printed it)");
        var approve = CliOptions.Flag("--approve", "approve the change");
        var reject = CliOptions.Flag("--reject", "refuse the change");
        var wait = CliOptions.Int("--wait", "SECONDS", 30, 1, 300, "how long to await the commit");
        var node = new NodeOptions();
        var vote = new Command("vote", "vote on a proposal with this validator's key: exit 0 once the vote is counted, 1 if the chain refused it")
            { config, proposal, approve, reject, wait };
        node.AddTo(vote);
        vote.SetAction(p =>
        {
            if (p.GetValue(approve) == p.GetValue(reject)) throw new UsageException("give one of --approve or --reject");
            if (!Hash32.TryParse(p.GetValue(proposal)!, out var id)) throw new UsageException("--proposal: a proposal id is 64 hex digits");
            var payload = new GovernanceVotePayload { Proposal = id, Approve = p.GetValue(approve) };
            var (_, receipt, height) = Submit(p, config, node, wait, context, payload.CreateBody);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vote counted at height {height}: {(receipt.Length > 0 ? receipt : "the proposal is still open")}"));
            return ExitCode.Ok;
        });
        return vote;
    }

    /// <summary>Signs the body with the validator's key, submits it, awaits the commit; a refusal in the receipt is a negative answer (exit 1).</summary>
    private static (Hash32 TxId, string Message, ulong Height) Submit(ParseResult p, Option<string> configOption, NodeOptions node, Option<int> wait, CliContext context,
        Func<string, ulong, long, Hash32, Core.Transactions.TxBody> body)
    {
        var config = NodeConfig.Load(p.GetValue(configOption)!);
        var certificate = LedgerCertificate.FromPem(FileCommands.ReadText(config.Resolve(config.Certificate)));
        using var key = NodeRuntime.LoadKey(config);
        if (key.PublicKey != certificate.PublicKey) throw new UsageException($"{config.Name}: the key does not match the certificate");
        var url = node.Read(p, context);
        var chainId = ContractCommands.WithNode(url, c => c.GetChainInfoAsync()).ChainId;
        var tx = body(chainId, Client.TransactionBuilder.NewNonce(), DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), certificate.Id);
        var envelope = Client.TransactionBuilder.SignedBySubmitter(tx, certificate, key);
        var txId = ContractCommands.WithNode(url, c => c.SubmitAsync(envelope));
        var identity = new Client.Access.CallerIdentity(certificate, key);
        var committed = ContractCommands.WithNode(url, c => c.WaitForCommitAsync(txId, TimeSpan.FromSeconds(p.GetValue(wait))), identity);
        if (!committed.Succeeded)
            throw new NegativeAnswerException($"tx {txId} committed at height {committed.Height} but refused: {committed.Receipt.Code}: {committed.Receipt.Message}");
        return (txId, committed.Receipt.Message, committed.Height);
    }
}
