//! Component tests of the wallet UI in headless Chromium: what a person
//! sees (text, labels, enabled state, focus order), checked in the DOM.
#![cfg(target_arch = "wasm32")]

use aloft_ui::components::{AddressView, AmountView, ErrorBanner, ProgressBar, Verification, VerifiedBadge};
use aloft_ui::format::address::Address;
use aloft_ui::format::progress::Progress;
use aloft_ui::{App, Surface};
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
    let progress = Progress { done: 16 * 1_048_576, total: 64 * 1_048_576, elapsed_ms: 2_000 };
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
    assert_eq!(labels, ["Home", "Light client", "Settings", "Agents"]);
    assert_eq!(query(&root, ".app-nav a[aria-current=page]").text_content().unwrap(), "Home");
    // Following a link switches the view.
    let status_link: HtmlElement = links.item(1).unwrap().unchecked_into();
    status_link.click();
    tick().await;
    assert_eq!(query(&root, ".app-nav a[aria-current=page]").text_content().unwrap(), "Light client");
    web_sys::window().unwrap().location().set_hash("").unwrap();
}
