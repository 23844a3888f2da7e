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

window.dapp = {
  wallets: () => [...wallets.values()].map((w) => ({ ...w.info, frozen: Object.isFrozen(w) })),
  request,
  showChain,
};
