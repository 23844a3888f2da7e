//! Pure formatting: what the components show, computed without a DOM so it is
//! tested natively and reused by every view.

pub mod address;
pub mod amount;
pub mod identicon;
pub mod origin;
pub mod progress;
