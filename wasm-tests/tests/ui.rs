//! Component tests of the wallet UI in headless Chromium: what a person
//! sees (text, labels, enabled state, focus order), checked in the DOM.
#![cfg(target_arch = "wasm32")]

use aloft_ui::components::{AddressView, AmountView, ErrorBanner, ProgressBar, Verification, VerifiedBadge};
use aloft_ui::format::address::Address;
use aloft_ui::format::progress::Progress;
use aloft_ui::components::ApprovalCard;
use aloft_ui::engine::{AccountInfo, AccountSource, ActivityEntry, NetworkInfo, Reading, ReadingCheck, WalletStatus};
use aloft_ui::views::{ActivityRow, BalanceRow, OnboardingView, ReceiveView, SendView, UnlockView};
use aloft_ui::{App, Surface, WalletCtx};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the test page's body.
fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn query(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    query(root, selector).text_content().unwrap_or_default()
}

/// Lets effects and spawned tasks run.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn address_shows_checksum_identicon_and_a_labelled_copy_button() {
    let root = container();
    let address = Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <AddressView address=address label="Account 1"/> });
    assert_eq!(text(&root, ".address-text"), "0x5aAe…eAed");
    assert_eq!(text(&root, ".address-label"), "Account 1");
    assert_eq!(query(&root, ".address").get_attribute("title").unwrap(), "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    let button = query(&root, "button");
    assert_eq!(button.get_attribute("aria-label").unwrap(), "Copy address 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    assert!(query(&root, ".identicon svg").child_element_count() >= 1);
}

#[wasm_bindgen_test]
async fn amounts_show_units_and_never_a_wrong_number() {
    let root = container();
    let (wei, set_wei) = signal("0x21e19e0c9bab2400000".to_string());
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <AmountView hex_wei=wei symbol="ETH"/> });
    assert_eq!(text(&root, ".amount"), "10\u{2009}000 ETH");
    set_wei.set("not hex".into());
    tick().await;
    assert_eq!(text(&root, ".amount"), "unknown amount");
}

#[wasm_bindgen_test]
fn badge_and_banner_speak_in_words() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || {
        view! {
            <VerifiedBadge state=Verification::Verified/>
            <ErrorBanner what="The RPC did not answer." todo="Check the devnet is running."/>
        }
    });
    assert_eq!(text(&root, ".badge"), "Verified");
    let banner = query(&root, ".banner");
    assert_eq!(banner.get_attribute("role").unwrap(), "alert");
    assert_eq!(text(&root, ".banner-what"), "The RPC did not answer.");
    assert_eq!(text(&root, ".banner-todo"), "Check the devnet is running.");
}

#[wasm_bindgen_test]
fn progress_bar_reports_speed_and_time_left() {
    let root = container();
    let progress = Progress { done: 16 * 1_048_576, total: 64 * 1_048_576, elapsed_ms: 2_000, resumed: 0 };
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ProgressBar label="Uploading agent.tar" progress=progress/> });
    assert_eq!(query(&root, "progress").get_attribute("value").unwrap(), "25.0");
    assert_eq!(text(&root, ".progress-summary"), "16.0 of 64.0 MiB · 8.0 MiB/s · about 6 s left");
    assert!(text(&root, ".progress-label").starts_with("Uploading agent.tar"));
}

#[wasm_bindgen_test]
async fn shell_outside_the_extension_says_what_is_wrong_and_keeps_keyboard_order() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || view! { <App surface=Surface::Popup/> });
    tick().await;
    // Outside the extension the engine is unreachable: the view says so and what to do.
    let banner = text(&root, ".banner-what");
    assert!(banner.contains("not part of the Aloft extension"), "{banner}");
    // Navigation is in reading order, and the current view is marked for screen readers.
    let links = root.query_selector_all(".app-nav a").unwrap();
    let labels: Vec<String> = (0..links.length()).map(|i| links.item(i).unwrap().text_content().unwrap()).collect();
    assert_eq!(labels, ["Home", "Send", "Receive", "Light client", "Settings", "Agents", "Uploads"]);
    assert_eq!(query(&root, ".app-nav a[aria-current=page]").text_content().unwrap(), "Home");
    // Following a link switches the view.
    let status_link: HtmlElement = links.item(3).unwrap().unchecked_into();
    status_link.click();
    tick().await;
    assert_eq!(query(&root, ".app-nav a[aria-current=page]").text_content().unwrap(), "Light client");
    web_sys::window().unwrap().location().set_hash("").unwrap();
}

// ---- the wallet's views (what a person sees, and what the keyboard reaches)

const ACCOUNT0: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

fn unlocked_status() -> WalletStatus {
    let network = NetworkInfo { chain_id: "0x7a69".into(), name: "Aloft devnet".into(), rpc_url: Some("http://127.0.0.1:8545".into()) };
    WalletStatus {
        initialized: true,
        unlocked: true,
        network: network.clone(),
        networks: vec![network],
        accounts: vec![AccountInfo { address: ACCOUNT0.into(), source: AccountSource::Hd { index: 0 } }],
        auto_lock_minutes: 15.0,
        pending_approvals: 0,
    }
}

