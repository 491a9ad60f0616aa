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
        push_integer(text, value as i64);
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

/// Appends `value` in decimal digits, as `{}` writes it (without the formatting
/// machinery: a batch writes thousands of cell values into notes and messages).
fn push_integer(text: &mut String, value: i64) {
    let mut digits = [0u8; 20];
    let mut rest = value.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        text.push('-');
    }
    if let Ok(digits) = std::str::from_utf8(&digits[at..]) {
        text.push_str(digits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_written_as_display_writes_them() {
        let mut samples = vec![
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            999_999_999_999_999,
            i64::MIN,
            i64::MAX,
        ];
        let mut state = 7u64;
        for _ in 0..10_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = (state >> 59) as u32; // 0..=31: magnitudes of every length
            samples.push((state as i64) >> digits.min(62));
        }
        for value in samples {
            let mut text = String::from("x");
            push_integer(&mut text, value);
            assert_eq!(text, format!("x{value}"));
        }
    }

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
