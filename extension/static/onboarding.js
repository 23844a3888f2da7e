// Onboarding: create (phrase shown once, then confirmed) or import. The
// engine draws the phrase, picks the words to confirm and checks them.
import { $, command, show, showError } from './page.js';

let positions = [];

function finished(status) {
  for (const id of ['choose', 'create', 'confirm', 'import']) show(id, false);
  $('done-account').textContent = status.accounts[0]?.address ?? '';
  show('done');
  document.body.dataset.done = 'true';
}

function passwords(a, b) {
  if ($(a).value !== $(b).value) throw new Error('the two passwords differ');
  return $(a).value;
}

$('start-create').addEventListener('click', async () => {
  showError(null);
  try {
    const fresh = await command({ cmd: 'newMnemonic' });
    positions = fresh.confirm;
    $('phrase').replaceChildren(...fresh.phrase.split(' ').map((w) => {
      const li = document.createElement('li');
      li.textContent = w;
      return li;
    }));
    show('choose', false);
    show('create');
  } catch (e) { showError(e); }
});

$('phrase-saved').addEventListener('click', () => {
  $('phrase').replaceChildren();
  $('confirm-words').replaceChildren(...positions.flatMap((p) => {
    const label = document.createElement('label');
    label.htmlFor = `confirm-word-${p}`;
    label.textContent = `Word #${p}`;
    const input = document.createElement('input');
    input.id = `confirm-word-${p}`;
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.required = true;
    return [label, input];
  }));
  show('create', false);
  show('confirm');
});

$('confirm-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  try {
    const words = positions.map((p) => [p, $(`confirm-word-${p}`).value]);
    finished(await command({ cmd: 'confirmMnemonic', words, password: passwords('create-password', 'create-password-again') }));
  } catch (e) { showError(e); }
});

$('start-import').addEventListener('click', () => {
  show('choose', false);
  show('import');
});

$('import-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  try {
    finished(await command({ cmd: 'importMnemonic', phrase: $('import-phrase').value, password: passwords('import-password', 'import-password-again') }));
    $('import-phrase').value = '';
  } catch (e) { showError(e); }
});
