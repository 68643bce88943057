using Ledger.Core;

namespace Ledger.Cli.Commands;

/// <summary>
/// The <c>ledger</c> executable: finds the subcommand and turns every failure into the exit codes of
/// ARCHITECTURE §2 — 0 ok, 1 a negative answer, 2 bad usage or input — with one line on stderr.
/// </summary>
public static class CommandLine
{
    private sealed record Command(string Name, string Synopsis, Func<Arguments, CliContext, int> Run, params string[] Flags);

    private static readonly Command[] Commands =
    [
        new("hash", "hash FILE                                   SM3 of a file (- for stdin), hex", FileCommands.Hash),
        new("key new", "key new --out KEYFILE [--passphrase-env VAR] [--kdf-iterations N]   new SM2 key in an encrypted key file", KeyCommands.New),
        new("key show", "key show KEYFILE [--pem]                    public key of a key file (no passphrase needed)", KeyCommands.Show, "pem"),
        new("sign", "sign --key KEYFILE --in FILE --out SIG [--id USERID] [--passphrase-env VAR]   SM2 signature (DER)", FileCommands.Sign, "allow-weak-kdf"),
        new("verify-signature", "verify-signature --pub PEM --in FILE --sig SIG [--id USERID]   exit 0 valid, 1 invalid", FileCommands.VerifySignature),
        new("node", "node --config FILE [--insecure]             run one validator (gRPC and /healthz, /metrics over TLS)", NodeCommands.Node, "insecure"),
        new("signer", "signer --config FILE [--insecure]           run a bureau's signer service (custodial keys, intent confirmation, audit)", SignerCommands.Signer, "insecure"),
        new("devnet", "devnet [--validators N] [--dir DIR] [--insecure]   set up (once) and run a local network in DIR (default ./devnet), TLS unless --insecure", NodeCommands.Devnet, "insecure"),
        new("explorer", "explorer --node URL [--urls URL] [--genesis FILE] [--tls-cert PEM --tls-key KEY] [--transport-ca PEM] [--insecure]   the block explorer (web pages + JSON API) over one node", ExplorerCommand.Run, "insecure"),
        new("bench", "bench [--dir DEVNET] [--node URL] [--transport-ca PEM] [--insecure] [--txs N] [--concurrency C] [--rate R]   load a devnet: tx/s, commit latency, ratio to the crypto bound", BenchCommand.Run, "insecure"),
        new("ca revoke", "ca revoke --ca-cert PEM --ca-key KEYFILE --cert PEM [--crl CURRENT] --out CRL [--valid-days N]   add a certificate to its CA's revocation list", CaCommands.Revoke, "allow-weak-kdf"),
        new("network init", "network init --preset devnet|guangdong --out DIR [--validators N] [--chain-id ID] [--base-port P]", NetworkCommands.Init, "force"),
        new("contract register", "contract register|sign|change|renew|dissolve|terminate|upload-paper --key KEYFILE --cert PEM ...   submit via the SDK (flags: ledger contract help)", ContractCommands.Register, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract sign", "contract sign --id ID --version N --document FILE|--document-hash SM3 [party keys]", ContractCommands.Sign, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract change", "contract change --id ID --base-version N DOCUMENT --format pdf|ofd TERMS [party keys]", ContractCommands.Change, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract renew", "contract renew --id ID --base-version N DOCUMENT --format pdf|ofd TERMS [party keys]", ContractCommands.Renew, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract dissolve", "contract dissolve --id ID --version N DOCUMENT --basis BASIS --effective DATE [party keys]", ContractCommands.Dissolve, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract terminate", "contract terminate --id ID --version N DOCUMENT --reason REASON --effective DATE [party keys]", ContractCommands.Terminate, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract upload-paper", "contract upload-paper --id ID DOCUMENT --format F ... TERMS --signed-on DATE [--attestation REF]", ContractCommands.UploadPaper, "allow-weak-kdf", "no-wait", "insecure"),
        new("contract show", "contract show [--node URL] ID                 a contract's record, versions and history", ContractCommands.Show, "insecure"),
        new("contract help", "contract help                               every flag of the contract commands", ContractCommands.Help),
        new("find", "find [--node URL] --hash SM3 | --file FILE   committed txs anchoring a document; exit 1 if none", FindCommands.Find, "insecure"),
        new("proof get", "proof get [--node URL] --tx TXID --out proof.json   fetch the evidence proof of a committed tx", ProofCommands.Get, "insecure"),
        new("proof verify", "proof verify proof.json --genesis genesis.json [--file F]   offline: exit 0 valid, 1 invalid, 2 unreadable", ProofCommands.Verify),
    ];

    public static int Run(string[] args) => Run(args, CliContext.FromConsole());

    public static int Run(string[] args, CliContext context)
    {
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                PrintUsage(context.Out);
                return args.Length == 0 ? ExitCode.BadInput : ExitCode.Ok;
            }
            var command = Commands.FirstOrDefault(c => Matches(c, args));
            if (command is null)
                throw new UsageException($"unknown command '{string.Join(' ', args.Take(2))}' (try: ledger help)");
            var words = command.Name.Split(' ').Length;
            var arguments = new Arguments(args.Skip(words), command.Flags);
            return command.Run(arguments, context);
        }
        catch (UsageException e)
        {
            return Fail(context, ExitCode.BadInput, e.Message);
        }
        catch (NegativeAnswerException e)
        {
            return Fail(context, ExitCode.Negative, e.Message);
        }
        catch (LedgerException e)
        {
            return Fail(context, ExitCode.BadInput, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, ExitCode.BadInput, e.Message);
        }
    }

    private static bool Matches(Command command, string[] args)
    {
        var words = command.Name.Split(' ');
        return args.Length >= words.Length && words.Select((w, i) => args[i] == w).All(x => x);
    }

    private static int Fail(CliContext context, int code, string message)
    {
        // One line: whatever the message, no stack trace and no line breaks reach the terminal.
        context.Error.WriteLine($"ledger: {message.ReplaceLineEndings(" ")}");
        return code;
    }

    private static void PrintUsage(TextWriter output)
    {
        output.WriteLine("ledger — a permissioned ledger for electronic labour contracts");
        output.WriteLine();
        foreach (var command in Commands) output.WriteLine($"  ledger {command.Synopsis}");
        output.WriteLine();
        output.WriteLine("Exit codes: 0 ok, 1 negative answer (not found, verification failed), 2 bad usage or input.");
    }
}
