//! Identicons: a small symmetric picture derived from an address, so people
//! notice when an address is not the one they expected.
//!
//! The picture is a 5×5 grid mirrored left to right (15 free cells), two
//! colours from the hash. It is derived from keccak256 of the address bytes,
//! so it is stable everywhere the same address is shown.

use sha3::{Digest, Keccak256};

use super::address::Address;

/// The identicon's grid and colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identicon {
    /// Row-major 5×5 cells; `true` is filled.
    pub cells: [[bool; 5]; 5],
    /// Hue of the filled cells, 0–359.
    pub hue: u16,
    /// Hue of the background, 0–359.
    pub background_hue: u16,
}

impl Identicon {
    /// The identicon of `address`.
    pub fn of(address: &Address) -> Self {
        let hash = Keccak256::digest(address.0);
        let mut cells = [[false; 5]; 5];
        for row in 0..5 {
            for col in 0..3 {
                let bit = row * 3 + col;
                let on = hash[2 + bit / 8] >> (bit % 8) & 1 == 1;
                cells[row][col] = on;
                cells[row][4 - col] = on;
            }
        }
        let hue = u16::from_be_bytes([hash[0], hash[1]]) % 360;
        Self { cells, hue, background_hue: (hue + 180) % 360 }
    }

    /// An SVG document of `size` pixels.
    pub fn to_svg(&self, size: u32) -> String {
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 5 5\" shape-rendering=\"crispEdges\">\
             <rect width=\"5\" height=\"5\" fill=\"hsl({} 45% 88%)\"/>",
            self.background_hue
        );
        for (row, cells) in self.cells.iter().enumerate() {
            for (col, on) in cells.iter().enumerate() {
                if *on {
                    svg.push_str(&format!(
                        "<rect x=\"{col}\" y=\"{row}\" width=\"1\" height=\"1\" fill=\"hsl({} 60% 40%)\"/>",
                        self.hue
                    ));
                }
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Address {
        Address::parse(s).unwrap()
    }

    #[test]
    fn identicons_are_symmetric_stable_and_distinct() {
        let a = Identicon::of(&addr("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
        for row in a.cells {
            assert_eq!(row[0], row[4]);
            assert_eq!(row[1], row[3]);
        }
        assert_eq!(a, Identicon::of(&addr("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")));
        let b = Identicon::of(&addr("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"));
        assert_ne!(a, b);
        let svg = a.to_svg(24);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        let filled = a.cells.iter().flatten().filter(|c| **c).count();
        assert_eq!(svg.matches("<rect").count(), filled + 1);
    }
}
