//! Reading Microsoft Autodiscover answers: the POX response
//! (`outlook/responseschema/2006a`) and the v2 JSON pointer. Read leniently
//! like Thunderbird's `readAutoDiscoverXML` (each `<Protocol>` on its own,
//! unknown ones skipped), validated strictly (host names and ports), with
//! the same bounds as a clientConfig document.

use crate::account::{Protocol, Security};
use quick_xml::Reader;
use quick_xml::events::Event;

const MAX_ELEMENTS: usize = 10_000;
const MAX_DEPTH: usize = 16;
const MAX_TEXT: usize = 1024;

/// One `<Protocol>` of the answer that mailwiz can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MailServer {
    /// None: SMTP.
    pub protocol: Option<Protocol>,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub login: Option<String>,
}

/// What a POX answer says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PoxAnswer {
    pub servers: Vec<MailServer>,
    /// Exchange-only protocols listed (EXCH, EXPR, EXHTTP, WEB).
    pub exchange: bool,
    pub redirect_addr: Option<String>,
    pub redirect_url: Option<String>,
    /// An `<Error>` answer (unknown mailbox, bad request).
    pub error: bool,
}

#[derive(Default)]
struct ProtocolFields {
    kind: String,
    server: String,
    port: String,
    ssl: String,
    encryption: String,
    login: String,
}

/// The mail servers and pointers of a POX answer; None when it is not
/// XML at all or exceeds the bounds.
pub(crate) fn parse_pox(xml: &str) -> Option<PoxAnswer> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut answer = PoxAnswer::default();
    let mut proto: Option<ProtocolFields> = None;
    let mut elements = 0usize;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                elements += 1;
                if elements > MAX_ELEMENTS || path.len() >= MAX_DEPTH {
                    return None;
                }
                let name = e.local_name().as_ref().to_string();
                if name == "Protocol" {
                    proto = Some(ProtocolFields::default());
                }
                if name == "Error" {
                    answer.error = true;
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => push_bounded(&mut text, &t.xml10_content()),
            Event::CData(t) => push_bounded(&mut text, &t.xml10_content()),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = std::mem::take(&mut text).trim().to_string();
                end_element(&name, value, &mut proto, &mut answer);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(answer)
}

fn push_bounded(text: &mut String, more: &str) {
    for c in more.chars() {
        if text.len() + c.len_utf8() > MAX_TEXT {
            break;
        }
        text.push(c);
    }
}

fn end_element(
    name: &str,
    value: String,
    proto: &mut Option<ProtocolFields>,
    answer: &mut PoxAnswer,
) {
    if name == "Protocol" {
        if let Some(p) = proto.take() {
            take_protocol(p, answer);
        }
        return;
    }
    if let Some(p) = proto.as_mut() {
        let field = match name {
            "Type" => &mut p.kind,
            "Server" => &mut p.server,
            "Port" => &mut p.port,
            "SSL" => &mut p.ssl,
            "Encryption" => &mut p.encryption,
            "LoginName" => &mut p.login,
            _ => return,
        };
        *field = value;
        return;
    }
    match name {
        "RedirectAddr" if !value.is_empty() => answer.redirect_addr = Some(value),
        "RedirectUrl" if !value.is_empty() => answer.redirect_url = Some(value),
        _ => {}
    }
}

/// One protocol, validated on its own: a bad one is skipped.
fn take_protocol(p: ProtocolFields, answer: &mut PoxAnswer) {
    let protocol = match p.kind.to_ascii_uppercase().as_str() {
        "IMAP" => Some(Protocol::Imap),
        "POP3" => Some(Protocol::Pop3),
        "SMTP" => None,
        "EXCH" | "EXPR" | "EXHTTP" | "WEB" => {
            answer.exchange = true;
            return;
        }
        _ => return,
    };
    let host = p.server.to_ascii_lowercase();
    if crate::account::validate_host(&host).is_err() {
        return;
    }
    let Ok(port) = p.port.parse::<u16>() else {
        return;
    };
    if port == 0 {
        return;
    }
    let implicit_tls_port = matches!(port, 465 | 993 | 995);
    let security = match p.encryption.to_ascii_lowercase().as_str() {
        "none" => Security::None,
        "ssl" => Security::Tls,
        "tls" => Security::Starttls,
        _ if p.ssl.eq_ignore_ascii_case("off") => Security::None,
        _ if implicit_tls_port => Security::Tls,
        // "auto", or SSL on at a submission/plain port: STARTTLS there.
        _ if matches!(port, 25 | 110 | 143 | 587) => Security::Starttls,
        _ => Security::Tls,
    };
    let login = Some(p.login).filter(|l| !l.is_empty() && !l.chars().any(char::is_control));
    answer.servers.push(MailServer {
        protocol,
        host,
        port,
        security,
        login,
    });
}