/// Mounts `view` with the shell's context holding `status`.
fn mount_with<V: IntoView + 'static>(status: WalletStatus, view: impl FnOnce() -> V + 'static) -> (HtmlElement, impl Drop) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(WalletCtx { status: RwSignal::new(Some(Ok(status))), surface: Surface::Popup });
        view()
    });
    (root, DropGuard(Some(handle)))
}

struct DropGuard<T>(Option<T>);
impl<T> Drop for DropGuard<T> {
    fn drop(&mut self) {
        self.0.take();
    }
}

fn input(root: &Element, selector: &str) -> web_sys::HtmlInputElement {
    query(root, selector).unchecked_into()
}

fn type_into(root: &Element, selector: &str, value: &str) {
    let el = input(root, selector);
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

fn label_of(root: &Element, id: &str) -> String {
    query(root, &format!("label[for={id}] .field-label")).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
fn approval_card_shows_a_decoded_call_with_fees_and_a_punycode_warning() {
    let root = container();
    let approval = serde_json::json!({
        "id": "00ff", "origin": "https://xn--uniswp-7za.org", "originWarning": "xn--uniswp-7za.org is an internationalised (punycode) name: it may imitate another site's name",
        "network": {"chainId": "0x7a69", "name": "Aloft devnet"}, "queued": 3, "locked": false,
        "detail": {"type": "transaction", "from": ACCOUNT0, "to": "0x1111111111111111111111111111111111111111", "value": "0", "nonce": 4,
            "gasLimit": 52000, "maxFeePerGas": "3000000000", "maxPriorityFeePerGas": "1000000000", "maxCost": "156000000000000",
            "call": {"kind": "call", "standard": "ERC-20", "function": "transfer", "args": [
                {"name": "to", "type": "address", "value": "0x2222222222222222222222222222222222222222"},
                {"name": "amount", "type": "uint256", "value": "1000000000000000000"}]}}
    });
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ApprovalCard approval=approval/> });
    assert_eq!(text(&root, "h1"), "Send this transaction?");
    assert_eq!(text(&root, "#approval-origin"), "https://xn--uniswp-7za.org");
    let warning = query(&root, "#approval-origin-warning");
    assert_eq!(warning.get_attribute("role").unwrap(), "alert");
    assert!(warning.text_content().unwrap().contains("punycode"));
    assert_eq!(text(&root, "#approval-queue"), "2 more request(s) waiting after this one");
    let summary = text(&root, "#approval-summary");
    for want in ["ERC-20 transfer", "0x2222222222222222222222222222222222222222", "3 gwei", "0.000156 ETH", "52000"] {
        assert!(summary.contains(want), "{want} missing from {summary}");
    }
}

#[wasm_bindgen_test]
fn approval_card_for_typed_data_and_the_wallets_own_send() {
    let root = container();
    let typed = serde_json::json!({
        "id": "01", "origin": "aloft://wallet", "originWarning": null, "network": {"chainId": "0x4115", "name": "0G mainnet"}, "queued": 1,
        "detail": {"type": "sign", "account": ACCOUNT0, "content": {"kind": "typedData", "primaryType": "Mail",
            "domain": {"name": "Ether Mail", "chainId": 16661, "verifyingContract": "0xcccccccccccccccccccccccccccccccccccccccc"},
            "message": {"contents": "Hello, Bob!"}}}
    });
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <ApprovalCard approval=typed/> });
    assert_eq!(text(&root, "h1"), "Sign this message?");
    assert_eq!(text(&root, "#approval-origin"), "Aloft (you, from the Send view)");
    assert!(root.query_selector("#approval-origin-warning").unwrap().is_none(), "no warning for the wallet itself");
    assert!(root.query_selector("#approval-queue").unwrap().is_none());
    let summary = text(&root, "#approval-summary");
    assert!(summary.contains("Mail for Ether Mail") && summary.contains("Hello, Bob!"), "{summary}");
    assert_eq!(text(&root, "#approval-network"), "0G mainnet (16661)");
}

