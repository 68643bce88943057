using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Core.Execution;

/// <summary>An endorsement whose signature admission has already checked, and over what.</summary>
public sealed record VerifiedEndorsement(SignerIdentity Signer, EndorsementScope Scope);
