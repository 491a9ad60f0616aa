//! Kinds `heading_numbers` and `enumeration`: numbered headings and 一是、二是 lists out of
//! count (`crate::numbering` reads them).

use crate::check::Draft;
use crate::numbering;
use nianbao_model::Evidence;

/// One finding per numbered item out of count: where it is, what was expected, the series.
pub(crate) fn numbering_drafts(broken: Vec<(numbering::Item, u32, String)>) -> Vec<Draft> {
    broken
        .into_iter()
        .map(|(item, expected, series)| {
            let mut d = Draft::new();
            d.span = Some(item.span);
            d.section = item.section;
            let marker: String = item.printed.chars().last().into_iter().collect();
            d.vars.insert("printed", item.printed.clone());
            d.vars.insert(
                "expected",
                format!("{}{marker}", numbering::chinese_numeral(expected)),
            );
            d.vars.insert("series", series.clone());
            d.evidence = Some(Evidence {
                text: Some(series),
                ..Evidence::default()
            });
            d
        })
        .collect()
}
