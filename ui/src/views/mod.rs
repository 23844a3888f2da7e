//! The wallet's screens. Each reads the engine's status from the shell's
//! context ([`crate::app::ctx`]), asks the engine for anything else it shows,
//! and shows loading, empty and error states in words.

mod agents;
mod approve;
mod home;
mod keys;
mod onboarding;
mod receive;
mod send;
mod settings;
mod status;
mod unlock;
mod uploads;

pub use agents::AgentsView;
pub use approve::ApproveView;
pub use home::{ActivityRow, BalanceRow, HomeView};
pub use keys::{ChangePasswordView, ExportKeystoreView, ImportAccountView};
pub use onboarding::OnboardingView;
pub use receive::ReceiveView;
pub use send::{SendView, check_send};
pub use settings::SettingsView;
pub use status::StatusView;
pub use unlock::UnlockView;
pub use uploads::{Unfinished, UploadsView, is_root};
