//! A small expression language for checks the typed kinds do not cover.
//!
//! `t2.license.decisions == t2.license.prev_items + t2.license.delta and not blank(x)`.
//! Numbers, cell keys, `+ - * /`, comparisons, `and or not`, parentheses, and functions
//! `present(key)`, `blank(key)`, `abs(x)`, `sum(pattern)`. A blank or absent cell makes a
//! value unknown (a sum too, when a cell its table should have was not read); unknown propagates (three-valued logic: `false and unknown` is false), and
//! a rule whose condition is unknown does not fire. Written by hand (about 250 lines) rather
//! than taken from a crate: the language needs blank-aware semantics and cell-key names
//! with dots, which general evaluators do not have, and errors must carry positions.

use crate::keys::{Binding, KeyPattern};
use nianbao_model::Report;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Cell(String),
    Call(String, Vec<Expr>),
    Pattern(KeyPattern),
    Unary(char, Box<Expr>),
    Binary(Box<Expr>, String, Box<Expr>),
}

impl PartialEq for KeyPattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Bool(bool),
    Unknown,
}

/// A syntax error at a byte offset of the expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(String),
    LParen,
    RParen,
    Comma,
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Num(n) => write!(f, "{n}"),
            Tok::Ident(name) => write!(f, "{name:?}"),
            Tok::Op(op) => write!(f, "'{op}'"),
            Tok::LParen => f.write_str("'('"),
            Tok::RParen => f.write_str("')'"),
            Tok::Comma => f.write_str("','"),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_ascii_digit() || chars[j].1 == '.') {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |c| c.0);
            let number = text[at..end].parse().map_err(|_| ExprError {
                offset: at,
                message: format!("bad number {:?}", &text[at..end]),
            })?;
            out.push((at, Tok::Num(number)));
            i = j;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_ascii_alphanumeric() || "._*{}".contains(chars[j].1))
            {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |c| c.0);
            out.push((at, Tok::Ident(text[at..end].to_string())));
            i = j;
        } else {
            let two: String = chars[i..].iter().take(2).map(|c| c.1).collect();
            let (tok, len) = match (c, two.as_str()) {
                (_, "==" | "!=" | "<=" | ">=") => (Tok::Op(two.clone()), 2),
                ('<' | '>' | '+' | '-' | '*' | '/', _) => (Tok::Op(c.to_string()), 1),
                ('(', _) => (Tok::LParen, 1),
                (')', _) => (Tok::RParen, 1),
                (',', _) => (Tok::Comma, 1),
                _ => {
                    return Err(ExprError {
                        offset: at,
                        message: format!("unexpected character {c:?}"),
                    })
                }
            };
            out.push((at, tok));
            i += len;
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.1)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |t| t.0)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            offset: self.offset(),
            message: message.into(),
        })
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(w)) if w == word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_op(&mut self, ops: &[&str]) -> Option<String> {
        match self.peek() {
            Some(Tok::Op(op)) if ops.contains(&op.as_str()) => {
                let op = op.clone();
                self.pos += 1;
                Some(op)
            }
            _ => None,
        }
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Expr::Binary(Box::new(left), "or".into(), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            left = Expr::Binary(Box::new(left), "and".into(), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.eat_word("not") {
            return Ok(Expr::Unary('!', Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let left = self.sum()?;
        match self.eat_op(&["==", "!=", "<", "<=", ">", ">="]) {
            Some(op) => Ok(Expr::Binary(Box::new(left), op, Box::new(self.sum()?))),
            None => Ok(left),
        }
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.term()?;
        while let Some(op) = self.eat_op(&["+", "-"]) {
            left = Expr::Binary(Box::new(left), op, Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        while let Some(op) = self.eat_op(&["*", "/"]) {
            left = Expr::Binary(Box::new(left), op, Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.eat_op(&["-"]).is_some() {
            return Ok(Expr::Unary('-', Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        let at = self.offset();
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Number(n))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return self.error("expected ')'");
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::LParen) {
                    return self.call(name, at);
                }
                if ["and", "or", "not"].contains(&name.as_str()) {
                    return Err(ExprError {
                        offset: at,
                        message: format!("expected a value, found {name:?}"),
                    });
                }
                match KeyPattern::new(&name) {
                    Ok(p) if p.variables().is_empty() && !name.contains('*') => {
                        Ok(Expr::Cell(name))
                    }
                    Ok(_) => Err(ExprError {
                        offset: at,
                        message: format!("{name:?}: patterns go inside sum(…)"),
                    }),
                    Err(message) => Err(ExprError {
                        offset: at,
                        message,
                    }),
                }
            }
            Some(other) => self.error(format!("expected a value, found {other}")),
            None => self.error("expected a value, found the end"),
        }
    }

    fn call(&mut self, name: String, at: usize) -> Result<Expr, ExprError> {
        self.pos += 1; // '('
        let mut args = Vec::new();
        if self.peek() != Some(&Tok::RParen) {
            loop {
                let arg_at = self.offset();
                let arg = if name == "sum" {
                    match self.peek().cloned() {
                        Some(Tok::Ident(p)) => {
                            self.pos += 1;
                            Expr::Pattern(KeyPattern::new(&p).map_err(|message| ExprError {
                                offset: arg_at,
                                message,
                            })?)
                        }
                        _ => return self.error("sum(…) takes a cell key pattern"),
                    }
                } else {
                    self.or()?
                };
                args.push(arg);
                if self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    continue;
                }
                break;
            }
        }
        if self.peek() != Some(&Tok::RParen) {
            return self.error("expected ')' or ','");
        }
        self.pos += 1;
        let arity = match name.as_str() {
            "present" | "blank" | "abs" | "sum" | "last" => 1,
            _ => {
                return Err(ExprError {
                    offset: at,
                    message: format!(
                        "unknown function {name:?} (present, blank, abs, sum, last){}",
                        crate::kinds::did_you_mean(
                            &name,
                            ["present", "blank", "abs", "sum", "last"]
                        )
                    ),
                })
            }
        };
        if args.len() != arity {
            return Err(ExprError {
                offset: at,
                message: format!("{name}() takes {arity} argument"),
            });
        }
        if matches!(name.as_str(), "present" | "blank" | "last")
            && !matches!(args[0], Expr::Cell(_))
        {
            return Err(ExprError {
                offset: at,
                message: format!("{name}() takes a cell key"),
            });
        }
        Ok(Expr::Call(name, args))
    }
}

pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: text.len(),
    };
    let expr = parser.or()?;
    if parser.pos < parser.tokens.len() {
        return parser.error("unexpected text after the expression");
    }
    Ok(expr)
}

fn cell(report: &Report, key: &str) -> Value {
    match report.value(key) {
        Some(Some(v)) => Value::Number(v),
        _ => Value::Unknown,
    }
}

fn logic(op: &str, a: Value, b: Value) -> Value {
    use Value::*;
    match (op, a, b) {
        ("and", Bool(false), _) | ("and", _, Bool(false)) => Bool(false),
        ("and", Bool(true), Bool(true)) => Bool(true),
        ("or", Bool(true), _) | ("or", _, Bool(true)) => Bool(true),
        ("or", Bool(false), Bool(false)) => Bool(false),
        _ => Unknown,
    }
}

const EPSILON: f64 = 1e-6;

/// Evaluates without a previous year's report (`last(…)` is unknown).
/// Whether an expression yields true or false (a comparison, and/or/not, present() or
/// blank()), not a number.
pub fn is_condition(expr: &Expr) -> bool {
    match expr {
        Expr::Binary(_, op, _) => {
            ["==", "!=", "<", ">", "<=", ">=", "and", "or"].contains(&op.as_str())
        }
        Expr::Unary('!', _) => true,
        Expr::Call(name, _) => matches!(name.as_str(), "present" | "blank"),
        _ => false,
    }
}

pub fn eval(expr: &Expr, report: &Report) -> Value {
    eval_with(expr, report, None)
}

/// Evaluates; `last(key)` reads the same organ's report of the year before.
pub fn eval_with(expr: &Expr, report: &Report, previous: Option<&Report>) -> Value {
    use Value::*;
    let eval = |e: &Expr, r: &Report| eval_with(e, r, previous);
    match expr {
        Expr::Number(n) => Number(*n),
        Expr::Cell(key) => cell(report, key),
        Expr::Pattern(_) => Unknown,
        Expr::Unary('!', inner) => match eval(inner, report) {
            Bool(b) => Bool(!b),
            _ => Unknown,
        },
        Expr::Unary(_, inner) => match eval(inner, report) {
            Number(n) => Number(-n),
            _ => Unknown,
        },
        Expr::Call(name, args) => match (name.as_str(), &args[0]) {
            ("present", Expr::Cell(k)) => Bool(report.cells.contains_key(k)),
            ("last", Expr::Cell(k)) => previous.map_or(Unknown, |p| cell(p, k)),
            ("blank", Expr::Cell(k)) => Bool(matches!(report.value(k), Some(None))),
            ("abs", arg) => match eval(arg, report) {
                Number(n) => Number(n.abs()),
                _ => Unknown,
            },
            ("sum", Expr::Pattern(p)) => {
                let keys = p.expand(&Binding::new());
                // A cell the table should have but that was not read makes the sum unknown:
                // absent is not 0.
                if keys
                    .iter()
                    .any(|k| !report.cells.contains_key(k) && report.expects(k))
                {
                    return Unknown;
                }
                let present: Vec<&str> = keys
                    .into_iter()
                    .filter(|k| report.cells.contains_key(k))
                    .collect();
                if present.is_empty() {
                    return Unknown;
                }
                present
                    .iter()
                    .try_fold(0.0, |acc, k| match cell(report, k) {
                        Number(n) => Some(acc + n),
                        _ => None,
                    })
                    .map_or(Unknown, Number)
            }
            _ => Unknown,
        },
        Expr::Binary(a, op, b) => {
            let (a, b) = (eval(a, report), eval(b, report));
            if op == "and" || op == "or" {
                return logic(op, a, b);
            }
            let (Number(x), Number(y)) = (a, b) else {
                return Unknown;
            };
            match op.as_str() {
                "+" => Number(x + y),
                "-" => Number(x - y),
                "*" => Number(x * y),
                "/" if y != 0.0 => Number(x / y),
                "/" => Unknown,
                "==" => Bool((x - y).abs() < EPSILON),
                "!=" => Bool((x - y).abs() >= EPSILON),
                "<" => Bool(x < y),
                "<=" => Bool(x <= y + EPSILON),
                ">" => Bool(x > y),
                ">=" => Bool(x + EPSILON >= y),
                _ => Unknown,
            }
        }
    }
}

/// Whether an expression reads last year's report (`last(…)`).
pub fn uses_last(expr: &Expr) -> bool {
    match expr {
        Expr::Call(name, args) => name == "last" || args.iter().any(uses_last),
        Expr::Unary(_, a) => uses_last(a),
        Expr::Binary(a, _, b) => uses_last(a) || uses_last(b),
        Expr::Number(_) | Expr::Cell(_) | Expr::Pattern(_) => false,
    }
}

/// The cell keys an expression reads.
pub fn cells_of(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Cell(k) => out.push(k.clone()),
        Expr::Pattern(p) => out.extend(p.catalog_matches().into_iter().map(str::to_string)),
        Expr::Call(_, args) => args.iter().for_each(|a| cells_of(a, out)),
        Expr::Unary(_, a) => cells_of(a, out),
        Expr::Binary(a, _, b) => {
            cells_of(a, out);
            cells_of(b, out);
        }
        Expr::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report_with_values as report;

    #[test]
    fn arithmetic_and_comparison() {
        let r = report(&[
            ("t2.license.prev_items", Some(42.0)),
            ("t2.license.delta", Some(101.0)),
            ("t2.license.decisions", Some(143.0)),
        ]);
        let e = parse("t2.license.decisions == t2.license.prev_items + t2.license.delta").unwrap();
        assert_eq!(eval(&e, &r), Value::Bool(true));
        let e =
            parse("abs(t2.license.delta - 1) * 2 > 199 and not blank(t2.license.delta)").unwrap();
        assert_eq!(eval(&e, &r), Value::Bool(true));
    }

    #[test]
    fn last_reads_the_previous_report() {
        let this = report(&[
            ("t2.normative.in_force", Some(8.0)),
            ("t2.normative.made", Some(3.0)),
            ("t2.normative.repealed", Some(0.0)),
        ]);
        let last = report(&[("t2.normative.in_force", Some(5.0))]);
        let e = parse("t2.normative.in_force == last(t2.normative.in_force) + t2.normative.made - t2.normative.repealed").unwrap();
        assert_eq!(eval_with(&e, &this, Some(&last)), Value::Bool(true));
        assert_eq!(eval(&e, &this), Value::Unknown);
    }

    #[test]
    fn a_sum_missing_a_row_its_table_has_is_unknown() {
        use nianbao_model::{Era, TableId, TableInfo};
        let mut r = report(&[
            ("t3.new.natural", Some(5.0)),
            ("t3.carried.natural", Some(5.0)),
        ]);
        let e = parse("sum(t3.*.natural) == 10").unwrap();
        // No table 3 in the report: nothing says which rows it has, the read rows are summed.
        assert_eq!(eval(&e, &r), Value::Bool(true));
        r.tables.push(TableInfo {
            id: TableId::T3,
            era: Some(Era::Y2021),
            span: Default::default(),
        });
        // A 2021 表三 has rows (予以公开 …) that were not read: the sum cannot be known.
        assert!(r.expects("t3.granted.natural"));
        assert_eq!(eval(&e, &r), Value::Unknown);
    }

    #[test]
    fn blanks_are_unknown_not_zero() {
        let r = report(&[
            ("t2.coercion.prev_items", None),
            ("t2.coercion.decisions", Some(775.0)),
        ]);
        let e = parse("t2.coercion.decisions == t2.coercion.prev_items + 1").unwrap();
        assert_eq!(eval(&e, &r), Value::Unknown);
        let e = parse("t2.coercion.decisions == 0 and t2.coercion.prev_items == 1").unwrap();
        assert_eq!(eval(&e, &r), Value::Bool(false));
        assert_eq!(
            eval(&parse("blank(t2.coercion.prev_items)").unwrap(), &r),
            Value::Bool(true)
        );
        assert_eq!(
            eval(&parse("present(t2.fee.delta)").unwrap(), &r),
            Value::Bool(false)
        );
    }

    #[test]
    fn errors_have_positions() {
        assert_eq!(parse("t3.new.total ==").unwrap_err().offset, 15);
        assert_eq!(parse("t3.nope.total > 1").unwrap_err().offset, 0);
        assert!(parse("foo(t3.new.total)")
            .unwrap_err()
            .message
            .contains("unknown function"));
        assert_eq!(parse("(t3.new.total").unwrap_err().message, "expected ')'");
        assert_eq!(parse("t3.new.total # 2").unwrap_err().offset, 13);
    }
}
