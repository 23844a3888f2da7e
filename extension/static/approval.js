// The approval window: shows the engine's view of the request at the head of
// the queue and sends the user's decision with its id. The engine refuses
// stale or replayed ids; this page only renders.
import { $, command, formatEther, show, showError } from './page.js';

let current = null;

const TITLES = { connect: 'Connect this site?', sign: 'Sign this message?', transaction: 'Send this transaction?', addNetwork: 'Add this network?' };

function row(dl, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value ?? '—';
  dl.append(dt, dd);
}

function summary(detail) {
  const dl = document.createElement('dl');
  switch (detail.type) {
    case 'connect':
      row(dl, 'Account shared', detail.account);
      break;
    case 'sign':
      row(dl, 'Account', detail.account);
      if (detail.content.kind === 'message') row(dl, 'Message', detail.content.text ?? detail.content.hex);
      else row(dl, 'Typed data', `${detail.content.primaryType} for ${detail.content.domain?.name ?? 'unnamed domain'}`);
      break;
    case 'transaction': {
      row(dl, 'From', detail.from);
      row(dl, 'To', detail.to ?? 'new contract');
      row(dl, 'Value', `${formatEther(detail.value)} (native token)`);
      const call = detail.call;
      if (call.kind === 'call') row(dl, 'Call', `${call.standard} ${call.function}(${call.args.map((a) => `${a.name}: ${JSON.stringify(a.value)}`).join(', ')})`);
      else if (call.kind === 'raw') row(dl, 'Data (not decoded)', `${call.data.slice(0, 74)}${call.data.length > 74 ? '…' : ''} — ${call.note}`);
      row(dl, 'Gas limit', String(detail.gasLimit));
      row(dl, 'Max fee per gas', `${detail.maxFeePerGas} wei`);
      row(dl, 'Priority fee per gas', `${detail.maxPriorityFeePerGas} wei`);
      row(dl, 'Max total cost', `${formatEther(detail.maxCost)}`);
      row(dl, 'Nonce', String(detail.nonce));
      break;
    }
    case 'addNetwork':
      row(dl, 'Name', detail.network.name);
      row(dl, 'Chain id', detail.network.chainId);
      row(dl, 'RPC', detail.network.rpcUrl);
      break;
  }
  return dl;
}

async function render() {
  showError(null);
  current = await command({ cmd: 'currentApproval' });
  if (!current) {
    window.close();
    return;
  }
  document.body.dataset.approvalId = current.id;
  document.body.dataset.approvalType = current.detail.type;
  $('approval-title').textContent = TITLES[current.detail.type] ?? 'Request';
  $('approval-origin').textContent = current.origin;
  $('approval-network').textContent = `${current.network.name} (${current.network.chainId})`;
  $('approval-origin-warning').textContent = current.originWarning ? `Check the address: ${current.originWarning}` : '';
  show('approval-origin-warning', Boolean(current.originWarning));
  $('approval-queue').textContent = current.queued > 1 ? `${current.queued - 1} more request(s) waiting` : '';
  $('approval-summary').replaceChildren(summary(current.detail));
  $('approval-detail').textContent = JSON.stringify(current.detail, null, 2);
  show('approval-unlock', current.locked);
  $('approve').disabled = current.locked;
  document.body.dataset.ready = 'true';
}

async function decide(approve) {
  if (!current) return;
  try {
    const { next } = await command({ cmd: 'resolve', id: current.id, approve });
    if (next) await render();
    else window.close();
  } catch (e) {
    showError(e);
    await render().catch(showError);
  }
}

$('approve').addEventListener('click', () => decide(true));
$('reject').addEventListener('click', () => decide(false));
$('approval-unlock').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await command({ cmd: 'unlock', password: $('approval-password').value });
    $('approval-password').value = '';
    await render();
  } catch (e) { showError(e); }
});

render().catch(showError);
