using System.Diagnostics;

namespace Ledger.Crypto.Tests;

/// <summary>Runs the machine's openssl as a child process inside a fresh temp directory.</summary>
internal sealed class OpenSsl : IDisposable
{
    public const string Path = "/usr/bin/openssl";

    public OpenSsl()
    {
        if (!System.IO.File.Exists(Path)) Assert.Ignore($"{Path} is not installed");
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ledger-crypto-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string File(string name) => System.IO.Path.Combine(Directory, name);

    public void Write(string name, byte[] content) => System.IO.File.WriteAllBytes(File(name), content);

    public void Write(string name, string content) => System.IO.File.WriteAllText(File(name), content);

    public byte[] Read(string name) => System.IO.File.ReadAllBytes(File(name));

    public (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    /// <summary>Runs and asserts success, returning the combined output.</summary>
    public string Ok(params string[] arguments)
    {
        var (code, output) = Run(arguments);
        Assert.That(code, Is.Zero, $"openssl {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    public void Dispose()
    {
        // Set LEDGER_KEEP_OPENSSL_DIRS=1 to keep the files for debugging by hand.
        if (Environment.GetEnvironmentVariable("LEDGER_KEEP_OPENSSL_DIRS") == "1") return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
