using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger contract upload-paper-batch --manifest FILE</c>: a Bureau anchors up to 100,000 paper documents at once. The
/// manifest is read and checked whole first (a bad line: one line naming it, exit 2, nothing submitted); then the parts
/// go to the node, then the seal. Progress is kept in <c>FILE.batch-state.json</c> after every committed part, so a run
/// killed half way resumes where it stopped; and the chain itself refuses a part or seal it already has, so a re-run
/// never anchors a document twice.
/// </summary>
internal static class PaperBatchCommand
{
    /// <summary>Parts in flight at once: enough to fill a block while the node checks them.</summary>
    private const int Window = 48;

    public static Command Create(CliContext context)
    {
        var manifest = CliOptions.Required("--manifest", "FILE", "CSV (document,contract_id,grade) or JSON lines; document = SM3 hex or a file path");
        var key = CliOptions.Required("--key", "KEYFILE", "the Bureau's key file (signs every tx of the batch)");
        var cert = CliOptions.Required("--cert", "PEM", "the Bureau's certificate");
        var passphrase = CliOptions.PassphraseEnv(what: "the key file's passphrase");
        var wait = CliOptions.Int("--wait", "SECONDS", 120, 1, 3600, "how long to await each commit");
        var allowWeak = CliOptions.AllowWeakKdf();
        var node = new NodeOptions();
        var command = new Command("upload-paper-batch", "anchor a batch of up to 100,000 paper contracts (a Bureau): parts of 1,024 documents, then one seal of their Merkle root; resumable")
            { manifest, key, cert, passphrase, wait, allowWeak };
        node.AddTo(command);
        command.SetAction(p => Run(context, node.Read(p, context), p.GetValue(manifest)!, p.GetValue(key)!, p.GetValue(cert)!, p.GetValue(passphrase),
            TimeSpan.FromSeconds(p.GetValue(wait)), p.GetValue(allowWeak)));
        return command;
    }

    private static int Run(CliContext context, NodeTarget node, string manifestPath, string keyPath, string certPath, string? passphraseVariable, TimeSpan wait, bool allowWeak)
    {
        var clock = Stopwatch.StartNew();
        var (leaves, digest) = PaperBatchManifest.Read(manifestPath);
        PaperBatchPlan plan;
        try
        {
            plan = PaperBatchPlan.Create(leaves, digest);
        }
        catch (LedgerException e)
        {
            throw new UsageException($"manifest {manifestPath}: {e.Message}");
        }
        var statePath = manifestPath + ".batch-state.json";
        var state = BatchState.Load(statePath, plan);
        var certificate = LedgerCertificate.FromPem(FileCommands.ReadText(certPath));
        using var key = KeyFile.Load(keyPath, context.Passphrase(passphraseVariable), new KeyFileOptions { AllowWeakIterations = allowWeak });
        var caller = new CallerIdentity(certificate, key);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch {plan.Root}: {plan.Leaves.Count} documents in {plan.PartCount} parts, manifest SM3 {digest}{(state.Parts.Count > 0 ? $", resuming: {state.Parts.Count} parts already on chain" : "")}"));

        using var client = node.Connect(new LedgerClientOptions { Identity = caller });
        var chainId = Call(node, () => client.GetChainInfoAsync()).ChainId;
        var prepared = clock.Elapsed;
        var pending = Enumerable.Range(0, plan.PartCount).Where(i => !state.Parts.Contains(i)).ToList();
        // Parts go in concurrently (the node journals concurrent submissions with one fsync), at most Window at once;
        // each is recorded as soon as its commit is known, so a kill loses at most the parts in flight.
        var progress = new Lock();
        using var window = new SemaphoreSlim(Window);
        var tasks = pending.Select(async part =>
        {
            await window.WaitAsync().ConfigureAwait(false);
            try
            {
                var envelope = PaperBatchPlan.Sign(plan.Part(part), chainId, certificate, key);
                var txId = await CallAsync(node, () => client.SubmitAsync(envelope)).ConfigureAwait(false);
                var committed = await CallAsync(node, () => client.WaitForCommitAsync(txId, wait)).ConfigureAwait(false);
                // Already on chain (an earlier run's tx committed after it was killed), or the batch already sealed: the part is there, once.
                if (committed.Receipt.Code is not (ErrorCode.Ok or ErrorCode.PaperBatchPartExists or ErrorCode.PaperBatchSealed))
                    throw new NegativeAnswerException($"part {part} (tx {txId}) refused by the chaincode: {committed.Receipt.Code}: {committed.Receipt.Message}");
                lock (progress)
                {
                    state.Parts.Add(part);
                    state.Save(statePath);
                    var documents = state.Parts.Sum(p => UploadPaperBatchPayload.PartLength(plan.Leaves.Count, p));
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Bar(documents, plan.Leaves.Count)} part {part + 1}/{plan.PartCount} at height {committed.Height}: {documents}/{plan.Leaves.Count} documents"));
                }
            }
            finally
            {
                window.Release();
            }
        }).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        if (state.SealTxId is null)
        {
            var seal = PaperBatchPlan.Sign(plan.Seal(), chainId, certificate, key);
            var sealId = Call(node, () => client.SubmitAsync(seal));
            var committed = Call(node, () => client.WaitForCommitAsync(sealId, wait));
            if (committed.Receipt.Code == ErrorCode.PaperBatchSealed)
            {
                context.Out.WriteLine($"batch {plan.Root} was already sealed on chain");
                state.SealTxId = "already-sealed";
            }
            else if (committed.Receipt.Code != ErrorCode.Ok)
            {
                throw new NegativeAnswerException($"seal (tx {sealId}) refused by the chaincode: {committed.Receipt.Code}: {committed.Receipt.Message}");
            }
            else
            {
                state.SealTxId = sealId.ToHex();
                state.SealHeight = committed.Height;
            }
            state.Save(statePath);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sealed: batch {plan.Root}, {plan.Leaves.Count} documents anchored by seal tx {state.SealTxId} at height {state.SealHeight} ({seconds:0.00} s, {plan.Leaves.Count / Math.Max(seconds, 1e-3):0} documents/s; manifest and root {prepared.TotalSeconds:0.00} s)"));
        return ExitCode.Ok;
    }