#[wasm_bindgen_test]
async fn onboarding_offers_every_way_in_labelled_and_in_keyboard_order() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || view! { <OnboardingView/> });
    let buttons = root.query_selector_all(".choices button").unwrap();
    let order: Vec<String> = (0..buttons.length()).map(|i| buttons.item(i).unwrap().text_content().unwrap()).collect();
    assert_eq!(order, ["Create a new wallet", "Import a recovery phrase", "Import a private key", "Import a keystore file"]);
    query(&root, "#start-import-keystore").unchecked_into::<HtmlElement>().click();
    tick().await;
    assert_eq!(query(&root, "[role=tab][aria-selected=true]").text_content().unwrap(), "Keystore file");
    for id in ["import-keystore", "import-keystore-password", "new-password", "new-password-again"] {
        assert!(!label_of(&root, id).is_empty(), "{id} has a label");
    }
    // Two different passwords are caught here, before the engine sees anything.
    type_into(&root, "#import-keystore", "{}");
    type_into(&root, "#import-keystore-password", "file password");
    type_into(&root, "#new-password", "password one");
    type_into(&root, "#new-password-again", "password two");
    query(&root, "#import-keystore-submit").unchecked_into::<HtmlElement>().click();
    tick().await;
    assert_eq!(text(&root, "#error"), "the two passwords differ");
    assert_eq!(query(&root, "#error").get_attribute("role").unwrap(), "alert");
}

#[wasm_bindgen_test]
async fn send_checks_recipient_and_amount_and_lists_the_accounts() {
    let (root, _guard) = mount_with(unlocked_status(), || view! { <SendView/> });
    assert_eq!(text(&root, "#send-from option"), "Account 1 · 0xf39F…2266");
    assert_eq!(label_of(&root, "send-amount"), "Amount (ETH)");
    let submit = query(&root, "#send-submit");
    assert!(!submit.has_attribute("disabled"));
    type_into(&root, "#send-to", "0x1234");
    type_into(&root, "#send-amount", "1");
    submit.unchecked_ref::<HtmlElement>().click();
    tick().await;
    assert!(text(&root, "#error").starts_with("Recipient"), "{}", text(&root, "#error"));
    type_into(&root, "#send-to", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    type_into(&root, "#send-amount", "1.5e3");
    submit.unchecked_ref::<HtmlElement>().click();
    tick().await;
    assert!(text(&root, "#error").starts_with("Amount"), "{}", text(&root, "#error"));
}

#[wasm_bindgen_test]
async fn unlock_says_what_the_engine_said_and_keeps_focus_order() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), || view! { <UnlockView/> });
    assert_eq!(label_of(&root, "unlock-password"), "Password");
    let focusables = root.query_selector_all("input, button").unwrap();
    let ids: Vec<String> = (0..focusables.length()).map(|i| focusables.item(i).unwrap().unchecked_into::<Element>().id()).collect();
    assert_eq!(ids, ["unlock-password", "unlock-submit"]);
    type_into(&root, "#unlock-password", "whatever");
    query(&root, "#unlock-submit").unchecked_into::<HtmlElement>().click();
    tick().await;
    tick().await;
    // Outside the extension, the engine cannot be reached, and the form says so.
    assert!(text(&root, "#error").contains("not part of the Aloft extension"), "{}", text(&root, "#error"));
}

#[wasm_bindgen_test]
fn balances_and_activity_say_verified_or_not_and_pending_or_confirmed() {
    let root = container();
    let reading = Reading {
        address: ACCOUNT0.into(),
        balance: "10000000000000000000000".into(),
        verification: ReadingCheck::Unverified { reason: "no verified header yet".into() },
    };
    let confirmed = ActivityEntry {
        hash: format!("0x{}", "ab".repeat(32)),
        from: ACCOUNT0.into(),
        status: "confirmed".into(),
        to: Some("0x70997970c51812dc3a010c7d01b50e0d17dc79c8".into()),
        value: Some("10000000000000000".into()),
        block: Some(42),
    };
    let pending = ActivityEntry { status: "sent".into(), block: None, ..confirmed.clone() };
    let _handle = leptos::mount::mount_to(root.clone(), move || view! {
        <ul><BalanceRow reading=reading label={"Account 1".to_string()} symbol="ETH"/></ul>
        <ul class="activity">
            <ActivityRow entry=confirmed symbol="ETH"/>
            <ActivityRow entry=pending symbol="ETH"/>
        </ul>
    });
    let row = query(&root, ".balance-row");
    assert_eq!(row.get_attribute("data-verification").unwrap(), "unverified");
    assert_eq!(row.get_attribute("title").unwrap(), "no verified header yet");
    assert_eq!(text(&root, ".balance .amount"), "10\u{2009}000 ETH");
    assert_eq!(text(&root, ".balance .badge"), "Unverified");
    let rows = root.query_selector_all(".activity li").unwrap();
    let first = rows.item(0).unwrap().text_content().unwrap();
    assert!(first.contains("Confirmed") && first.contains("Sent 0.01 ETH to 0x7099…79C8") && first.contains("block 42"), "{first}");
    assert!(rows.item(1).unwrap().text_content().unwrap().contains("Pending"));
}

#[wasm_bindgen_test]
fn receive_shows_the_full_checksummed_address() {
    let (root, _guard) = mount_with(unlocked_status(), || view! { <ReceiveView/> });
    assert_eq!(text(&root, "#receive-address"), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert!(text(&root, ".receive-card").contains("Send only ETH on Aloft devnet"));
    assert_eq!(label_of(&root, "receive-account"), "Account");
}
