//! The SMTP server, spoken to directly (lettre hides the dialogue): EHLO,
//! STARTTLS, AUTH, then MAIL FROM / RCPT TO / RSET without DATA, so a
//! refusal shows with its code. The send path itself stays on lettre.

use super::ServerProbe;
use super::incoming::{other_login_form, trial};
use crate::account::{Account, AuthMethod, Role, Security};
use crate::check::Side;
use crate::net::{
    Conn, Deadline, NetError, NoSteps, Phase, Reply, Tap, TlsSetup, Transcript, Wire, clean_text,
    open_traced,
};
use crate::secret::Secret;
use base64::Engine;
use std::time::Instant;

pub(super) fn probe(
    acct: &Account,
    pw: Option<&Secret>,
    rcpt: Option<&str>,
    deadline: &Deadline,
    transcript: &Transcript,
) -> ServerProbe {
    let s = &acct.smtp;
    let mut p = ServerProbe::new(Side::Smtp, &s.host, s.port, s.security, Wire::Smtp);
    let start = Instant::now();
    if let Err(e) = run(acct, pw, rcpt, deadline, transcript.tap("smtp"), &mut p) {
        p.fail(e);
    }
    p.ms = start.elapsed().as_millis() as u64;
    p
}

/// A reply: its code and its lines (without the code).
struct Answer {
    code: u16,
    lines: Vec<String>,
}

impl Answer {
    fn reply(&self) -> Reply {
        Reply::smtp(self.code, &self.lines.join(" "))
    }
}

fn read_answer(conn: &mut Conn, phase: Phase) -> Result<Answer, NetError> {
    let mut lines = Vec::new();
    loop {
        let raw = conn.read_line(phase)?;
        let line = clean_text(&raw);
        let b = line.as_bytes();
        let numeric = b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit);
        if !numeric || (b.len() > 3 && b[3] != b' ' && b[3] != b'-') {
            return Err(if phase == Phase::Greeting && lines.is_empty() {
                NetError::WrongProtocol {
                    expected: Wire::Smtp,
                    found: Wire::of_greeting(&line),
                    greeting: line,
                }
            } else {
                NetError::Protocol {
                    phase,
                    detail: format!("not an SMTP reply: {line}"),
                }
            });
        }
        let code: u16 = line[..3].parse().unwrap_or(0);
        lines.push(line.get(4..).unwrap_or("").to_string());
        if b.len() <= 3 || b[3] == b' ' {
            return Ok(Answer { code, lines });
        }
    }
}

fn command(conn: &mut Conn, phase: Phase, cmd: &str) -> Result<Answer, NetError> {
    conn.send(phase, format!("{cmd}\r\n").as_bytes())?;
    read_answer(conn, phase)
}

fn expect(a: Answer, phase: Phase, ok: u16) -> Result<Answer, NetError> {
    if a.code == ok {
        Ok(a)
    } else {
        Err(NetError::Rejected {
            phase,
            reply: a.reply(),
        })
    }
}

fn ehlo(conn: &mut Conn, p: &mut ServerProbe) -> Result<(), NetError> {
    let a = expect(
        command(conn, Phase::Capabilities, "EHLO localhost")?,
        Phase::Capabilities,
        250,
    )?;
    p.capabilities = a
        .lines
        .iter()
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    Ok(())
}

