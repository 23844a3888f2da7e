// The wallet UI (Leptos, ui crate), mounted in the surface its page names:
// popup.html (toolbar popup and approval window, 360 wide) or wallet.html
// (full-page tab). One app shell; the route is in the URL's fragment.
import init, { mountWallet } from './ui/aloft_ui.js';

await init({ module_or_path: new URL('./ui/aloft_ui_bg.wasm', import.meta.url) });
mountWallet(document.documentElement.dataset.surface === 'popup' ? 'popup' : 'page');
