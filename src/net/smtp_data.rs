//! A message as the DATA command carries it (RFC 5321 4.5.2): every line
//! ends in CRLF (bare CR or LF become CRLF), a line starting with "." gets
//! one more, and the message ends with "CRLF.CRLF".

/// The bytes to send after `354`, terminator included.
pub fn data_bytes(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 50 + 5);
    let mut at_line_start = true;
    let mut i = 0;
    while i < message.len() {
        let b = message[i];
        match b {
            b'\r' | b'\n' => {
                out.extend_from_slice(b"\r\n");
                // CRLF is one line end, not two.
                if b == b'\r' && message.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                at_line_start = true;
            }
            _ => {
                if at_line_start && b == b'.' {
                    out.push(b'.');
                }
                out.push(b);
                at_line_start = false;
            }
        }
        i += 1;
    }
    if !at_line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_dots() {
        assert_eq!(data_bytes(b"a\r\nb\r\n"), b"a\r\nb\r\n.\r\n");
        assert_eq!(data_bytes(b"a\nb"), b"a\r\nb\r\n.\r\n");
        assert_eq!(data_bytes(b"a\rb\r\n"), b"a\r\nb\r\n.\r\n");
        assert_eq!(data_bytes(b".\r\n..x\n"), b"..\r\n...x\r\n.\r\n");
        assert_eq!(data_bytes(b"x.\r\n.\r\ny"), b"x.\r\n..\r\ny\r\n.\r\n");
        assert_eq!(data_bytes(b""), b".\r\n");
        assert_eq!(data_bytes(b"\n\n"), b"\r\n\r\n.\r\n");
    }
}
