namespace Ledger.TestKit;

/// <summary>The machine's openssl (3.x), an SM2/SM3 implementation nobody here wrote.</summary>
public static class OpenSsl
{
    public const string Path = "/usr/bin/openssl";

    public static bool Available => File.Exists(Path);

    public static ProcessRunner.Outcome Run(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run(Path, arguments, workingDirectory);

    /// <summary>Skips the calling test when openssl is missing (the test script installs it).</summary>
    public static void Require()
    {
        if (!Available) Assert.Ignore("openssl is not installed");
    }
}
