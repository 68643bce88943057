using System.Text;
using Ledger.Explorer.Tests.Support;

namespace Ledger.Explorer.Tests.Api;

/// <summary>
/// No personal data anywhere (issue 11): the fixture worker's resident ID number — used once, to compute the pseudonym
/// the city CA certifies — appears in no block, store file, log line or explorer answer, not even to a signed-in clerk.
/// </summary>
[NonParallelizable]
public class PersonalDataTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;

    private static readonly string[] Forms =
    [
        ExplorerNetwork.WorkerIdNumber,
        // Split as a form might print it (6-8-4), and its date of birth, which alone narrows a person down.
        $"{ExplorerNetwork.WorkerIdNumber[..6]} {ExplorerNetwork.WorkerIdNumber[6..14]} {ExplorerNetwork.WorkerIdNumber[14..]}",
    ];

    [Test]
    public void No_store_file_block_or_journal_of_the_network_holds_the_id_number()
    {
        var needles = Forms.SelectMany(f => new[] { Encoding.ASCII.GetBytes(f), Encoding.Unicode.GetBytes(f) }).ToArray();
        var files = Directory.EnumerateFiles(Network.Directory.FullName, "*", SearchOption.AllDirectories).ToArray();
        Assert.That(files.Any(f => f.EndsWith("ledger.db", StringComparison.Ordinal)), Is.True, "the node's store is among the files searched");
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }
            catch (IOException)
            {
                continue;   // a file the running node holds exclusively (none today) or one deleted while listed
            }
            foreach (var needle in needles)
                Assert.That(bytes.AsSpan().IndexOf(needle), Is.EqualTo(-1), $"{Path.GetRelativePath(Network.Directory.FullName, file)} holds the worker's ID number");
        }
    }

    [Test]
    public async Task No_log_line_or_explorer_answer_holds_the_id_number()
    {
        using var http = Network.Transport.Http(TimeSpan.FromSeconds(60));
        http.BaseAddress = Network.ExplorerUrl;
        await Network.SignInAsync(http);
        var answers = new StringBuilder();
        foreach (var path in new[]
        {
            $"/api/contracts/{Uri.EscapeDataString(Network.ContractId)}", $"/api/tx/{Network.SignV1.TxId.ToHex()}", $"/api/tx/{Network.SignV1.TxId.ToHex()}/evidence",
            $"/api/tx/{Network.SignV1.TxId.ToHex()}/proof", $"/api/blocks/{Network.SignV1.Height}", "/api/overview",
            $"/api/documents/{Crypto.Sm3.Hash(await File.ReadAllBytesAsync(Network.DocumentV1Path)).ToHex()}",
        })
        {
            var response = await http.GetAsync(path);
            Assert.That(response.IsSuccessStatusCode, Is.True, $"{path}: {(int)response.StatusCode}");
            answers.Append(await response.Content.ReadAsStringAsync());
        }
        Assert.That(answers.ToString(), Does.Contain(Network.ContractId), "the answers are the clerk's full views");
        foreach (var form in Forms)
        {
            Assert.That(answers.ToString(), Does.Not.Contain(form), "explorer answers");
            Assert.That(Network.NodeOutput, Does.Not.Contain(form), "the node's log");
            Assert.That(Network.ExplorerOutput, Does.Not.Contain(form), "the explorer's log");
        }
    }
}
