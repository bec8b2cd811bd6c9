//! IPv6 that goes nowhere while IPv4 works (issue 14.8): Happy Eyeballs
//! hides it from mailwiz, not from every other program, so it is a warning.

use super::{Code, Diag, Evidence};
use crate::doctor::{PortOutcome, ServerProbe};
use crate::net::Family;

/// `ipv6_broken` when an IPv6 connect failed and an IPv4 one worked.
pub(super) fn ipv6_broken(p: &ServerProbe) -> Option<Diag> {
    let of = |f: Family| p.families.iter().find(|x| x.family == f);
    let (v6, v4) = (of(Family::Ipv6)?, of(Family::Ipv4)?);
    (v6.outcome != PortOutcome::Open && v4.outcome == PortOutcome::Open).then(|| {
        Diag::new(Code::Ipv6Broken, Evidence::Families(p.families.clone()))
            .arg("v6_addr", v6.addr.clone())
            .arg("v4_addr", v4.addr.clone())
    })
}
