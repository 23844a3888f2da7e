// Popup: engine status, unlock, accounts (balances marked verified or not),
// network, lock and auto-lock, connected sites. Every action is a command.
import { $, command, formatEther, readings, show, showError } from './page.js';

async function engineStatus() {
  const reply = await chrome.runtime.sendMessage({ kind: 'status' });
  if (!reply?.ok) throw new Error(reply?.error ?? 'no answer from the wallet engine');
  $('network').textContent = reply.network.name;
  $('chain').textContent = `${parseInt(reply.network.chainId, 16)} (${reply.network.chainId})`;
  $('version').textContent = reply.version;
  show('details');
  $('status').textContent = 'Wallet engine running.';
}

async function renderAccounts() {
  const list = await readings().catch(() => null);
  if (!list) return;
  $('accounts').replaceChildren(...list.map((r) => {
    const li = document.createElement('li');
    const mark = r.verification.status === 'verified' ? 'verified' : 'unverified';
    li.textContent = `${r.address}: ${formatEther(r.balance)} (${mark})`;
    li.dataset.verification = mark;
    li.title = r.verification.reason ?? `verified at block ${r.verification.block}`;
    return li;
  }));
}

async function render() {
  const s = await command({ cmd: 'status' });
  document.body.dataset.state = !s.initialized ? 'empty' : s.unlocked ? 'unlocked' : 'locked';
  show('setup', !s.initialized);
  show('unlock', s.initialized && !s.unlocked);
  show('wallet', s.unlocked);
  if (!s.unlocked) return;
  $('network-select').replaceChildren(...s.networks.map((n) => {
    const o = document.createElement('option');
    o.value = n.chainId;
    o.textContent = `${n.name} (${parseInt(n.chainId, 16)})`;
    o.selected = n.chainId === s.network.chainId;
    return o;
  }));
  $('autolock-minutes').value = s.autoLockMinutes;
  $('accounts').replaceChildren(...s.accounts.map((a) => {
    const li = document.createElement('li');
    li.textContent = a.address;
    return li;
  }));
  const sites = await command({ cmd: 'permissions' });
  $('sites').replaceChildren(...sites.map((p) => {
    const li = document.createElement('li');
    li.textContent = `${p.origin} `;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Disconnect';
    b.addEventListener('click', () => command({ cmd: 'revoke', origin: p.origin }).then(render, showError));
    li.append(b);
    return li;
  }));
  await renderAccounts();
}

const act = (fn) => async (event) => {
  event?.preventDefault();
  showError(null);
  try { await fn(); await render(); } catch (e) { showError(e); }
};

$('open-onboarding').addEventListener('click', () => chrome.tabs.create({ url: chrome.runtime.getURL('onboarding.html') }));
$('unlock').addEventListener('submit', act(async () => {
  await command({ cmd: 'unlock', password: $('unlock-password').value });
  $('unlock-password').value = '';
}));
$('lock').addEventListener('click', act(() => command({ cmd: 'lock' })));
$('add-account').addEventListener('click', act(() => command({ cmd: 'addAccount' })));
$('autolock-save').addEventListener('click', act(() => command({ cmd: 'setAutoLock', minutes: Number($('autolock-minutes').value) })));
$('network-select').addEventListener('change', act(() => command({ cmd: 'selectNetwork', chainId: $('network-select').value })));

engineStatus()
  .then(render)
  .catch((error) => {
    $('status').textContent = `The wallet engine did not answer: ${error.message}. Close and reopen this popup; if it persists, reload the extension.`;
  });
