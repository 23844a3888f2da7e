// Shared by the extension pages: send a command to the engine (through the
// service worker) and show errors. Pages hold no state and decide nothing;
// the engine's reply says what to show.

export async function command(cmd) {
  const reply = await chrome.runtime.sendMessage({ kind: 'command', command: cmd });
  if (!reply?.ok) {
    const error = new Error(reply?.error?.message ?? 'the wallet engine did not answer');
    error.code = reply?.error?.code;
    throw error;
  }
  return reply.result;
}

/** An iNFT request to the engine (extension/src/wasm_inft.rs); refusals become errors with their code. */
export async function inft(request) {
  const reply = await chrome.runtime.sendMessage({ kind: 'inft', request });
  if (!reply?.ok) {
    const error = new Error(reply?.error?.message ?? 'the wallet engine did not answer');
    error.code = reply?.error?.code;
    error.name = reply?.error?.name ?? 'Error';
    throw error;
  }
  return reply.result;
}

export async function readings() {
  const reply = await chrome.runtime.sendMessage({ kind: 'readings' });
  if (!reply?.ok) throw new Error(reply?.error?.message ?? 'no answer');
  return reply.result;
}

export const $ = (id) => document.getElementById(id);

export function show(id, visible = true) {
  $(id).hidden = !visible;
}

export function showError(error) {
  $('error').textContent = error ? (error.message ?? String(error)) : '';
}

/** Wei (decimal string) as ether with up to 6 decimals. */
export function formatEther(wei) {
  const v = BigInt(wei);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, '0').slice(0, 6).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}
