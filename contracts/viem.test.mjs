// "Common JSON-RPC clients work against the devnet unchanged": viem, as a
// dapp developer would use it, against a devnet on ephemeral ports (no lock
// needed). Needs target/release/aloft-devnet (cargo xtask build).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { createPublicClient, createWalletClient, http, parseAbi, parseEther, defineChain } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Account 0 of the standard test mnemonic (public; Hardhat and Anvil fund it too).
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

let devnet, ready, pub, wallet;
before(async () => {
  devnet = spawn(path.join(ROOT, 'target/release/aloft-devnet'), ['--rpc-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  ready = await new Promise((resolve, reject) => {
    devnet.once('exit', (code) => reject(new Error(`devnet exited (${code})`)));
    createInterface({ input: devnet.stdout }).on('line', (l) => { try { const e = JSON.parse(l); if (e.event === 'ready') resolve(e); } catch {} });
  });
  const chain = defineChain({ id: ready.chain_id, name: 'Aloft devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [ready.rpc] } } });
  pub = createPublicClient({ chain, transport: http(ready.rpc) });
  wallet = createWalletClient({ chain, transport: http(ready.rpc), account: privateKeyToAccount(KEY) });
});
after(() => { devnet?.kill('SIGTERM'); });

test('viem reads the chain, sends an EIP-1559 transfer and gets its receipt', async () => {
  assert.equal(await pub.getChainId(), 31337);
  const to = '0x00000000000000000000000000000000000000b0';
  const hash = await wallet.sendTransaction({ to, value: parseEther('1.5') });
  const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  assert.equal(receipt.status, 'success');
  assert.equal(await pub.getBalance({ address: to }), parseEther('1.5'));
  const block = await pub.getBlock({ blockNumber: receipt.blockNumber });
  assert.equal(block.hash, receipt.blockHash);
  const fees = await pub.estimateFeesPerGas();
  assert.ok(fees.maxFeePerGas > 0n);
  await assert.rejects(wallet.sendTransaction({ to, value: parseEther('1'), nonce: 0 }), /nonce too low/i);
});

test('viem reads, writes and watches the genesis agent NFT', async () => {
  const nft = ready.contracts.agent_nft;
  const abi = parseAbi([
    'function name() view returns (string)',
    'function ownerOf(uint256) view returns (address)',
    'function delegateAccess(address)',
    'function getDelegateAccess(address) view returns (address)',
    'event DelegateAccess(address indexed _user, address indexed _assistant)',
  ]);
  assert.equal(await pub.readContract({ address: nft, abi, functionName: 'name' }), 'Aloft Agents');
  const owner = await pub.readContract({ address: nft, abi, functionName: 'ownerOf', args: [0n] });
  assert.equal(owner.toLowerCase(), ready.accounts[0].toLowerCase());
  await assert.rejects(pub.readContract({ address: nft, abi, functionName: 'ownerOf', args: [99n] }), /revert/i);
  const assistant = '0x00000000000000000000000000000000000000a5';
  const { request } = await pub.simulateContract({ address: nft, abi, functionName: 'delegateAccess', args: [assistant], account: wallet.account });
  const hash = await wallet.writeContract(request);
  await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  assert.equal((await pub.readContract({ address: nft, abi, functionName: 'getDelegateAccess', args: [wallet.account.address] })).toLowerCase(), assistant);
  const logs = await pub.getContractEvents({ address: nft, abi, eventName: 'DelegateAccess', fromBlock: 0n });
  assert.equal(logs.length, 1);
  assert.equal(logs[0].args._assistant.toLowerCase(), assistant);
  const proof = await pub.getProof({ address: nft, storageKeys: [] });
  assert.ok(proof.accountProof.length > 0);
});
