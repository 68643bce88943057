// Compiles Checkpoints.sol with the pinned solc (package.json) and fixed settings into
// ../Ledger.Anchor/Contracts/Checkpoints.json (ABI + creation bytecode), which is checked in so that `dotnet build`
// needs no npm; `node contracts/compile.js --check` exits 1 when the checked-in artifact differs from a fresh
// compilation (the anchor tests run it), so the artifact is always what this source and this compiler make.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const source = path.join(__dirname, 'Checkpoints.sol');
const out = path.join(__dirname, '..', 'Ledger.Anchor', 'Contracts', 'Checkpoints.json');
const input = {
  language: 'Solidity',
  sources: { 'Checkpoints.sol': { content: fs.readFileSync(source, 'utf8') } },
  settings: {
    // paris: no PUSH0/MCOPY, so the bytecode runs on EVM chains that lag mainnet (FISCO BCOS, BSN, ganache).
    evmVersion: 'paris',
    optimizer: { enabled: true, runs: 200 },
    // No metadata hash: the bytecode then depends on the source and settings only, not on file paths.
    metadata: { bytecodeHash: 'none' },
    outputSelection: { 'Checkpoints.sol': { Checkpoints: ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter(e => e.severity === 'error');
for (const e of output.errors || []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length > 0) process.exit(2);
const contract = output.contracts['Checkpoints.sol'].Checkpoints;
const artifact = JSON.stringify({
  compiler: 'solc ' + solc.version(),
  evmVersion: input.settings.evmVersion,
  abi: contract.abi,
  bytecode: '0x' + contract.evm.bytecode.object,
}, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (current !== artifact) {
    process.stderr.write(`${path.relative(process.cwd(), out)} is not what ${path.basename(source)} compiles to; run: npm run compile (in anchor/)\n`);
    process.exit(1);
  }
  process.exit(0);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, artifact);
