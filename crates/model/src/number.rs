/// Formats a cell value the way a person writes it: integers without a decimal point,
/// decimals without trailing zeros (at most six places, enough for 元 converted to 万元).
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
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
    }
}
