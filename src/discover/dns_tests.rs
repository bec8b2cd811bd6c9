//! DNS messages: round trip, truncation, pointer loops.

use super::*;

#[test]
fn query_and_answer_round_trip() {
    let q = build_query(0x1234, "_imaps._tcp.example.test", SRV).unwrap();
    // An answer: the question echoed, one SRV with a compressed owner.
    let mut a = q[..q.len() - 11].to_vec();
    a[2] = 0x81;
    a[3] = 0x80;
    a[7] = 1; // ancount
    a[11] = 0; // no additional
    a.extend_from_slice(&[
        0xC0, 12, 0, 33, 0, 1, 0, 0, 0, 60, 0, 13, 0, 0, 0, 5, 3, 0xE1,
    ]);
    a.extend_from_slice(&[4, b'i', b'm', b'a', b'p', 0xC0, 12 + 7 + 5]);
    let (r, tc) = parse_answer(&a, 0x1234, SRV).unwrap();
    assert!(!tc);
    assert_eq!(
        r,
        vec![Record::Srv {
            priority: 0,
            weight: 5,
            port: 993,
            target: "imap.example.test".into()
        }]
    );
    // Every truncation is an error, never a panic.
    for cut in 0..a.len() {
        let _ = parse_answer(&a[..cut], 0x1234, SRV);
    }
    assert!(parse_answer(&a, 0x9999, SRV).is_err());
}

#[test]
fn pointer_loops_end() {
    let mut a = vec![0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0];
    a.extend_from_slice(&[0xC0, 12, 0, 15, 0, 1, 0, 0, 0, 1, 0, 4, 0, 1, 0xC0, 12]);
    assert!(parse_answer(&a, 1, MX).is_err());
}
