// The full-page wallet: mounts the Leptos UI (ui crate) in page layout.
import init, { mountWallet } from './ui/aloft_ui.js';

await init({ module_or_path: new URL('./ui/aloft_ui_bg.wasm', import.meta.url) });
mountWallet(new URLSearchParams(location.search).get('surface') === 'popup' ? 'popup' : 'page');
