//! INI / GLib key files (Evolution's `.source`, aerc's `accounts.conf`):
//! `[Section]` headers, `key = value` lines, `#` and `;` comment lines.

/// One section, keys in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    /// 1-based line of the header (0 for keys before any header).
    pub line: usize,
    pub entries: Vec<(String, String)>,
}

impl Section {
    /// The last value of `key` (keys compare case-sensitively, as GLib does).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The sections, and (line, detail) for each line that is neither.
pub fn parse(text: &str) -> (Vec<Section>, Vec<super::Problem>) {
    let mut sections = vec![Section::default()];
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            match name.strip_suffix(']') {
                Some(name) => sections.push(Section {
                    name: name.trim().to_string(),
                    line: i + 1,
                    entries: Vec::new(),
                }),
                None => problems.push((Some(i + 1), super::DetectProblem::SectionNotClosed)),
            }
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) => {
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(v);
                if let Some(s) = sections.last_mut() {
                    s.entries.push((k.trim().to_string(), v.to_string()));
                }
            }
            None => problems.push((Some(i + 1), super::DetectProblem::NotKeyValue)),
        }
    }
    if sections.first().is_some_and(|s| s.entries.is_empty()) {
        sections.remove(0);
    }
    (sections, problems)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sections() {
        let (s, p) = super::parse("# c\n[A]\nk = v\n  k2=\"q\"\n[B]\nbad line\n[C\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].get("k"), Some("v"));
        assert_eq!(s[0].get("k2"), Some("q"));
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].0, Some(6));
    }
}
