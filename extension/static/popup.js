// Popup: asks the service worker's engine for its status and shows it.
const status = document.getElementById('status');
chrome.runtime.sendMessage({ kind: 'status' }).then((reply) => {
  if (!reply?.ok) throw new Error(reply?.error ?? 'no answer from the wallet engine');
  document.getElementById('network').textContent = reply.network.name;
  document.getElementById('chain').textContent = `${parseInt(reply.network.chainId, 16)} (${reply.network.chainId})`;
  document.getElementById('version').textContent = reply.version;
  document.getElementById('details').hidden = false;
  status.textContent = 'Wallet engine running.';
}).catch((error) => {
  status.textContent = `The wallet engine did not answer: ${error.message}. Close and reopen this popup; if it persists, reload the extension.`;
});
