//! A QR code as a PNG image (8-bit greyscale, black on white), written by
//! hand: the format needs only a zlib stream, which "stored" deflate blocks
//! provide without compression (RFC 1950/1951), and two checksums.

use qrcode::{Color, QrCode};

const QUIET: usize = 4;

/// The image, `scale` pixels per module, with a 4-module quiet zone.
pub fn to_png(code: &QrCode, scale: usize) -> Vec<u8> {
    let scale = scale.clamp(1, 64);
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * scale;
    let mut raw = Vec::with_capacity((side + 1) * side);
    for py in 0..side {
        raw.push(0); // filter: none
        let y = py / scale;
        for px in 0..side {
            let x = px / scale;
            let dark = (QUIET..width + QUIET).contains(&x)
                && (QUIET..width + QUIET).contains(&y)
                && colors[(y - QUIET) * width + (x - QUIET)] == Color::Dark;
            raw.push(if dark { 0 } else { 255 });
        }
    }
    let side = u32::try_from(side).unwrap_or(u32::MAX);
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, *b"IHDR", &ihdr);
    chunk(&mut png, *b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, *b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn header_and_size() {
        let code = QrCode::new(b"x").unwrap();
        let png = to_png(&code, 3);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let side = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert_eq!(side as usize, (code.width() + 8) * 3);
        assert!(png.ends_with(&[0xae, 0x42, 0x60, 0x82]));
    }
}
