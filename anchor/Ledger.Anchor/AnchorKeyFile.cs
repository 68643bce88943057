using Ledger.Core;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace Ledger.Anchor;

/// <summary>
/// The anchoring account's secp256k1 key in a Web3 Secret Storage file (Ethereum's keystore v3: AES-128-CTR under
/// scrypt), so the same file opens in geth, MetaMask or any EVM wallet the operator of the external chain uses.
/// </summary>
public static class AnchorKeyFile
{
    /// <summary>scrypt N of Ethereum's "standard" keystores (2^18).</summary>
    public const int DefaultScryptN = 262_144;

    /// <summary>Writes a new key; never overwrites. Returns the account's checksummed address.</summary>
    public static string Create(string path, string passphrase, int scryptN = DefaultScryptN)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        if (scryptN < 2 || (scryptN & (scryptN - 1)) != 0)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"scrypt N must be a power of two, not {scryptN}");
        var key = EthECKey.GenerateKey();
        var address = key.GetPublicAddress();
        var service = new KeyStoreScryptService();
        var json = service.EncryptAndGenerateKeyStoreAsJson(passphrase, key.GetPrivateKeyAsBytes(), address,
            new ScryptParams { Dklen = 32, N = scryptN, R = 8, P = 1 });
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return address;
    }

    /// <summary>The key; a wrong passphrase or a file that is no keystore is <see cref="ErrorCode.AnchorKeyInvalid"/>.</summary>
    public static EthECKey Load(string path, string passphrase)
    {
        var json = File.ReadAllText(path);
        byte[] secret;
        try
        {
            secret = new KeyStoreService().DecryptKeyStoreFromJson(passphrase, json);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new LedgerException(ErrorCode.AnchorKeyInvalid, $"{path}: cannot open the key (wrong passphrase, or not an Ethereum keystore file)");
        }
        return new EthECKey(secret, true);
    }

    /// <summary>The address a keystore file names, without its passphrase.</summary>
    public static string ReadAddress(string path)
    {
        try
        {
            return Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(new KeyStoreService().GetAddressFromKeyStore(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or NullReferenceException or InvalidCastException)
        {
            throw new LedgerException(ErrorCode.AnchorKeyInvalid, $"{path}: not an Ethereum keystore file");
        }
    }
}
