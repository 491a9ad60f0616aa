//! How a report prints its values: blanks, signs, money units, digit forms. Every case draws
//! one style; the gold value is what the reader must get back whatever the style.

use crate::rng::Rng;
use nianbao_model::format_number;

/// What a cell the report leaves empty holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    Empty,
    Slash,
    Dash,
    None_,
}

/// How a change (本年增/减) is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delta {
    /// "-3", "3"
    Plain,
    /// "减3", "增3"
    Words,
    /// "-3", "+3"
    Signed,
}

/// The unit amounts are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    WanYuan,
    Yuan,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueStyle {
    pub blank: Blank,
    pub delta: Delta,
    pub money: Money,
    /// Amounts carry their unit in the cell ("7730.28万元").
    pub unit_in_cell: bool,
    pub full_width: bool,
    pub thousands: bool,
}

impl ValueStyle {
    pub fn plain() -> ValueStyle {
        ValueStyle {
            blank: Blank::Empty,
            delta: Delta::Plain,
            money: Money::WanYuan,
            unit_in_cell: false,
            full_width: false,
            thousands: false,
        }
    }

    pub fn random(rng: &mut Rng) -> ValueStyle {
        ValueStyle {
            blank: *rng.pick(&[
                Blank::Empty,
                Blank::Empty,
                Blank::Slash,
                Blank::Dash,
                Blank::None_,
            ]),
            delta: *rng.pick(&[Delta::Plain, Delta::Words, Delta::Signed]),
            money: *rng.pick(&[Money::WanYuan, Money::WanYuan, Money::Yuan]),
            unit_in_cell: rng.chance(0.3),
            full_width: rng.chance(0.2),
            thousands: rng.chance(0.3),
        }
    }

    /// A short name of the style, for the accuracy tables.
    pub fn tags(&self) -> Vec<&'static str> {
        let mut tags = vec![match self.blank {
            Blank::Empty => "blank:empty",
            Blank::Slash => "blank:/",
            Blank::Dash => "blank:—",
            Blank::None_ => "blank:无",
        }];
        tags.push(match self.delta {
            Delta::Plain => "delta:-3",
            Delta::Words => "delta:增减",
            Delta::Signed => "delta:+3",
        });
        tags.push(match self.money {
            Money::WanYuan => "money:万元",
            Money::Yuan => "money:元",
        });
        if self.full_width {
            tags.push("full-width");
        }
        if self.thousands {
            tags.push("thousands");
        }
        tags
    }

    /// A column header of an amount, with the unit of this style.
    pub fn money_header(&self, header: &str) -> String {
        let unit = match self.money {
            Money::WanYuan => "万元",
            Money::Yuan => "元",
        };
        match header.find("（单位") {
            Some(at) => format!("{}（单位：{unit}）", &header[..at]),
            None => format!("{header}（{unit}）"),
        }
    }

    /// The cell of `key` as printed.
    pub fn print(&self, key: &str, value: Option<f64>) -> String {
        let Some(value) = value else {
            return match self.blank {
                Blank::Empty => String::new(),
                Blank::Slash => "/".into(),
                Blank::Dash => "—".into(),
                Blank::None_ => "无".into(),
            };
        };
        let text = if is_money(key) {
            self.amount(value)
        } else if key.ends_with(".delta") {
            self.delta(value)
        } else {
            self.digits(value)
        };
        if self.full_width {
            to_full_width(&text)
        } else {
            text
        }
    }

    fn amount(&self, value: f64) -> String {
        let (number, unit) = match self.money {
            Money::WanYuan => (value, "万元"),
            Money::Yuan => ((value * 10_000.0 * 100.0).round() / 100.0, "元"),
        };
        let digits = self.digits(number);
        match self.unit_in_cell {
            true => format!("{digits}{unit}"),
            false => digits,
        }
    }

    fn delta(&self, value: f64) -> String {
        let magnitude = self.digits(value.abs());
        match (self.delta, value) {
            (_, 0.0) => magnitude,
            (Delta::Words, v) if v > 0.0 => format!("增{magnitude}"),
            (Delta::Words, _) => format!("减{magnitude}"),
            (Delta::Signed, v) if v > 0.0 => format!("+{magnitude}"),
            (_, v) if v < 0.0 => format!("-{magnitude}"),
            _ => magnitude,
        }
    }

    fn digits(&self, value: f64) -> String {
        let text = format_number(value);
        match self.thousands {
            true => with_thousands(&text),
            false => text,
        }
    }
}

/// Amounts: 万元 in the gold, in the style's unit on the page.
pub fn is_money(key: &str) -> bool {
    matches!(
        key,
        "t2.fee.amount" | "t2.procurement.amount" | "old.org.funds"
    )
}

fn with_thousands(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = match rest.find('.') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{frac}")
}

fn to_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '.' | ',' | '+' | '-' | '/' => {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_print_blanks_signs_units_and_digits() {
        let mut style = ValueStyle::plain();
        assert_eq!(style.print("t3.new.total", Some(4119.0)), "4119");
        assert_eq!(style.print("t2.license.delta", Some(-3.0)), "-3");
        style.delta = Delta::Words;
        assert_eq!(style.print("t2.license.delta", Some(3.0)), "增3");
        assert_eq!(style.print("t2.license.delta", Some(-3.0)), "减3");
        style.thousands = true;
        assert_eq!(style.print("t3.new.total", Some(1234567.0)), "1,234,567");
        style.money = Money::Yuan;
        style.unit_in_cell = true;
        assert_eq!(style.print("t2.fee.amount", Some(7730.28)), "77,302,800元");
        assert_eq!(
            style.money_header("本年收费金额（单位：万元）"),
            "本年收费金额（单位：元）"
        );
        style.full_width = true;
        style.thousands = false;
        assert_eq!(style.print("t3.new.total", Some(21.0)), "２１");
        style.blank = Blank::Slash;
        assert_eq!(style.print("t3.new.total", None), "/");
    }
}