fn has(p: &ServerProbe, word: &str) -> bool {
    p.capabilities.iter().any(|c| {
        c.split([' ', '='])
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

fn mechanisms(p: &ServerProbe) -> Vec<String> {
    p.capabilities
        .iter()
        .filter(|c| c.len() >= 4 && c[..4].eq_ignore_ascii_case("AUTH"))
        .flat_map(|c| c[4..].split([' ', '=']).filter(|m| !m.is_empty()))
        .map(|m| m.to_ascii_uppercase())
        .collect()
}

fn run(
    acct: &Account,
    pw: Option<&Secret>,
    rcpt: Option<&str>,
    deadline: &Deadline,
    tap: Tap,
    p: &mut ServerProbe,
) -> Result<(), NetError> {
    let s = &acct.smtp;
    let setup = TlsSetup::new(&s.host, &acct.trust_for(Role::Smtp))?;
    let implicit = s.security == Security::Tls;
    let opened = open_traced(
        &s.host,
        s.port,
        implicit,
        &setup,
        deadline,
        &mut NoSteps,
        Some(tap),
    )?;
    let mut conn = opened.conn;
    p.cert = opened.cert;
    let greeting = read_answer(&mut conn, Phase::Greeting)?;
    p.answered = Some(Wire::Smtp);
    p.greeting = Some(greeting.lines.join(" "));
    expect(greeting, Phase::Greeting, 220)?;
    ehlo(&mut conn, p)?;
    if s.security == Security::Starttls {
        if !has(p, "STARTTLS") {
            return Err(NetError::StarttlsNotOffered);
        }
        expect(
            command(&mut conn, Phase::Starttls, "STARTTLS")?,
            Phase::Starttls,
            220,
        )?;
        let (_, cert) = conn.start_tls(&setup)?;
        p.cert = Some(cert);
        ehlo(&mut conn, p)?;
    }
    if s.auth_required
        && let Some(pw) = pw
    {
        p.login_needed = true;
        if acct.incoming.auth == AuthMethod::Oauth2 {
            let r = auth_xoauth2(&mut conn, p, &s.username, pw);
            p.login = Some(trial(&s.username, &r));
            r?;
        } else if let Err(e) = {
            let first = auth(&mut conn, p, &s.username, pw);
            p.login = Some(trial(&s.username, &first));
            first
        } {
            let other = matches!(e, NetError::AuthFailed { .. })
                .then(|| other_login_form(&s.username, &acct.email))
                .flatten();
            let Some(other) = other else { return Err(e) };
            let second = auth(&mut conn, p, &other, pw);
            p.other_login = Some(trial(&other, &second));
            if second.is_err() {
                return Err(e);
            }
        }
    }
    envelope(&mut conn, p, &acct.email, rcpt)?;
    let _ = command(&mut conn, Phase::Logout, "QUIT");
    conn.shutdown();
    Ok(())
}

/// AUTH PLAIN, else AUTH LOGIN. Nothing secret is sent on a plain
/// connection when the server wants TLS first.
fn auth(conn: &mut Conn, p: &ServerProbe, user: &str, pw: &Secret) -> Result<(), NetError> {
    let mechs = mechanisms(p);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let plain = mechs.iter().any(|m| m == "PLAIN");
    let login = mechs.iter().any(|m| m == "LOGIN");
    if !plain && !login {
        return Err(if !conn.is_tls() {
            NetError::LoginDisabled
        } else if mechs.is_empty() {
            NetError::Protocol {
                phase: Phase::Login,
                detail: "the server offers no AUTH".into(),
            }
        } else {
            NetError::Unsupported {
                what: mechs.join(" "),
            }
        });
    }
    let tls = conn.is_tls();
    let refused = |a: Answer| {
        let reply = a.reply();
        match a.code {
            530 | 538 | 523 if !tls => NetError::LoginDisabled,
            500..=599 => NetError::AuthFailed { reply },
            _ => NetError::Rejected {
                phase: Phase::Login,
                reply,
            },
        }
    };
    let answer = if plain {
        let mut raw = vec![0u8];
        raw.extend_from_slice(user.as_bytes());
        raw.push(0);
        raw.extend_from_slice(pw.expose().as_bytes());
        let cmd = format!("AUTH PLAIN {}", b64(&raw));
        raw.fill(0);
        command(conn, Phase::Login, &cmd)?
    } else {
        let a = command(conn, Phase::Login, "AUTH LOGIN")?;
        if a.code != 334 {
            return Err(refused(a));
        }
        let a = command(conn, Phase::Login, &b64(user.as_bytes()))?;
        if a.code != 334 {
            return Err(refused(a));
        }
        command(conn, Phase::Login, &b64(pw.expose().as_bytes()))?
    };
    if answer.code == 235 {
        Ok(())
    } else {
        Err(refused(answer))
    }
}

/// AUTH XOAUTH2 with the access token; the server's error challenge is
/// answered with an empty line, as RFC 7628 clients do, to read its final
/// refusal.
fn auth_xoauth2(
    conn: &mut Conn,
    p: &ServerProbe,
    user: &str,
    token: &Secret,
) -> Result<(), NetError> {
    if !mechanisms(p).iter().any(|m| m == "XOAUTH2") {
        return Err(if conn.is_tls() {
            NetError::Unsupported {
                what: "XOAUTH2".into(),
            }
        } else {
            NetError::LoginDisabled
        });
    }
    let cmd = format!(
        "AUTH XOAUTH2 {}",
        crate::oauth::sasl::xoauth2(user, token.expose())
    );
    let mut a = command(conn, Phase::Login, &cmd)?;
    if a.code == 334 {
        a = command(conn, Phase::Login, "")?;
    }
    match a.code {
        235 => Ok(()),
        500..=599 => Err(NetError::AuthFailed { reply: a.reply() }),
        _ => Err(NetError::Rejected {
            phase: Phase::Login,
            reply: a.reply(),
        }),
    }
}

fn envelope(
    conn: &mut Conn,
    p: &mut ServerProbe,
    from: &str,
    rcpt: Option<&str>,
) -> Result<(), NetError> {
    let a = command(conn, Phase::Mail, &format!("MAIL FROM:<{from}>"))?;
    p.mail_from = Some(a.reply());
    if a.code / 100 != 2 {
        return Err(NetError::Rejected {
            phase: Phase::Mail,
            reply: a.reply(),
        });
    }
    if let Some(to) = rcpt {
        let a = command(conn, Phase::Rcpt, &format!("RCPT TO:<{to}>"))?;
        p.rcpt_to = Some(a.reply());
        if a.code / 100 != 2 {
            let _ = command(conn, Phase::Mail, "RSET");
            return Err(NetError::Rejected {
                phase: Phase::Rcpt,
                reply: a.reply(),
            });
        }
    }
    let _ = command(conn, Phase::Mail, "RSET");
    Ok(())
}
