/// Formats a cell value the way a person writes it: integers without a decimal point,
/// decimals without trailing zeros (at most six places, enough for 元 converted to 万元).
pub fn format_number(value: f64) -> String {
    let mut text = String::new();
    push_number(&mut text, value);
    text
}

/// Appends `value` to `text` as `format_number` writes it.
pub fn push_number(text: &mut String, value: f64) {
    use std::fmt::Write;
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let _ = write!(text, "{}", value as i64);
        return;
    }
    let from = text.len();
    let _ = write!(text, "{value:.6}");
    let kept = text[from..]
        .trim_end_matches('0')
        .trim_end_matches('.')
        .len();
    text.truncate(from + kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_decimals() {
        assert_eq!(format_number(99365.0), "99365");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(16485.62), "16485.62");
        assert_eq!(format_number(7539.443252), "7539.443252");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(-0.000001), "-0.000001");
        let mut text = String::from("a ");
        push_number(&mut text, 3.10);
        assert_eq!(text, "a 3.1");
    }
}