    private static string Bar(int done, int total)
    {
        var filled = (int)Math.Round(20.0 * done / total);
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private static T Call<T>(NodeTarget node, Func<Task<T>> call) => CallAsync(node, call).GetAwaiter().GetResult();

    private static async Task<T> CallAsync<T>(NodeTarget node, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (LedgerClientException e) when (e.Status == StatusCode.InvalidArgument)
        {
            throw new UsageException($"node {node} refused the request: {e.Message}");
        }
        catch (LedgerClientException e)
        {
            throw new NegativeAnswerException($"node {node}: {e.Message}");
        }
    }

    /// <summary>What a run has got on chain, kept beside the manifest: the batch (root, size) and the committed parts and seal.</summary>
    private sealed class BatchState
    {
        public string Root { get; set; } = "";
        public int Documents { get; set; }
        public SortedSet<int> Parts { get; set; } = [];
        public string? SealTxId { get; set; }
        public ulong SealHeight { get; set; }

        private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

        public static BatchState Load(string path, PaperBatchPlan plan)
        {
            if (!File.Exists(path)) return new BatchState { Root = plan.Root.ToHex(), Documents = plan.Leaves.Count };
            BatchState? state;
            try
            {
                state = JsonSerializer.Deserialize<BatchState>(File.ReadAllText(path), Options);
            }
            catch (JsonException e)
            {
                throw new UsageException($"state file {path} is not readable ({e.Message}): remove it to start over (the chain refuses parts it already has)");
            }
            if (state is null || state.Root != plan.Root.ToHex() || state.Documents != plan.Leaves.Count)
                throw new UsageException($"state file {path} is for another batch (root {state?.Root}): the manifest changed; remove the state file to anchor this one");
            if (state.Parts.Any(p => p < 0 || p >= plan.PartCount))
                throw new UsageException($"state file {path} names parts outside the batch: remove it to start over");
            return state;
        }

        public void Save(string path)
        {
            // Write then rename, so a kill mid-write leaves the previous state, never half of one.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(this, Options));
            File.Move(temporary, path, overwrite: true);
        }
    }
}
