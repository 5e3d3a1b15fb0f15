//! A small SQL tokenizer and the tree of parenthesised groups the translation walks. It knows the
//! lexical rules of both dialects' common ground: strings ('…', quotes doubled), quoted identifiers
//! ("…", `…`, […]), comments, numbers, words, placeholders and punctuation, so text inside a string or
//! a quoted name is never rewritten.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Space,
    Comment,
    Str,
    Ident,
    Number,
    Word,
    Param,
    Punct,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tok {
    pub kind: Kind,
    pub text: String,
}

impl Tok {
    pub fn new(kind: Kind, text: impl Into<String>) -> Tok {
        Tok {
            kind,
            text: text.into(),
        }
    }

    /// A word equal to `w`, ignoring ASCII case.
    pub fn is(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(w)
    }

    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }

    pub fn significant(&self) -> bool {
        !matches!(self.kind, Kind::Space | Kind::Comment)
    }
}

/// Splits SQL into tokens; every byte of the input is in exactly one token, so joining the texts gives
/// the input back.
pub fn tokenize(sql: &str) -> Vec<Tok> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = if c.is_ascii_whitespace() {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            Kind::Space
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            Kind::Comment
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = sql[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            Kind::Comment
        } else if c == b'\'' {
            i = quoted_end(b, i, b'\'');
            Kind::Str
        } else if c == b'"' || c == b'`' {
            i = quoted_end(b, i, c);
            Kind::Ident
        } else if c == b'[' {
            i = sql[i..].find(']').map_or(b.len(), |e| i + e + 1);
            Kind::Ident
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i = number_end(b, i);
            Kind::Number
        } else if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 {
            while i < b.len()
                && (b[i] == b'_' || b[i] == b'$' || b[i].is_ascii_alphanumeric() || b[i] >= 0x80)
            {
                i += 1;
            }
            Kind::Word
        } else if c == b'?' {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            Kind::Param
        } else if (c == b':' || c == b'@' || c == b'$')
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_')
        {
            i += 1;
            while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            Kind::Param
        } else {
            let two = sql.get(i..i + 2).unwrap_or("");
            i += if ["||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "::"].contains(&two) {
                2
            } else {
                // One whole character, never half of a multi-byte one.
                sql[i..].chars().next().map_or(1, char::len_utf8)
            };
            Kind::Punct
        };
        out.push(Tok::new(kind, &sql[start..i]));
    }
    out
}

fn quoted_end(b: &[u8], mut i: usize, q: u8) -> usize {
    i += 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

fn number_end(b: &[u8], mut i: usize) -> usize {
    if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X')) {
        i += 2;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            i += 1;
        }
        return i;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            i = j;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    i
}

/// A token, a parenthesised group (without its parentheses), or text the translation already wrote.
#[derive(Clone, Debug)]
pub enum Node {
    T(Tok),
    G(Vec<Node>),
    Raw(String),
}

impl Node {
    pub fn tok(&self) -> Option<&Tok> {
        match self {
            Node::T(t) => Some(t),
            _ => None,
        }
    }

    pub fn is(&self, w: &str) -> bool {
        self.tok().is_some_and(|t| t.is(w))
    }

    pub fn is_punct(&self, p: &str) -> bool {
        self.tok().is_some_and(|t| t.is_punct(p))
    }

    pub fn significant(&self) -> bool {
        self.tok().is_none_or(Tok::significant)
    }

    pub fn raw(s: impl Into<String>) -> Node {
        Node::Raw(s.into())
    }
}

/// The tree of groups; an unbalanced `)` stays a token, an unclosed `(` closes at the end.
pub fn tree(toks: Vec<Tok>) -> Vec<Node> {
    let mut stack: Vec<Vec<Node>> = vec![Vec::new()];
    for t in toks {
        if t.is_punct("(") {
            stack.push(Vec::new());
        } else if t.is_punct(")") && stack.len() > 1 {
            let inner = stack.pop().unwrap_or_default();
            if let Some(top) = stack.last_mut() {
                top.push(Node::G(inner));
            }
        } else if let Some(top) = stack.last_mut() {
            top.push(Node::T(t));
        }
    }
    while stack.len() > 1 {
        let inner = stack.pop().unwrap_or_default();
        if let Some(top) = stack.last_mut() {
            top.push(Node::G(inner));
        }
    }
    stack.pop().unwrap_or_default()
}

pub fn text(nodes: &[Node]) -> String {
    let mut s = String::new();
    write(nodes, &mut s);
    s
}

fn write(nodes: &[Node], s: &mut String) {
    for n in nodes {
        match n {
            Node::T(t) => s.push_str(&t.text),
            Node::Raw(r) => s.push_str(r),
            Node::G(g) => {
                s.push('(');
                write(g, s);
                s.push(')');
            }
        }
    }
}

/// The nodes without spaces and comments at either end.
pub fn trimmed(nodes: &[Node]) -> &[Node] {
    let start = nodes
        .iter()
        .position(Node::significant)
        .unwrap_or(nodes.len());
    let end = nodes
        .iter()
        .rposition(Node::significant)
        .map_or(start, |e| e + 1);
    &nodes[start..end]
}

/// Splits at top-level commas.
pub fn split_commas(nodes: &[Node]) -> Vec<&[Node]> {
    split_at(nodes, |n| n.is_punct(","))
}

pub fn split_at(nodes: &[Node], at: impl Fn(&Node) -> bool) -> Vec<&[Node]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, n) in nodes.iter().enumerate() {
        if at(n) {
            parts.push(&nodes[start..i]);
            start = i + 1;
        }
    }
    parts.push(&nodes[start..]);
    parts
}

/// Index of the next significant node at or after `i`.
pub fn next_sig(nodes: &[Node], mut i: usize) -> Option<usize> {
    while i < nodes.len() {
        if nodes[i].significant() {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Index of the previous significant node before `i`.
pub fn prev_sig(nodes: &[Node], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| nodes[j].significant())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_give_the_input_back_and_keep_strings_whole() {
        let sql =
            "SELECT 'it''s -- no', \"a\"\"b\", x||y, ?12, 1.5e3 -- c\n/* d */ FROM t WHERE 名 <> ?";
        let toks = tokenize(sql);
        assert_eq!(
            toks.iter().map(|t| t.text.as_str()).collect::<String>(),
            sql
        );
        assert!(toks
            .iter()
            .any(|t| t.kind == Kind::Str && t.text == "'it''s -- no'"));
        assert!(toks
            .iter()
            .any(|t| t.kind == Kind::Ident && t.text == "\"a\"\"b\""));
        assert!(toks
            .iter()
            .any(|t| t.kind == Kind::Param && t.text == "?12"));
        assert!(toks
            .iter()
            .any(|t| t.kind == Kind::Number && t.text == "1.5e3"));
        assert!(toks.iter().any(|t| t.kind == Kind::Word && t.text == "名"));
        assert!(toks.iter().any(|t| t.is_punct("||")));
        assert_eq!(text(&tree(tokenize(sql))), sql);
    }
}
