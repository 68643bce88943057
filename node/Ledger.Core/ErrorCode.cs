namespace Ledger.Core;

/// <summary>
/// Every reason the ledger can give for refusing something, in one closed enum: decoding, admission,
/// certificates, execution, chaincode. The same number reaches a receipt, a gRPC status detail and
/// the CLI. Values are part of the wire format: never renumber, only append within a section.
/// </summary>
public enum ErrorCode
{
    Ok = 0,

    // 100-199: encoding of bytes on the wire or on disk.
    Truncated = 100,
    Oversize = 101,
    MalformedVarint = 102,
    UnknownField = 103,
    FieldOutOfOrder = 104,
    WrongWireType = 105,
    NonCanonicalEncoding = 106,
    InvalidFieldValue = 107,
    MissingField = 108,
    TrailingBytes = 109,

    // 200-299: admission of a transaction.
    WrongChainId = 200,
    Expired = 201,
    ExpiryTooFar = 202,
    DuplicateTransaction = 203,
    StaleNonce = 204,
    MissingEndorsement = 205,
    InvalidSignature = 206,
    TooManyEndorsements = 207,
    MempoolFull = 208,
    UnknownPayload = 209,

    /// <summary>The envelope's endorsements are not exactly the ones its body lists, in order (one stripped, added or swapped).</summary>
    EndorsementsNotListed = 210,

    /// <summary>A party's statement signature does not hold over this tx's statement: the payload (a term, the basis, a date ...) differs from what the party signed.</summary>
    StatementMismatch = 218,

    /// <summary>An observer node forwards submissions to its upstream validators, and none of them answered.</summary>
    UpstreamUnavailable = 219,

    /// <summary>An Operator certificate signs a tx: an operator acts at the signer and the CA process only, never on chain.</summary>
    OperatorNotOnChain = 220,

    // 300-399: certificates and keys.
    InvalidPublicKey = 300,
    InvalidCertificate = 301,
    UntrustedCertificate = 302,
    CertificateExpired = 303,
    CertificateNotYetValid = 304,
    CertificateRevoked = 305,
    WrongCertificateRole = 306,
    InvalidDivisionCode = 307,
    InvalidCreditCode = 308,
    InvalidSignatureEncoding = 309,
    UnknownCertificate = 310,
    WrongPassphrase = 311,
    CorruptKeyFile = 312,
    InvalidCrl = 313,
    InvalidPrivateKey = 314,
    WeakKeyFileProtection = 315,
    DecryptionFailed = 316,
    InvalidCryptoParameter = 317,

    // 318-329: the transport (TLS) certificate a validator presents on the peer port.
    /// <summary>A peer call without a TLS client certificate (validators use mutual TLS).</summary>
    TransportCertificateMissing = 318,

    /// <summary>A TLS client certificate of the consortium's transport CA that names no validator of the chain.</summary>
    NotAValidatorTransportCertificate = 319,

    /// <summary>The transport certificate names another validator than the one the SM2 handshake authenticated.</summary>
    TransportCertificateNameMismatch = 320,

    // 400-499: blocks and proofs.
    InvalidMerkleProof = 400,
    InvalidBlockHash = 401,
    InsufficientSeals = 402,
    InvalidSeal = 403,
    UnknownValidator = 404,
    DuplicateSeal = 405,
    DocumentHashMismatch = 406,
    InvalidProof = 407,
    UnknownTransaction = 408,
    UnknownBlock = 409,
    /// <summary>Height 0 or a block timed before genesis: genesis itself, never evidence of a tx.</summary>
    PreGenesisBlock = 410,
    /// <summary>A header names a validator set that is not the chain's set at its height (derived from genesis).</summary>
    UnknownValidatorSet = 411,

    // 420-439: state proofs and contract bundles.
    InvalidStateProof = 420,
    MissingEvent = 421,
    UnexpectedEvent = 422,
    EventsOutOfOrder = 423,
    StaleStateProof = 424,

    /// <summary>A proof's external-anchor checkpoint does not hold: its ExternalAnchor tx proof, or the header chain from the block to the checkpoint.</summary>
    InvalidAnchor = 426,

    /// <summary>A tx proof lacks the chain's revocation status of a certificate it relies on, or carries one it does not rely on.</summary>
    RevocationStatusMissing = 425,

    // 450-469: a block checked before it is prepared or imported. Owned by Ledger.Chain.Validation.
    /// <summary>A block whose time is not after its parent's.</summary>
    BlockTimeNotAfterParent = 450,

    /// <summary>A new proposal whose time is outside [local − precision − message delay, local + precision] (PBTS).</summary>
    UntimelyProposal = 451,

