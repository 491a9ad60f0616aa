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
    // Only the matches are searched for (the regex's fast path); the number ends where
    // 余/多 or the unit starts, as the pattern's groups split it.
    figure_pattern()
        .find_iter(line)
        .filter_map(|whole| {
            let matched = whole.as_str();
            let num_end = matched.find(|ch: char| {
                matches!(
                    ch,
                    '余' | '多'
                        | '万'
                        | '元'
                        | '件'
                        | '条'
                        | '次'
                        | '个'
                        | '项'
                        | '人'
                        | '场'
                        | '期'
                        | '份'
                )
            })?;
            let value: f64 = matched[..num_end].parse().ok()?;
            let rest = &matched[num_end..];
            let approximate = rest.starts_with(['余', '多']);
            let unit = match approximate {
                true => &rest[3..],
                false => rest,
            };
            let context_start = line[..whole.start()]
                .char_indices()
                .rev()
                .nth(11)
                .map(|(i, _)| i)
                .unwrap_or(0);
            Some(Figure {
                value,
                unit: unit.to_string(),
                approximate,
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
    fn figures_read_off_the_match_as_the_pattern_captures_them() {
        let line = "收到1.5万元、320余条、30多人次、12份，1٣件、١٢件，第3期，7.条";
        let by_captures: Vec<(f64, String, bool, usize, usize)> = figure_pattern()
            .captures_iter(line)
            .filter_map(|c| {
                let whole = c.get(0)?;
                let value = c["num"].parse().ok()?;
                let approximate = c.name("approx").is_some();
                Some((
                    value,
                    c["unit"].to_string(),
                    approximate,
                    whole.start(),
                    whole.end(),
                ))
            })
            .collect();
        assert!(by_captures.len() >= 5, "{by_captures:?}");
        let read: Vec<(f64, String, bool, usize, usize)> =
            figures_in(line, |s, e| nianbao_model::SourceSpan {
                start: s,
                end: e,
                ..Default::default()
            })
            .into_iter()
            .map(|f| (f.value, f.unit, f.approximate, f.span.start, f.span.end))
            .collect();
        assert_eq!(read, by_captures);
    }

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
