//! The account on a phone: the QR code that Thunderbird for Android imports
//! ("Export for Mobile", format version 1), shown in the terminal with
//! Unicode half blocks or written as a PNG image. The payload never holds a
//! password: the phone asks for it.

mod payload;
mod png;
mod render;

pub use payload::{QrError, QrField, thunderbird_payload};
pub use png::to_png;
pub use render::{half_blocks_with_quiet, to_half_blocks};

use qrcode::{EcLevel, QrCode};

/// The widest code (in modules) whose half-block drawing, quiet zone
/// included, fits an 80-column terminal.
const FITS_80_COLUMNS: usize = 80 - 8;

/// Encodes `payload` as a QR code with medium error correction (what
/// phones read reliably from a screen); low correction when that keeps the
/// code inside 80 columns or the payload is too long for medium.
pub fn encode(payload: &str) -> Result<QrCode, QrError> {
    let at = |level| QrCode::with_error_correction_level(payload.as_bytes(), level);
    match at(EcLevel::M) {
        Ok(code) if code.width() <= FITS_80_COLUMNS => Ok(code),
        medium => at(EcLevel::L).or(medium).map_err(|_| QrError::TooLong {
            bytes: payload.len(),
        }),
    }
}

/// Encodes a short text (a sign-in address) as the smallest code there is:
/// the lowest version that holds it at low error correction, so that it
/// fits the few rows an 80×24 terminal leaves free.
pub fn encode_smallest(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L)
        .map_err(|_| QrError::TooLong { bytes: text.len() })
}