    /// <summary>A block whose header names another validator set than the one of its height.</summary>
    WrongValidatorSet = 452,

    /// <summary>Re-executing the block's txs gives another header (roots, receipts or state differ).</summary>
    ExecutionMismatch = 453,

    /// <summary>A block made in a later round than the round it is proposed or certified in.</summary>
    BlockRoundAhead = 454,

    // 500-599: consensus messages (QBFT). Owned by Ledger.Consensus.
    StaleHeight = 500,
    StaleRound = 501,
    FutureTooFar = 502,
    WrongProposer = 503,
    InvalidJustification = 504,
    InvalidPreparedCertificate = 505,
    BufferFull = 506,
    DuplicateMessage = 507,
    ConflictingMessage = 508,
    ConflictingSignatureRefused = 509,
    WrongMessageType = 510,
    MissingProposal = 511,
    /// <summary>A message for a slot below the highest this validator's key signed (its signing watermark): never signed twice.</summary>
    BelowSigningWatermark = 512,
    /// <summary>Not signed: the validator has not yet learned how far its peers committed, or they committed this height already.</summary>
    SigningHeld = 513,

    // 600-699: storage. Owned by Ledger.Storage.
    /// <summary>The database (or a record in it) is not what was written: bytes on disk are damaged.</summary>
    StorageCorrupt = 600,

    /// <summary>Another process (or another store in this one) holds the database.</summary>
    StorageLocked = 601,

    /// <summary>A block that does not extend the stored head by exactly one height.</summary>
    BlockOutOfOrder = 602,

    /// <summary>A block whose previous hash is not the stored head's hash, or whose certificate names another block.</summary>
    BlockParentMismatch = 603,

    /// <summary>An admitted tx could not be made durable (the node's tx journal write failed): not acknowledged.</summary>
    JournalWriteFailed = 604,

    /// <summary>
    /// A block (or a tx in one) below the height this node joined the chain at by state sync: it holds the state from
    /// there on and the blocks after, not the history before — a node with the full history answers it.
    /// </summary>
    HistoryNotHeld = 605,

    /// <summary>The data directory holds a state sync that did not finish: the node does not start on half a state.</summary>
    StateSyncUnfinished = 606,

    /// <summary>A peer served a state-tree node whose bytes do not hash to the node asked for (or are not a node at all).</summary>
    StateNodeMismatch = 607,

    // 1000-1999: chaincode (labour-contract lifecycle). Owned by Ledger.Chaincode.
    // 1000-1019: the contract and its lifecycle.
    ContractNotFound = 1000,
    ContractAlreadyExists = 1001,
    ContractClosed = 1002,
    ContractNotEffective = 1003,
    AlreadySigned = 1005,
    WrongVersion = 1006,
    WrongDocumentHash = 1007,
    InvalidContractId = 1008,
    NoPartySignature = 1009,

    /// <summary>A paper confirmation for a contract that is not an employer's upload awaiting confirmation.</summary>
    NotAwaitingConfirmation = 1010,

    // 1020-1039: who may act.
    SubmitterRoleNotAllowed = 1020,
    NotEmployerOfRecord = 1021,
    OutsideJurisdiction = 1022,
    MissingEmployerEndorsement = 1023,
    MissingWorkerSignature = 1024,
    NotParty = 1026,
    // 1027 was WorkerKeyMismatch (a worker bound by key); the worker is bound by pseudonym now: WrongWorker.
    AmbiguousWorkerSignature = 1028,

    /// <summary>A worker consent (or a worker submitter) from a Worker certificate whose pseudonym is not the contract's worker.</summary>
    WrongWorker = 1030,

    /// <summary>A bureau attests a paper contract (its upload, or its confirmation) without naming the archive reference of the paper original.</summary>
    AttestationReferenceRequired = 1031,

    // 1040-1099: the Labour Contract Law and the codes a contract carries.
    InvalidEmployerCreditCode = 1040,
    InvalidPlaceOfWork = 1041,
    PlaceOfWorkOutsideProvince = 1042,
    PlaceOfWorkTooCoarse = 1043,
    InvalidIndustryCode = 1044,
    InvalidModelTextId = 1045,
    EndBeforeStart = 1046,
    MissingEndDate = 1047,
    UnexpectedEndDate = 1048,
    ProbationOutsideTerm = 1049,
    ProbationNotAllowed = 1050,
    ProbationTooLong = 1051,
    RepeatedProbation = 1052,
    NotRenewable = 1053,
    RenewalNotAfterTerm = 1054,
    EffectiveBeforeStart = 1055,
    DissolutionOutsideProbation = 1056,
    TermNotExpired = 1057,
    PaperSignedInFuture = 1058,

