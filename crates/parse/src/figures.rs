//! Figures the narrative states ("收到申请51件", "320余条").

use nianbao_model::Figure;
use regex::Regex;
use std::sync::OnceLock;

fn figure_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?P<num>\d+(?:\.\d+)?)(?P<approx>余|多)?(?P<unit>万元|元|件|条|次|个|项|人次|场|期|份)")
            .expect("valid figure pattern")
    })
}

/// Figures in one narrative line; `span_of` turns a byte range of the line into a span.
pub fn figures_in(
    line: &str,
    span_of: impl Fn(usize, usize) -> nianbao_model::SourceSpan,
) -> Vec<Figure> {
    // Most lines state no figure: no regex search for them.
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    figure_pattern()
        .captures_iter(line)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let value: f64 = caps["num"].parse().ok()?;
            let context_start = line[..whole.start()]
                .char_indices()
                .rev()
                .nth(11)
                .map(|(i, _)| i)
                .unwrap_or(0);
            Some(Figure {
                value,
                unit: caps["unit"].to_string(),
                approximate: caps.name("approx").is_some(),
                context: line[context_start..whole.start()].trim().to_string(),
                span: span_of(whole.start(), whole.end()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_units_and_approximations() {
        let f = figures_in(
            "接到申请51件，政策解读信息320余条。",
            |_, _| Default::default(),
        );
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].value, f[0].unit.as_str(), f[0].approximate),
            (51.0, "件", false)
        );
        assert_eq!(f[0].context, "接到申请");
        assert_eq!((f[1].value, f[1].approximate), (320.0, true));
    }
}
