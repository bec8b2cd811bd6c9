//! Words of a configuration line, the way msmtp, mbsync and fetchmail split
//! them: whitespace between words, `"double quotes"` (with `\` escapes)
//! around a word with spaces, and `#` starting a comment outside quotes.

/// The words of `line`, or why the line cannot be split (an open quote).
pub fn split(line: &str) -> Result<Vec<String>, super::DetectProblem> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&c) = chars.peek() else { break };
        if c == '#' {
            break;
        }
        let mut word = String::new();
        if c == '"' || c == '\'' {
            let quote = c;
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' if quote == '"' => word.extend(chars.next()),
                    c if c == quote => {
                        closed = true;
                        break;
                    }
                    c => word.push(c),
                }
            }
            if !closed {
                return Err(super::DetectProblem::QuoteNotClosed);
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                word.push(c);
            }
        }
        words.push(word);
    }
    Ok(words)
}

/// `on`/`yes`/`true` (or nothing at all) is true.
pub fn on(value: Option<&str>) -> bool {
    match value {
        None => true,
        Some(v) => matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "on" | "yes" | "true" | "1"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            split("  host   smtp.x.org  # comment").unwrap(),
            vec!["host", "smtp.x.org"]
        );
        assert_eq!(
            split(r#"from "Al \"B\" <a@b>" x"#).unwrap(),
            vec!["from", "Al \"B\" <a@b>", "x"]
        );
        assert_eq!(split("# all comment").unwrap(), Vec::<String>::new());
        assert!(split("user \"open").is_err());
    }
}