/// The POX endpoint a v2 JSON answer points to
/// (`{"Protocol":"AutodiscoverV1","Url":"https://…/autodiscover.xml"}`).
pub(crate) fn parse_v2(json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let url = v.get("Url")?.as_str()?;
    (url.len() < 2048 && !url.chars().any(char::is_control)).then(|| url.to_string())
}

/// The POX request for `email` (escaped: the address is typed by a user).
pub(crate) fn pox_request(email: &str) -> String {
    let escaped = quick_xml::escape::escape(email);
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\
         <Request><EMailAddress>{escaped}</EMailAddress>\
         <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\
         </Request></Autodiscover>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONPREM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
 <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
  <User><DisplayName>Eve</DisplayName></User>
  <Account><AccountType>email</AccountType><Action>settings</Action>
   <Protocol><Type>EXCH</Type><Server>ex01.corp.test</Server></Protocol>
   <Protocol><Type>IMAP</Type><Server>mail.corp.test</Server><Port>993</Port><SSL>on</SSL><LoginName>eve@corp.test</LoginName></Protocol>
   <Protocol><Type>SMTP</Type><Server>mail.corp.test</Server><Port>587</Port><SSL>on</SSL><Encryption>TLS</Encryption></Protocol>
   <Protocol><Type>POP3</Type><Server>bad host!</Server><Port>995</Port></Protocol>
   <Protocol><Type>IMAP</Type><Server>mail.corp.test</Server><Port>99999</Port></Protocol>
  </Account>
 </Response>
</Autodiscover>"#;

    #[test]
    fn reads_each_protocol_on_its_own() {
        let a = parse_pox(ONPREM).unwrap();
        assert!(a.exchange);
        assert_eq!(a.servers.len(), 2, "{a:?}");
        assert_eq!(a.servers[0].protocol, Some(Protocol::Imap));
        assert_eq!(a.servers[0].security, Security::Tls);
        assert_eq!(a.servers[0].login.as_deref(), Some("eve@corp.test"));
        assert_eq!(a.servers[1].protocol, None);
        assert_eq!(a.servers[1].security, Security::Starttls);
    }

    #[test]
    fn redirects_errors_and_bounds() {
        let r = parse_pox("<Autodiscover><Response><Account><Action>redirectAddr</Action><RedirectAddr>eve@other.test</RedirectAddr></Account></Response></Autodiscover>").unwrap();
        assert_eq!(r.redirect_addr.as_deref(), Some("eve@other.test"));
        let e = parse_pox("<Autodiscover><Response><Error><ErrorCode>500</ErrorCode></Error></Response></Autodiscover>").unwrap();
        assert!(e.error && e.servers.is_empty());
        let deep = "<a>".repeat(100);
        assert!(parse_pox(&deep).is_none());
        assert!(parse_pox("not xml <<<").is_none_or(|a| a.servers.is_empty()));
        assert_eq!(
            parse_v2(r#"{"Protocol":"AutodiscoverV1","Url":"https://x.test/autodiscover/autodiscover.xml"}"#)
                .as_deref(),
            Some("https://x.test/autodiscover/autodiscover.xml")
        );
        assert!(parse_v2(r#"{"ErrorCode":"InvalidProtocol"}"#).is_none());
        assert!(pox_request("a<b>@x.test").contains("a&lt;b&gt;@x.test"));
    }
}
