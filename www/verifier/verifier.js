// Loads the verifier and checks a public IETF BLS vector (ethereum/bls12-381-tests,
// verify_valid_case_195246ee3bd3b6ec), then the same signature on a changed message,
// then a malformed key — so a visitor sees what "verified" and "rejected" look like.
import init, { aloftVersion, blsVerify } from '../pkg/aloft_light_client.js';

const hex = (s) => Uint8Array.from(s.replace(/^0x/, '').match(/../g).map((b) => parseInt(b, 16)));
const show = (id, text, cls) => { const el = document.getElementById(id); el.textContent = text; el.className = cls; };

const pk = hex('0xb53d21a4cfd562c469cc81514d4ce5a6b577d8403d32a394dc265dd190b47fa9f829fdd7963afdf972e5e77854051f6f');
const msg = hex('0xabababababababababababababababababababababababababababababababab');
const sig = hex('0xae82747ddeefe4fd64cf9cedb9b04ae3e8a43420cd255e3c7cd06a8d88b7c7f8638543719981c5d16fa3527c468c25f0026704a6951bde891360c7e8d12ddee0559004ccdbe6046b55bae1b257ee97f7cdb955773d7cf29adf3ccbb9975e4eb9');

const results = {};
try {
  const started = performance.now();
  await init();
  show('version', `aloft-light-client ${aloftVersion()} (loaded in ${(performance.now() - started).toFixed(0)} ms)`, 'ok');
  results.valid = blsVerify(pk, msg, sig);
  show('valid', results.valid ? 'verified' : 'REJECTED', results.valid ? 'ok' : 'bad');
  const changed = msg.slice(); changed[0] ^= 1;
  results.tampered = blsVerify(pk, changed, sig);
  show('tampered', results.tampered ? 'ACCEPTED (wrong!)' : 'rejected', results.tampered ? 'bad' : 'ok');
  try {
    blsVerify(pk.slice(0, 47), msg, sig);
    results.malformed = 'accepted';
    show('malformed', 'ACCEPTED (wrong!)', 'bad');
  } catch (e) {
    results.malformed = e.message;
    show('malformed', `rejected: ${e.message}`, 'ok');
  }
} catch (e) {
  results.error = String(e?.message ?? e);
  show('version', `failed to load: ${results.error}`, 'bad');
}
window.aloftVerifierDemo = results;
document.body.dataset.ready = 'true';
