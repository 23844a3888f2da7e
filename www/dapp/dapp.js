// Demo dapp: EIP-6963 discovery, then EIP-1193 requests to the chosen wallet.
// The end-to-end tests drive this page through the functions on window.dapp.

const wallets = new Map();
const list = document.getElementById('wallets');

function render() {
  list.replaceChildren(
    ...[...wallets.values()].map(({ info }) => {
      const li = document.createElement('li');
      const img = document.createElement('img');
      img.src = info.icon; img.alt = ''; img.width = 20; img.height = 20;
      li.append(img, ` ${info.name} `);
      const rdns = document.createElement('span');
      rdns.className = 'muted'; rdns.textContent = `(${info.rdns})`;
      li.append(rdns);
      return li;
    })
  );
  if (wallets.size === 0) list.innerHTML = '<li class="muted">no wallet found: install Aloft</li>';
}

window.addEventListener('eip6963:announceProvider', (event) => {
  const detail = event.detail;
  if (!detail?.info?.uuid || !detail.provider) return;
  wallets.set(detail.info.uuid, detail);
  render();
});
window.dispatchEvent(new Event('eip6963:requestProvider'));
setTimeout(render, 500);

function aloft() {
  const found = [...wallets.values()].find((w) => w.info.rdns === 'dev.aloft.wallet');
  if (!found) throw new Error('Aloft was not announced by EIP-6963');
  return found.provider;
}

async function request(method, params) {
  return aloft().request({ method, params });
}

async function showChain() {
  const out = document.getElementById('chain-id-result');
  const block = document.getElementById('block-number-result');
  try {
    out.textContent = await request('eth_chainId');
    out.className = '';
    block.textContent = await request('eth_blockNumber');
    block.className = '';
  } catch (e) {
    out.textContent = `error ${e.code}: ${e.message}`;
    out.className = 'bad';
  }
}
document.getElementById('chain-id').addEventListener('click', showChain);

// Typed data the demo signs (EIP-712), for the selected chain.
async function typedData(message) {
  const chainId = parseInt(await request('eth_chainId'), 16);
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
      ],
      Note: [
        { name: 'author', type: 'address' },
        { name: 'text', type: 'string' },
      ],
    },
    primaryType: 'Note',
    domain: { name: 'Aloft demo', version: '1', chainId },
    message,
  };
}

function output(id, value, ok = true) {
  const el = document.getElementById(id);
  el.textContent = value;
  el.className = ok ? '' : 'bad';
}

const events = [];
let subscribed = false;
function subscribe() {
  if (subscribed) return;
  subscribed = true;
  const p = aloft();
  for (const name of ['accountsChanged', 'chainChanged', 'connect', 'disconnect']) {
    p.on(name, (data) => {
      events.push({ name, data });
      if (name === 'accountsChanged') output('accounts-result', JSON.stringify(data));
      if (name === 'chainChanged') output('chain-event', data);
    });
  }
}

async function guarded(id, fn) {
  try {
    const value = await fn();
    output(id, typeof value === 'string' ? value : JSON.stringify(value));
    return value;
  } catch (e) {
    output(id, `error ${e.code}: ${e.message}`, false);
    throw e;
  }
}

async function connect() {
  subscribe();
  return guarded('accounts-result', () => request('eth_requestAccounts'));
}

async function account() {
  const [first] = await request('eth_accounts');
  if (!first) throw Object.assign(new Error('connect first'), { code: 4100 });
  return first;
}

async function personalSign(text = document.getElementById('message').value) {
  return guarded('signature-result', async () => {
    const from = await account();
    const hex = '0x' + [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return request('personal_sign', [hex, from]);
  });
}

async function signTyped(text = document.getElementById('message').value) {
  return guarded('signature-result', async () => {
    const from = await account();
    const data = await typedData({ author: from, text });
    return request('eth_signTypedData_v4', [from, JSON.stringify(data)]);
  });
}

async function send(to = document.getElementById('send-to').value, value = document.getElementById('send-value').value) {
  return guarded('send-result', async () => request('eth_sendTransaction', [{ from: await account(), to, value }]));
}

const click = (id, fn) => document.getElementById(id).addEventListener('click', () => fn().catch(() => {}));
click('connect', connect);
click('personal-sign', () => personalSign());
click('typed-sign', () => signTyped());
click('send', () => send());

window.dapp = {
  wallets: () => [...wallets.values()].map((w) => ({ ...w.info, frozen: Object.isFrozen(w) })),
  request,
  showChain,
  connect,
  personalSign,
  signTyped,
  typedData,
  send,
  subscribe,
  events,
};
