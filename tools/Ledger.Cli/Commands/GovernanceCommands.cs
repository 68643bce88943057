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
/// certificate), proposes to add, replace or remove a validator, or to add, renew or retire a city CA, from a stated height,
/// or votes on a proposal. Each is a tx signed with the validator's key; the chain counts the votes of the set deciding each
/// vote's height (docs/operations.md, "Changing the validator set" and "Changing the city CAs").
/// </summary>
public static class GovernanceCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        yield return new Command("governance", "validator-set and city-CA changes by vote of the validators: propose, vote") { Propose(context), Vote(context) };
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
        var addCa = CliOptions.Optional("--add-ca", "PEM", "add a city CA (its certificate, issued by the genesis root) for a division no CA of the chain serves");
        var renewCa = CliOptions.Optional("--renew-ca", "PEM", "a city CA's successor (new key, same division; both issue from the height on): with --predecessor");
        var predecessor = CliOptions.Optional("--predecessor", "PEM", "with --renew-ca: the certificate of the CA it succeeds");
        var retireCa = CliOptions.Optional("--retire-ca", "PEM", "retire the city CA of this certificate: no tx endorsed under it is accepted from the height on");
        var parameter = CliOptions.Optional("--parameter", "NAME=VALUE",
            $"change a chain parameter from the height on: {string.Join(", ", ChainParameter.Bounds.Keys)} (protocolVersion: only the next version)");
        var at = new Option<ulong>("--at") { HelpName = "HEIGHT", Required = true, Description = "the first height the change applies to (at least the genesis activation delay ahead)" };
        var wait = CliOptions.Int("--wait", "SECONDS", 30, 1, 300, "how long to await the commit");
        var node = new NodeOptions();
        var propose = new Command("propose", "propose a change of the validator set or the city CAs; the proposal counts as this validator's approval, and prints its id for the others' votes")
            { config, add, validatorCert, remove, replace, addCa, renewCa, predecessor, retireCa, parameter, at, wait };
        node.AddTo(propose);
        propose.SetAction(p =>
        {
            var name = p.GetValue(add);
            var addedPem = p.GetValue(validatorCert);
            var removedPem = p.GetValue(remove);
            var replaced = p.GetValue(replace);
            var caModes = new[] { p.GetValue(addCa), p.GetValue(renewCa), p.GetValue(retireCa) }.Count(v => v is not null);
            var validatorModes = new[] { name, removedPem, replaced }.Count(v => v is not null);
            var parameterModes = p.GetValue(parameter) is null ? 0 : 1;
            if (caModes + validatorModes + parameterModes != 1)
                throw new UsageException("give one of --add NAME --validator-cert PEM, --replace NAME --validator-cert PEM, --remove PEM, --add-ca PEM, --renew-ca PEM --predecessor PEM, --retire-ca PEM, or --parameter NAME=VALUE");
            if (validatorModes == 0 && addedPem is not null) throw new UsageException("--validator-cert goes with --add or --replace");
            if (p.GetValue(predecessor) is not null && p.GetValue(renewCa) is null) throw new UsageException("--predecessor goes with --renew-ca");
            Func<string, ulong, long, Hash32, Core.Transactions.TxBody> body = caModes == 1
                ? AuthorityChange(p.GetValue(addCa), p.GetValue(renewCa), p.GetValue(predecessor), p.GetValue(retireCa), p.GetValue(at)).CreateBody
                : parameterModes == 1 ? ParameterChange(p.GetValue(parameter)!, p.GetValue(at)).CreateBody
                : ValidatorChange(name, replaced, removedPem, addedPem, p.GetValue(at)).CreateBody;
            var (id, receipt, height) = Submit(p, config, node, wait, context, body);
            context.Out.WriteLine($"proposal {id}");
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed at height {height}: {(receipt.Length > 0 ? receipt : "open, awaiting the other validators' votes")}"));
            return ExitCode.Ok;
        });
        return propose;
    }

    /// <summary>The validator change the options name, checked as the chain would decode it.</summary>
    private static ProposeValidatorChangePayload ValidatorChange(string? added, string? replaced, string? removedPem, string? certificatePem, ulong at)
    {
        ProposeValidatorChangePayload change;
        if (removedPem is not null)
        {
            if (certificatePem is not null) throw new UsageException("--remove names the leaving validator's certificate; --validator-cert goes with --add or --replace");
            change = new ProposeValidatorChangePayload
            {
                Change = Core.Governance.ValidatorChange.Remove,
                Validator = LedgerCertificate.FromPem(FileCommands.ReadText(removedPem)).Id,
                EffectiveHeight = at,
            };
        }
        else
        {
            var option = added is not null ? "--add" : "--replace";
            if (certificatePem is null) throw new UsageException($"{option} needs --validator-cert: the validator's {(added is not null ? "" : "new ")}certificate");
            change = new ProposeValidatorChangePayload
            {
                Change = added is not null ? Core.Governance.ValidatorChange.Add : Core.Governance.ValidatorChange.Replace,
                Name = added ?? replaced,
                Certificate = LedgerCertificate.FromPem(FileCommands.ReadText(certificatePem)).Der,
                EffectiveHeight = at,
            };
        }
        // The payload's own checks, here rather than as a refusal from the node.
        return ProposeValidatorChangePayload.Decode(change.Encode());
    }

    /// <summary>The CA change the options name, checked as the chain would decode it.</summary>
    private static ProposeAuthorityChangePayload AuthorityChange(string? addPem, string? renewPem, string? predecessorPem, string? retirePem, ulong at)
    {
        ProposeAuthorityChangePayload change;
        if (retirePem is not null)
        {
            change = new() { Change = Core.Governance.AuthorityChange.Retire, Authority = LedgerCertificate.FromPem(FileCommands.ReadText(retirePem)).Id, EffectiveHeight = at };
        }
        else if (renewPem is not null)
        {
            if (predecessorPem is null) throw new UsageException("--renew-ca needs --predecessor: the certificate of the CA it succeeds");
            change = new()
            {
                Change = Core.Governance.AuthorityChange.Renew,
                Certificate = LedgerCertificate.FromPem(FileCommands.ReadText(renewPem)).Der,
                Authority = LedgerCertificate.FromPem(FileCommands.ReadText(predecessorPem)).Id,
                EffectiveHeight = at,
            };
        }
        else
        {
            change = new() { Change = Core.Governance.AuthorityChange.Add, Certificate = LedgerCertificate.FromPem(FileCommands.ReadText(addPem!)).Der, EffectiveHeight = at };
        }
        var certificate = change.Certificate.IsEmpty ? null : LedgerCertificate.FromDer(change.Certificate.ToArray());
        if (certificate is not null && certificate.Role != Core.Identity.Role.IntermediateCa)
            throw new UsageException($"{(renewPem is not null ? "--renew-ca" : "--add-ca")}: {certificate.Subject} is not a city CA certificate (role {certificate.Role})");
        return ProposeAuthorityChangePayload.Decode(change.Encode());
    }

    /// <summary>The parameter change NAME=VALUE names, checked as the chain would decode it (a known name, a value in bounds).</summary>
    private static ProposeParameterChangePayload ParameterChange(string assignment, ulong at)
    {
        var split = assignment.Split('=', 2);
        if (split.Length != 2 || !ulong.TryParse(split[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new UsageException($"--parameter: '{assignment}' is not NAME=VALUE with a whole number");
        try
        {
            return ProposeParameterChangePayload.Decode(new ProposeParameterChangePayload { Parameter = split[0], Value = value, EffectiveHeight = at }.Encode());
        }
        catch (LedgerException e)
        {
            throw new UsageException($"--parameter: {e.Message}");
        }
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
