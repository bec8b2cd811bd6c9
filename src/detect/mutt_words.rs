//! The words of a muttrc line, as mutt splits them.

/// Mutt's words: quotes anywhere in a word, `\` escapes, `=` alone, `;`
/// between commands, `#` comments.
pub(super) fn commands(line: &str) -> Result<Vec<Vec<String>>, super::DetectProblem> {
    let mut cmds = vec![Vec::new()];
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    let flush = |word: &mut Option<String>, cmds: &mut Vec<Vec<String>>| {
        if let (Some(w), Some(c)) = (word.take(), cmds.last_mut()) {
            c.push(w);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => word.get_or_insert_default().extend(chars.next()),
            '"' | '\'' => {
                let w = word.get_or_insert_default();
                let mut closed = false;
                while let Some(q) = chars.next() {
                    match q {
                        '\\' if c == '"' => w.extend(chars.next()),
                        q if q == c => {
                            closed = true;
                            break;
                        }
                        q => w.push(q),
                    }
                }
                if !closed {
                    return Err(super::DetectProblem::QuoteNotClosed);
                }
            }
            '#' if word.is_none() => break,
            '=' => {
                flush(&mut word, &mut cmds);
                if let Some(c) = cmds.last_mut() {
                    c.push("=".into());
                }
            }
            ';' => {
                flush(&mut word, &mut cmds);
                cmds.push(Vec::new());
            }
            c if c.is_whitespace() => flush(&mut word, &mut cmds),
            c => word.get_or_insert_default().push(c),
        }
    }
    flush(&mut word, &mut cmds);
    cmds.retain(|c| !c.is_empty());
    Ok(cmds)
}
