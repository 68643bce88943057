// The explorer's words, Chinese first, English on request. The choice is kept in localStorage ("ledger.lang")
// and sets <html lang>. t('key') looks a word up; t('key', {n: 3}) fills {n}.
(function (global) {
  'use strict';

  const zh = {
    'app.title': '劳动合同区块链浏览器',
    'app.subtitle': '广东省电子劳动合同存证 · 司法核验窗口',
    'nav.overview': '链上概览', 'nav.verify': '合同核验', 'nav.evidence': '存证证明', 'nav.staff': '工作人员登录', 'nav.signOut': '退出',
    'staff.title': '工作人员登录', 'staff.intro': '法院、劳动人事争议仲裁委员会、劳动保障监察机构及人社部门工作人员，凭浏览器运营方开设的账号登录，并填写本次查阅所依据的案号或检查文号。每次查阅合同前，查阅记录（机构、账号、案号、时间）先上链存证，劳动者可随时查询。',
    'staff.user': '账号', 'staff.password': '密码', 'staff.case': '案号 / 检查文号', 'staff.submit': '登录', 'staff.signedIn': '{institution} · {user} · 案号 {caseNumber}',
    'staff.required': '交易与合同详情仅向已登录的工作人员显示（依案号查阅，查阅记录上链）。',
    'verify.publicNote': '公开核验只显示是否上链、时间、事件与合同状态；当事人、条款及解除依据仅向依法查阅的工作人员显示。',
    'verify.status': '合同状态',
    'error.sign_in_required': '请先登录', 'error.bad_credentials': '账号或密码错误', 'error.case_required': '请填写案号或检查文号',
    'error.sensitive_basis': '涉及敏感解除依据，仅向依法有权查阅的机构显示',
    'error.outside_scope': '该合同不在本账号所属行政区划范围内', 'error.too_many_attempts': '密码错误次数过多，请稍后再试',
    'search.placeholder': '交易号 / 合同编号 / 文件哈希 / 区块高度', 'search.button': '查询',
    'node.unreachable': '节点不可达',
    'node.unreachableDetail': '本系统无法连接区块链节点，正在自动重试；节点恢复后页面将自动更新。',
    'node.live': '实时', 'node.reconnected': '节点已恢复连接',
    'footer.privacy': '本站不显示任何个人信息：劳动者仅以承诺值（哈希）出现，用人单位以统一社会信用代码出现。',
    'footer.trust': '信任锚：创世文件 SM3 {hash}',
    'footer.noTrust': '未配置信任锚（创世文件）：核验存证证明时请上传 genesis.json',
    'common.loading': '加载中…', 'common.none': '无', 'common.yes': '是', 'common.no': '否', 'common.error': '出错了',
    'common.copy': '复制', 'common.print': '打印', 'common.back': '返回',
    'overview.title': '链上概览', 'overview.chainId': '链标识', 'overview.height': '区块高度', 'overview.lastBlock': '最新出块时间',
    'overview.totalTx': '交易总数', 'overview.txRate': '交易速率', 'overview.txRateUnit': '笔/秒', 'overview.mempool': '待打包交易',
    'overview.node': '所连节点', 'overview.validators': '验证节点', 'overview.recentBlocks': '最新区块',
    'overview.window': '基于最近 {n} 个区块统计', 'overview.noBlocks': '尚无区块',
    'validator.name': '名称', 'validator.region': '行政区划代码', 'validator.certificate': '证书标识', 'validator.lastSeen': '最近签章',
    'validator.share': '签章占比', 'validator.never': '近期未签章',
    'block.title': '区块 #{height}', 'block.height': '高度', 'block.hash': '区块哈希', 'block.prevHash': '上一区块哈希',
    'block.time': '出块时间', 'block.txRoot': '交易默克尔根', 'block.receiptsRoot': '回执默克尔根', 'block.stateRoot': '状态根',
    'block.proposer': '提议节点', 'block.round': '共识轮次', 'block.validatorSet': '验证节点集合哈希', 'block.txCount': '交易数',
    'block.transactions': '区块内交易', 'block.seals': '验证节点签章（提交证书）', 'block.seals.count': '{n} 个签章',
    'block.noTx': '本区块无交易', 'block.prev': '上一区块', 'block.next': '下一区块',
    'tx.title': '交易', 'tx.id': '交易号', 'tx.block': '所在区块', 'tx.index': '区块内序号', 'tx.time': '上链时间',
    'tx.receipt': '执行回执', 'tx.receiptOk': '已生效（链码接受）', 'tx.receiptRefused': '已记录但被链码拒绝',
    'tx.warnings': '提示', 'tx.submitter': '提交者证书', 'tx.expires': '有效期至', 'tx.chain': '链标识',
    'tx.payload': '业务内容', 'tx.action': '操作', 'tx.contract': '合同编号', 'tx.version': '版本', 'tx.documentHash': '合同文件 SM3',
    'tx.format': '文件格式', 'tx.employer': '用人单位信用代码', 'tx.worker': '劳动者承诺值', 'tx.terms': '合同条款',
    'tx.detail': '依据 / 原因', 'tx.effective': '生效日期', 'tx.paperSigned': '纸质合同签订日', 'tx.attestation': '见证编号',
    'tx.endorsements': '签名（背书）', 'tx.downloadProof': '下载存证证明 proof.json', 'tx.printable': '打印存证证明（A4）',
    'signer.scope': '签名类型', 'signer.role': '角色', 'signer.subject': '证书主体', 'signer.certificate': '证书标识',
    'signer.creditCode': '统一社会信用代码', 'signer.key': '公钥标识', 'signer.workerHidden': '劳动者（不显示身份）',
    'terms.type': '合同类型', 'terms.start': '起始日', 'terms.end': '终止日', 'terms.probation': '试用期至',
    'terms.place': '工作地点', 'terms.industry': '行业代码', 'terms.modelText': '示范文本',
    'contract.title': '合同 {id}', 'contract.status': '当前状态', 'contract.employer': '用人单位信用代码',
    'contract.worker': '劳动者承诺值', 'contract.grade': '证据等级', 'contract.effectiveVersion': '生效版本',
    'contract.closedOn': '终结日期', 'contract.closure': '终结依据', 'contract.versions': '合同版本', 'contract.timeline': '全部事件（时间线）',
    'contract.signedBy': '签署方', 'contract.employerSigned': '单位已签', 'contract.workerSigned': '劳动者已签', 'contract.concluded': '已订立',
    'verify.title': '合同文件核验', 'verify.intro': '将合同文件拖入下方区域，或选择文件。文件的 SM3 哈希在本机浏览器中计算，文件本身不会上传。',
    'verify.drop': '拖放合同文件到此处', 'verify.choose': '选择文件', 'verify.or': '或直接输入文件的 SM3 哈希（64 位十六进制）',
    'verify.hashPlaceholder': 'SM3 哈希，例如 66c7f0f4…', 'verify.check': '核验', 'verify.hashing': '正在本机计算 SM3…',
    'verify.fileHash': '文件 SM3', 'verify.file': '文件', 'verify.size': '大小', 'verify.localOnly': '在本机计算，文件未离开本计算机（用时 {ms} 毫秒）',
    'verify.anchored': '已上链存证', 'verify.notAnchored': '未上链',
    'verify.anchoredDetail': '该文件的哈希已记录在区块链上。', 'verify.notAnchoredDetail': '链上没有任何交易记录该哈希：文件与链上存证不一致，或从未上链。哪怕一个字节不同，哈希也完全不同。',
    'verify.anchors': '记录该文件的交易', 'verify.later': '此后事件', 'verify.thisEvent': '本文件',
    'evidence.title': '存证证明', 'evidence.downloadTitle': '下载存证证明', 'evidence.downloadIntro': '输入交易号，下载该交易的 proof.json（可离线核验）。',
    'evidence.txPlaceholder': '交易号（64 位十六进制）', 'evidence.download': '下载 proof.json',
    'evidence.checkTitle': '核验存证证明', 'evidence.checkIntro': '上传 proof.json，由本系统的核验程序检查，不信任任何节点：交易号、默克尔路径、区块头、验证节点签章法定数、证书链至创世根证书，以及（如提供）合同文件哈希。',
    'evidence.proofFile': '存证证明 proof.json（必填）', 'evidence.contractFile': '合同文件（可选，仅在本机计算哈希）',
    'evidence.genesisFile': '创世文件 genesis.json（可选，使用贵院/贵委自存的副本）', 'evidence.check': '核验证明',
    'evidence.valid': '证明有效', 'evidence.invalid': '证明被拒绝', 'evidence.reason': '原因',
    'evidence.trust': '信任锚', 'evidence.trustConfigured': '本系统配置的创世文件', 'evidence.trustUploaded': '上传的创世文件',
    'evidence.fileMatches': '合同文件与存证哈希一致', 'evidence.fileNotChecked': '未提供合同文件',
    'evidence.sealedBy': '签章验证节点', 'evidence.sealsOf': '{n} / {total} 个验证节点签章（法定数已满足）',
    'evidence.timeBound': '时间证明', 'evidence.timeBoundText': '出块时间已获至少 {quorum} / {total} 个验证节点认可，其时钟与该时间相差不超过 ±{bound} 秒（创世参数：时钟精度 {precision} 秒，消息延迟 {delay} 秒）',
    'print.title': '区块链存证证明', 'print.subtitle': '电子劳动合同上链存证 · 核验结果',
    'print.generated': '生成时间', 'print.facts': '存证事实', 'print.hashes': '哈希与区块', 'print.seals': '验证节点签章',
    'print.recheck': '如何独立复核', 'print.recheckText': '取得 proof.json（本页“下载”或 ledger proof get）、联盟公布的 genesis.json 与合同文件，运行：',
    'print.recheckNote': '退出码 0 表示证明有效；1 表示无效（附原因）；2 表示文件无法读取。核验无需信任任何节点。',
    'print.verifiedBy': '本页事实已由本系统的核验程序依据创世文件（SM3 {hash}）独立核验，未信任任何节点。',
    'print.unverified': '本系统未配置创世文件，本页事实未经独立核验，请按下方方法复核。',
    'print.invalid': '核验失败：{reason}', 'print.qr': '交易号二维码', 'print.button': '打印 / 另存为 PDF',
    'error.node_unreachable': '节点不可达，请稍后重试。', 'error.not_found': '未找到', 'error.bad_hash': '哈希格式不正确',
    'error.bad_block_id': '区块编号格式不正确', 'error.bad_query': '请输入查询内容', 'error.payload_too_large': '上传内容过大',
    'error.invalid_proof': '不是有效的 proof.json', 'error.bad_genesis': '创世文件无效', 'error.no_trust_anchor': '缺少信任锚：请上传 genesis.json',
    'error.missing_proof': '请选择 proof.json', 'error.bad_contract_id': '合同编号格式不正确', 'error.node_error': '节点返回错误',
    'error.bad_node_answer': '节点返回的数据无法解码', 'error.bad_request': '请求有误', 'error.network': '无法连接浏览器服务',
    'scope.Body': '提交者签名（交易体）', 'scope.Statement': '当事人签名（合同声明）',
    'role.Employer': '用人单位', 'role.Worker': '劳动者', 'role.Bureau': '人社部门', 'role.Validator': '验证节点', 'role.Integrator': '接入机构',
    'role.Arbitration': '劳动仲裁机构', 'role.Court': '人民法院', 'role.Inspector': '劳动监察', 'role.RootCa': '根证书机构',
    'role.IntermediateCa': '中级证书机构', 'role.Unknown': '未知',
    'action.Register': '登记', 'action.Sign': '签署', 'action.Change': '变更', 'action.Renew': '续订', 'action.Dissolve': '解除',
    'action.Terminate': '终止', 'action.UploadPaper': '上传纸质合同', 'action.Unspecified': '—',
    'status.PendingSignature': '待签署', 'status.Effective': '履行中', 'status.PendingChange': '变更待签署',
    'status.PendingRenewal': '续订待签署', 'status.Dissolved': '已解除', 'status.Terminated': '已终止', 'status.Unspecified': '—',
    'grade.ElectronicSignature': '电子签名', 'grade.PaperScan': '纸质扫描件', 'grade.Unspecified': '—',
    'type.FixedTerm': '固定期限', 'type.OpenEnded': '无固定期限', 'type.TaskBased': '以完成一定工作任务为期限',
    'code.Ok': '通过', 'code.InvalidMerkleProof': '默克尔路径不成立', 'code.InvalidBlockHash': '区块哈希与提交证书不符',
    'code.InvalidProof': '证明内容不一致或无法解码', 'code.WrongChainId': '链标识与创世文件不符', 'code.UnknownValidator': '验证节点不属于该区块的验证节点集合',
    'code.DuplicateSeal': '重复签章', 'code.InsufficientSeals': '签章数未达法定数', 'code.InvalidSeal': '验证节点签章无效',
    'code.InvalidSignature': '签名无效', 'code.MissingEndorsement': '缺少提交者签名', 'code.DocumentHashMismatch': '合同文件与存证哈希不一致',
    'code.UntrustedCertificate': '证书不能链至创世根证书', 'code.CertificateExpired': '证书已过期', 'code.WrongCertificateRole': '证书角色不符',
    'detail.Art36Agreement': '协商一致解除（《劳动合同法》第三十六条）', 'detail.Art37WorkerNotice': '劳动者提前三十日通知解除（第三十七条）',
    'detail.Art37WorkerNoticeInProbation': '试用期内劳动者提前三日通知解除（第三十七条）', 'detail.Art38EmployerFault': '因用人单位过错劳动者解除（第三十八条）',
    'detail.Art38Immediate': '劳动者立即解除（第三十八条第二款）', 'detail.Art39ProbationFailed': '试用期不符合录用条件（第三十九条）',
    'detail.Art39SeriousViolation': '严重违反规章制度（第三十九条）', 'detail.Art39Dereliction': '严重失职、营私舞弊（第三十九条）',
    'detail.Art39ConcurrentEmployment': '兼职严重影响工作（第三十九条）', 'detail.Art39InvalidContract': '劳动合同无效（第三十九条）',
    'detail.Art39CriminalLiability': '被依法追究刑事责任（第三十九条）', 'detail.Art40Illness': '患病或非因工负伤不能从事工作（第四十条）',
    'detail.Art40Incompetence': '不能胜任工作（第四十条）', 'detail.Art40ChangedCircumstances': '客观情况发生重大变化（第四十条）',
    'detail.Art41Layoff': '经济性裁员（第四十一条）', 'detail.TermExpired': '劳动合同期满（第四十四条）', 'detail.PensionStarted': '劳动者开始依法享受基本养老保险待遇',
    'detail.WorkerDeceased': '劳动者死亡或被宣告死亡、失踪', 'detail.EmployerBankrupt': '用人单位被依法宣告破产',
    'detail.EmployerClosed': '用人单位被吊销营业执照、责令关闭、撤销或提前解散', 'detail.OtherStatutory': '法律、行政法规规定的其他情形',
  };

  const en = {
    'app.title': 'Labour Contract Ledger Explorer',
    'app.subtitle': 'Guangdong e-labour-contract anchoring · the courts\' window on the chain',
    'nav.overview': 'Overview', 'nav.verify': 'Verify a contract', 'nav.evidence': 'Evidence', 'nav.staff': 'Staff sign-in', 'nav.signOut': 'Sign out',
    'staff.title': 'Staff sign-in', 'staff.intro': 'Staff of courts, labour arbitration commissions, labour inspectorates and bureaus sign in with an account the explorer operator opened, stating the case number or inspection reference they read for. Before any contract is shown, the access (institution, account, case, time) is recorded on the chain, where the worker can see it.',
    'staff.user': 'User', 'staff.password': 'Password', 'staff.case': 'Case number / inspection reference', 'staff.submit': 'Sign in', 'staff.signedIn': '{institution} · {user} · case {caseNumber}',
    'staff.required': 'Transactions and contracts are shown to signed-in staff only (read for a case, each access recorded on the chain).',
    'verify.publicNote': 'The public check shows whether a file is anchored, when, the event and the contract\'s status; parties, terms and bases are for staff reading with legal authority.',
    'verify.status': 'Contract status',
    'error.sign_in_required': 'Sign in first', 'error.bad_credentials': 'Wrong user name or password', 'error.case_required': 'State the case number or reference',
    'error.sensitive_basis': 'A sensitive dissolution basis: shown to legal authority only',
    'error.outside_scope': 'This contract lies outside the division this account covers', 'error.too_many_attempts': 'Too many wrong passwords: try again later',
    'search.placeholder': 'Tx id / contract id / document hash / block height', 'search.button': 'Search',
    'node.unreachable': 'Node unreachable',
    'node.unreachableDetail': 'The explorer cannot reach its ledger node and keeps retrying; this page updates by itself when the node is back.',
    'node.live': 'live', 'node.reconnected': 'Node reachable again',
    'footer.privacy': 'No personal data is shown here: workers appear only as commitments (hashes), employers by their unified social credit code.',
    'footer.trust': 'Trust anchor: genesis file SM3 {hash}',
    'footer.noTrust': 'No trust anchor (genesis file) configured: upload genesis.json when checking a proof',
    'common.loading': 'Loading…', 'common.none': 'none', 'common.yes': 'yes', 'common.no': 'no', 'common.error': 'Error',
    'common.copy': 'Copy', 'common.print': 'Print', 'common.back': 'Back',
    'overview.title': 'Chain overview', 'overview.chainId': 'Chain id', 'overview.height': 'Height', 'overview.lastBlock': 'Last block',
    'overview.totalTx': 'Transactions', 'overview.txRate': 'Tx rate', 'overview.txRateUnit': 'tx/s', 'overview.mempool': 'Pending txs',
    'overview.node': 'Node', 'overview.validators': 'Validators', 'overview.recentBlocks': 'Recent blocks',
    'overview.window': 'over the last {n} blocks', 'overview.noBlocks': 'no blocks yet',
    'validator.name': 'Name', 'validator.region': 'Division code', 'validator.certificate': 'Certificate id', 'validator.lastSeen': 'Last seal',
    'validator.share': 'Share of seals', 'validator.never': 'no recent seal',
    'block.title': 'Block #{height}', 'block.height': 'Height', 'block.hash': 'Block hash', 'block.prevHash': 'Previous block hash',
    'block.time': 'Time', 'block.txRoot': 'Tx Merkle root', 'block.receiptsRoot': 'Receipts Merkle root', 'block.stateRoot': 'State root',
    'block.proposer': 'Proposer', 'block.round': 'Round', 'block.validatorSet': 'Validator set hash', 'block.txCount': 'Transactions',
    'block.transactions': 'Transactions in this block', 'block.seals': 'Validators\' seals (commit certificate)', 'block.seals.count': '{n} seals',
    'block.noTx': 'No transactions in this block', 'block.prev': 'Previous block', 'block.next': 'Next block',
    'tx.title': 'Transaction', 'tx.id': 'Tx id', 'tx.block': 'Block', 'tx.index': 'Index in block', 'tx.time': 'Committed',
    'tx.receipt': 'Receipt', 'tx.receiptOk': 'Accepted by the chaincode', 'tx.receiptRefused': 'Recorded as refused by the chaincode',
    'tx.warnings': 'Warnings', 'tx.submitter': 'Submitter certificate', 'tx.expires': 'Valid until', 'tx.chain': 'Chain id',
    'tx.payload': 'Content', 'tx.action': 'Action', 'tx.contract': 'Contract id', 'tx.version': 'Version', 'tx.documentHash': 'Document SM3',
    'tx.format': 'Format', 'tx.employer': 'Employer credit code', 'tx.worker': 'Worker commitment', 'tx.terms': 'Terms',
    'tx.detail': 'Basis / reason', 'tx.effective': 'Effective date', 'tx.paperSigned': 'Paper signed on', 'tx.attestation': 'Attestation',
    'tx.endorsements': 'Signatures (endorsements)', 'tx.downloadProof': 'Download proof.json', 'tx.printable': 'Printable evidence (A4)',
    'signer.scope': 'Scope', 'signer.role': 'Role', 'signer.subject': 'Certificate subject', 'signer.certificate': 'Certificate id',
    'signer.creditCode': 'Credit code', 'signer.key': 'Key id', 'signer.workerHidden': 'worker (identity not shown)',
    'terms.type': 'Type', 'terms.start': 'Start', 'terms.end': 'End', 'terms.probation': 'Probation until',
    'terms.place': 'Place of work', 'terms.industry': 'Industry', 'terms.modelText': 'Model text',
    'contract.title': 'Contract {id}', 'contract.status': 'Status', 'contract.employer': 'Employer credit code',
    'contract.worker': 'Worker commitment', 'contract.grade': 'Evidence grade', 'contract.effectiveVersion': 'Version in force',
    'contract.closedOn': 'Closed on', 'contract.closure': 'Closure basis', 'contract.versions': 'Versions', 'contract.timeline': 'Every event (timeline)',
    'contract.signedBy': 'Signed by', 'contract.employerSigned': 'employer signed', 'contract.workerSigned': 'worker signed', 'contract.concluded': 'concluded',
    'verify.title': 'Verify a contract file', 'verify.intro': 'Drop the contract file below or choose it. Its SM3 hash is computed here in your browser; the file itself is never uploaded.',
    'verify.drop': 'Drop the contract file here', 'verify.choose': 'Choose a file', 'verify.or': 'or paste the file\'s SM3 hash (64 hex digits)',
    'verify.hashPlaceholder': 'SM3 hash, e.g. 66c7f0f4…', 'verify.check': 'Check', 'verify.hashing': 'Computing SM3 on this computer…',
    'verify.fileHash': 'File SM3', 'verify.file': 'File', 'verify.size': 'Size', 'verify.localOnly': 'computed on this computer; the file did not leave it ({ms} ms)',
    'verify.anchored': 'Anchored', 'verify.notAnchored': 'Not anchored',
    'verify.anchoredDetail': 'This file\'s hash is recorded on the chain.', 'verify.notAnchoredDetail': 'No transaction on the chain records this hash: the file differs from every anchored document, or was never anchored. One byte different gives a wholly different hash.',
    'verify.anchors': 'Transactions that anchored this file', 'verify.later': 'later event', 'verify.thisEvent': 'this file',
    'evidence.title': 'Evidence proofs', 'evidence.downloadTitle': 'Download a proof', 'evidence.downloadIntro': 'Enter a tx id to download its proof.json, which can be checked offline.',
    'evidence.txPlaceholder': 'Tx id (64 hex digits)', 'evidence.download': 'Download proof.json',
    'evidence.checkTitle': 'Check a proof', 'evidence.checkIntro': 'Upload a proof.json: our own verification code checks it, trusting no node — tx id, Merkle paths, block header, a quorum of validators\' seals, certificate chains to the genesis root and, if given, the contract file\'s hash.',
    'evidence.proofFile': 'Proof proof.json (required)', 'evidence.contractFile': 'Contract file (optional; hashed on this computer only)',
    'evidence.genesisFile': 'genesis.json (optional: your institution\'s own copy)', 'evidence.check': 'Check the proof',
    'evidence.valid': 'Proof valid', 'evidence.invalid': 'Proof rejected', 'evidence.reason': 'Reason',
    'evidence.trust': 'Trust anchor', 'evidence.trustConfigured': 'the genesis file configured in this explorer', 'evidence.trustUploaded': 'the uploaded genesis file',
    'evidence.fileMatches': 'The contract file matches the anchored hash', 'evidence.fileNotChecked': 'no contract file given',
    'evidence.sealedBy': 'Sealed by', 'evidence.sealsOf': '{n} of {total} validators sealed (quorum met)',
    'evidence.timeBound': 'Attested time', 'evidence.timeBoundText': 'this block\'s time was accepted by at least {quorum} of {total} validators whose clocks were within ±{bound} s of it (genesis: precision {precision} s, message delay {delay} s)',
    'print.title': 'Evidence of anchoring on the ledger', 'print.subtitle': 'Electronic labour contract · verification record',
    'print.generated': 'Generated', 'print.facts': 'Facts', 'print.hashes': 'Hashes and block', 'print.seals': 'Validators\' seals',
    'print.recheck': 'How to re-check independently', 'print.recheckText': 'Get proof.json (download it here, or ledger proof get), the consortium\'s published genesis.json and the contract file, then run:',
    'print.recheckNote': 'Exit code 0: the proof is valid; 1: invalid (with the reason); 2: a file could not be read. No node needs to be trusted.',
    'print.verifiedBy': 'The facts on this page were verified by the explorer\'s own code against the genesis file with SM3 {hash}, trusting no node.',
    'print.unverified': 'This explorer has no genesis configured: the facts on this page are not independently verified; re-check them as below.',
    'print.invalid': 'Verification failed: {reason}', 'print.qr': 'Tx id as QR code', 'print.button': 'Print / save as PDF',
    'error.node_unreachable': 'The node cannot be reached; try again shortly.', 'error.not_found': 'Not found', 'error.bad_hash': 'Not a valid hash',
    'error.bad_block_id': 'Not a valid block id', 'error.bad_query': 'Type something to search for', 'error.payload_too_large': 'Upload too large',
    'error.invalid_proof': 'Not a valid proof.json', 'error.bad_genesis': 'Invalid genesis file', 'error.no_trust_anchor': 'No trust anchor: upload genesis.json',
    'error.missing_proof': 'Choose a proof.json', 'error.bad_contract_id': 'Not a valid contract id', 'error.node_error': 'The node answered with an error',
    'error.bad_node_answer': 'The node\'s answer does not decode', 'error.bad_request': 'Bad request', 'error.network': 'The explorer service cannot be reached',
    'scope.Body': 'Submitter (tx body)', 'scope.Statement': 'Party (contract statement)',
    'role.Employer': 'Employer', 'role.Worker': 'Worker', 'role.Bureau': 'HR bureau', 'role.Validator': 'Validator', 'role.Integrator': 'Integrator',
    'role.Arbitration': 'Arbitration board', 'role.Court': 'Court', 'role.Inspector': 'Labour inspector', 'role.RootCa': 'Root CA',
    'role.IntermediateCa': 'Intermediate CA', 'role.Unknown': 'unknown',
    'action.Register': 'Register', 'action.Sign': 'Sign', 'action.Change': 'Change', 'action.Renew': 'Renew', 'action.Dissolve': 'Dissolve',
    'action.Terminate': 'Terminate', 'action.UploadPaper': 'Paper upload', 'action.Unspecified': '—',
    'status.PendingSignature': 'Pending signature', 'status.Effective': 'Effective', 'status.PendingChange': 'Change pending signature',
    'status.PendingRenewal': 'Renewal pending signature', 'status.Dissolved': 'Dissolved', 'status.Terminated': 'Terminated', 'status.Unspecified': '—',
    'grade.ElectronicSignature': 'Electronic signature', 'grade.PaperScan': 'Paper scan', 'grade.Unspecified': '—',
    'type.FixedTerm': 'Fixed term', 'type.OpenEnded': 'Open-ended', 'type.TaskBased': 'Task-based',
    'code.Ok': 'passed',
    'detail.Art36Agreement': 'by agreement (Labour Contract Law art. 36)', 'detail.Art37WorkerNotice': 'worker\'s 30-day notice (art. 37)',
    'detail.Art37WorkerNoticeInProbation': 'worker\'s 3-day notice in probation (art. 37)', 'detail.Art38EmployerFault': 'employer at fault (art. 38)',
    'detail.Art38Immediate': 'worker leaves at once (art. 38 ¶2)', 'detail.Art39ProbationFailed': 'failed probation (art. 39)',
    'detail.TermExpired': 'term expired (art. 44)',
  };

  const dictionaries = { 'zh-CN': zh, en };
  const stored = (() => { try { return localStorage.getItem('ledger.lang'); } catch { return null; } })();
  let lang = stored === 'en' ? 'en' : 'zh-CN';

  function t(key, args) {
    let text = dictionaries[lang][key] ?? zh[key] ?? en[key] ?? key;
    if (args) for (const [k, v] of Object.entries(args)) text = text.replaceAll('{' + k + '}', String(v));
    return text;
  }

  // An enum value in words: t2('role', 'Employer'); unknown values show as they are.
  function term(group, value) {
    if (value === null || value === undefined || value === '') return '—';
    const key = group + '.' + value;
    const text = t(key);
    return text === key ? String(value) : text;
  }

  function setLanguage(next) {
    lang = next === 'en' ? 'en' : 'zh-CN';
    try { localStorage.setItem('ledger.lang', lang); } catch { /* private mode: the choice lasts this page */ }
    apply();
  }

  // Static words in the shell: elements with data-i18n (text) or data-i18n-placeholder.
  function apply() {
    document.documentElement.lang = lang;
    document.title = t('app.title');
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
    const button = document.getElementById('lang-switch');
    if (button) button.textContent = lang === 'en' ? '中文' : 'English';
  }

  global.I18n = { t, term, setLanguage, apply, get lang() { return lang; } };
})(window);