    /// <summary>A bureau acting alone terminates only on an art. 44 ground a bureau can attest: death, bankruptcy, closure.</summary>
    GroundNotAttestable = 1059,

    // 1900-1999: warnings; a receipt carries them on a successful tx.
    ThirdConsecutiveFixedTerm = 1900,

    /// <summary>An employer's paper upload is anchored but not in force: it awaits the worker's confirmation or a bureau's attestation.</summary>
    AwaitingConfirmation = 1901,

    // 2000-2099: the signer service (custodial keys, intent confirmation, audit log). Owned by Ledger.Signer.
    // 2000-2029: confirming a signature.
    WrongPin = 2000,
    KeyLocked = 2001,
    ChallengeUnknown = 2002,
    ChallengeReused = 2003,
    ChallengeExpired = 2004,
    ChallengeMismatch = 2005,
    HolderNotFound = 2006,
    WeakPin = 2007,
    NotAuthorised = 2008,
    RateLimited = 2009,

    // 2030-2049: the signer's files.
    KeyStoreTampered = 2030,
    AuditLogTampered = 2031,
    AuditAnchorMismatch = 2032,

    // 2050-2069: audit-head anchors on chain. Owned by Ledger.Chaincode.
    AnchorRoleNotAllowed = 2050,
    AnchorNotAdvancing = 2051,
    /// <summary>An ExternalAnchor for this height, EVM chain and contract is already recorded.</summary>
    ExternalAnchorExists = 2052,
    /// <summary>An ExternalAnchor names a height that is not below the block recording it.</summary>
    ExternalAnchorAhead = 2053,

    // 2070-2079: CRLs published on chain (PublishCrl). Owned by Ledger.Chain.
    /// <summary>Only a Bureau certificate may publish a CA's CRL on chain.</summary>
    CrlRoleNotAllowed = 2070,

    /// <summary>The CRL is signed by no CA of the chain's genesis.</summary>
    CrlIssuerUnknown = 2071,

    /// <summary>The CRL is not newer (thisUpdate) than the one this CA last published on chain.</summary>
    CrlNotNewer = 2072,

    // 2080-2099: enrolment authorisations, checked by the city's CA process (and the signer that forwards them).
    /// <summary>An enrolment carries no operator authorisation, or one that does not decode.</summary>
    EnrolmentAuthorisationMissing = 2080,
    EnrolmentAuthorisationMalformed = 2081,

    /// <summary>The operator's signature over the authorisation does not verify under the operator certificate's key (a forgery).</summary>
    EnrolmentSignatureInvalid = 2082,

    /// <summary>The authorisation's time is outside the CA's window (stale, or dated ahead).</summary>
    EnrolmentAuthorisationExpired = 2083,

    /// <summary>This operator already used this nonce, or this holder key is already certified: a replayed authorisation.</summary>
    EnrolmentAuthorisationReplayed = 2084,

    /// <summary>The enrolment differs from what the operator authorised: kind, ID number or credit code and name, or the holder key.</summary>
    EnrolmentMismatch = 2085,

    /// <summary>The authorisation names another city than the CA's own.</summary>
    EnrolmentWrongCity = 2086,

    /// <summary>The signer holds no pending key for the holder key authorised (never begun, already used, or expired).</summary>
    EnrolmentKeyUnknown = 2087,

    /// <summary>The CA process's caller is not a signer it serves (its TLS client certificate names another service).</summary>
    CaCallerNotAllowed = 2088,

    /// <summary>The signer could not reach its CA process.</summary>
    CaUnavailable = 2089,

    // 2100-2199: who may read what (authenticated calls, scopes, access records, grants). Owned by Ledger.Node and
    // Ledger.Chaincode (Access).
    // 2100-2119: authenticating a call (gRPC UNAUTHENTICATED).
    CallerCredentialsMissing = 2100,
    CallerCredentialsMalformed = 2101,
    CallerSignatureInvalid = 2102,
    CallerTimeOutsideWindow = 2103,
    CallerNonceReused = 2104,
    CallerCertificateRejected = 2105,

    // 2120-2139: authorising a read (gRPC PERMISSION_DENIED).
    ReadNotPermitted = 2120,
    OutsideReadScope = 2121,
    LegalBasisRequired = 2122,
    AccessRecordMismatch = 2123,
    AccessRecordNotCommitted = 2124,

