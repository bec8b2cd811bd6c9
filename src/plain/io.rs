//! Lines in and out: bounded reads, control characters stripped from what
//! is shown, passwords read without echo when the input is a terminal.

use std::io::{BufRead, IsTerminal, Read, Write};

/// One answer is at most this long; the rest of the line is dropped.
const MAX_LINE: usize = 4096;

pub(crate) struct Console {
    input: Box<dyn BufRead>,
    output: Box<dyn Write>,
    /// The input is a terminal: it echoes answers itself, and passwords
    /// are read without echo (even when the output goes to a file).
    tty: bool,
}

impl Console {
    pub(crate) fn stdio() -> Console {
        Console {
            tty: std::io::stdin().is_terminal(),
            input: Box::new(std::io::BufReader::new(std::io::stdin())),
            output: Box::new(std::io::stdout()),
        }
    }

    /// One line of output, cleaned of anything a terminal would act on.
    pub(crate) fn line(&mut self, text: &str) {
        let _ = writeln!(self.output, "{}", crate::cli::clean_line(text));
        let _ = self.output.flush();
    }

    /// A question; the answer follows on the same line.
    pub(crate) fn prompt(&mut self, text: &str) {
        let _ = write!(self.output, "{}", crate::cli::clean_line(text));
        let _ = self.output.flush();
    }

    /// The next answer, trimmed; None at the end of the input.
    pub(crate) fn read(&mut self) -> Option<String> {
        let mut bytes = Vec::new();
        let n = (&mut self.input)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut bytes)
            .ok()?;
        if n == 0 {
            return None;
        }
        if !bytes.ends_with(b"\n") {
            // Too long: drop the rest of the line.
            let mut rest = Vec::new();
            let _ = self.input.read_until(b'\n', &mut rest);
        }
        let text = String::from_utf8_lossy(&bytes);
        let answer = text.trim_end_matches(['\r', '\n']).trim().to_string();
        if !self.tty {
            // Piped input is not echoed: the transcript shows each answer.
            self.line(&answer);
        }
        Some(answer)
    }

    /// A password: without echo on a terminal, else the next line as is.
    pub(crate) fn read_secret(&mut self) -> Option<crate::secret::Secret> {
        if !self.tty {
            let was = std::mem::replace(&mut self.tty, true);
            let answer = self.read().map(crate::secret::Secret::new);
            self.tty = was;
            let _ = writeln!(self.output);
            return answer;
        }
        let text = read_hidden(&mut self.output)?;
        Some(crate::secret::Secret::new(text))
    }
}

/// Reads one line in raw mode (no echo), Backspace and Ctrl-U honoured.
fn read_hidden(out: &mut Box<dyn Write>) -> Option<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    crossterm::terminal::enable_raw_mode().ok()?;
    let mut text = String::new();
    let ended = loop {
        let Ok(Event::Key(k)) = read() else { continue };
        if k.kind == KeyEventKind::Release {
            continue;
        }
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Enter => break false,
            KeyCode::Char('c' | 'd') if ctrl => break true,
            KeyCode::Char('u') if ctrl => text.clear(),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if text.len() < MAX_LINE => text.push(c),
            _ => {}
        }
    };
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = write!(out, "\r\n");
    let _ = out.flush();
    (!ended).then_some(text)
}
