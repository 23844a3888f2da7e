//! Shared components: every view builds from these, so an address, an
//! amount, a verification state or an error looks and reads the same
//! everywhere.

mod address;
mod amount;
mod approval;
mod badge;
mod banner;
mod form;
mod network;
mod progress;
mod states;

pub use address::AddressView;
pub use amount::AmountView;
pub use badge::{Verification, VerifiedBadge};
pub use banner::ErrorBanner;
pub use form::{FormError, PasswordField};
pub use approval::ApprovalCard;
pub use network::{NetworkOption, NetworkSwitcher};
pub use progress::ProgressBar;
pub use states::{EmptyState, Loading};