    // 2140-2169: access records and grants on chain (chaincode).
    AccessRoleNotAllowed = 2140,
    MissingLegalBasis = 2141,
    GrantNotFound = 2142,
    GrantExpired = 2143,
    GrantRevoked = 2144,
    GrantNotForCaller = 2145,
    GrantorNotAllowed = 2146,
    InvalidGrant = 2147,

    // 2200-2249: signed verification reports (PDF). Owned by Ledger.Reports.
    /// <summary>The file is not a report this ledger signed: no signature block, or one that does not parse.</summary>
    ReportNotSigned = 2200,
    /// <summary>The report's bytes are not the ones its issuer signed.</summary>
    ReportSignatureInvalid = 2201,
    /// <summary>The fonts a report embeds are not installed (fonts-dejavu-core, fonts-droid-fallback).</summary>
    ReportFontMissing = 2202,

    // 2300-2349: checkpoints anchored on an external EVM chain. Owned by Ledger.Anchor.
    /// <summary>The external chain's node did not answer (down, unreachable, or an RPC error).</summary>
    ExternalChainUnavailable = 2300,
    /// <summary>No checkpoint at or above the height is anchored on the external chain.</summary>
    CheckpointNotAnchored = 2301,
    /// <summary>The anchored checkpoint differs from our chain's certified block.</summary>
    CheckpointMismatch = 2302,
    /// <summary>The anchoring tx has fewer external confirmations than required.</summary>
    InsufficientConfirmations = 2303,
    /// <summary>The contract holds another checkpoint for a height this service was about to anchor.</summary>
    AnchorConflict = 2304,
    /// <summary>The anchoring account is not the contract's writer, or the contract refused the write.</summary>
    AnchorWriteRefused = 2305,
    /// <summary>The anchor key file cannot be opened (wrong passphrase, not a keystore).</summary>
    AnchorKeyInvalid = 2306,
    /// <summary>Our node has no block at a height the verification needs.</summary>
    AnchorBlockMissing = 2307,

    // 2400-2449: governance of the validator set and the city CAs on chain. Owned by Ledger.Chain (Governance).
    /// <summary>Only a validator of the current set may propose or vote, with its validator certificate.</summary>
    GovernanceRoleNotAllowed = 2400,
    /// <summary>The proposal is malformed or cannot apply (a validator added twice, the last one removed, a bad certificate).</summary>
    InvalidProposal = 2401,
    /// <summary>The stated effective height is not far enough ahead (commit height + the genesis activation delay).</summary>
    EffectiveHeightTooSoon = 2402,
    /// <summary>No proposal with that id is on chain.</summary>
    ProposalNotFound = 2403,
    /// <summary>The proposal is decided (passed or rejected) or expired: votes no longer count.</summary>
    ProposalClosed = 2404,
    /// <summary>This validator has already voted on the proposal.</summary>
    AlreadyVoted = 2405,
    /// <summary>A one-validator chain has no governance (there is no quorum to speak of).</summary>
    GovernanceUnavailable = 2406,
    /// <summary>A tx is endorsed under a city CA that does not count at its block's height (not yet added by vote, or retired).</summary>
    AuthorityNotCounting = 2407,
    /// <summary>The height runs a protocol version this software does not know: upgrade the node before that height.</summary>
    ProtocolVersionUnsupported = 2408,
    /// <summary>The payload is not accepted at the protocol version the block's height runs (a later version introduces it).</summary>
    PayloadNotActive = 2409,

    // 2500-2519: bulk anchoring of paper contracts (UploadPaperBatch, TxBody field 24).
    /// <summary>A paper batch may be submitted by a Bureau certificate only.</summary>
    PaperBatchRoleNotAllowed = 2500,
    /// <summary>A malformed paper batch: count out of bounds, a part of the wrong size, a leaf out of order or ill-formed.</summary>
    InvalidPaperBatch = 2501,
    /// <summary>This part of the batch is already on chain.</summary>
    PaperBatchPartExists = 2502,
    /// <summary>A part or seal names a batch (root) whose document count differs from the one on record.</summary>
    PaperBatchMismatch = 2503,
    /// <summary>A seal before every part of its batch is on chain.</summary>
    PaperBatchIncomplete = 2504,
    /// <summary>The parts on chain do not make the root the seal names.</summary>
    PaperBatchRootMismatch = 2505,
    /// <summary>The batch is already sealed.</summary>
    PaperBatchSealed = 2506,
    /// <summary>A proof's batch path does not lead from the document's leaf to the sealed root, or its leaf/index/count is wrong.</summary>
    InvalidBatchProof = 2507,
    /// <summary>The document hash is in no sealed paper batch (and in no tx): not anchored.</summary>
    DocumentNotAnchored = 2508,
}
