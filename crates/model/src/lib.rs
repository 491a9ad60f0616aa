//! The canonical model of an annual report (年报) and of the findings about it.
//!
//! Every other nianbao crate speaks these types; this crate depends on none of ours.

mod catalog;
mod cells;
mod doubt;
mod finding;
mod identity;
mod number;
mod report;

pub use catalog::{catalog, CellCatalog, FieldDef, T3_APPLICANTS, T3_COLUMNS};
pub use cells::Cells;
pub use doubt::{Doubt, Placement};
pub use finding::{Evidence, Family, Fault, Finding, Severity};
pub use identity::{
    fingerprint, fingerprints, organ_key, pairing_bucket, report_organ_key, same_organ,
};
pub use number::{format_number, push_number};
pub use report::{
    Cell, Derived, Era, Figure, IdentityField, IdentityReading, IdentitySource, Level, LineOrigin,
    Misnamed, PartialDate, Picture, ReadMethod, Report, Section, SectionId, SourceSpan, StatPeriod,
    TableId, TableInfo, TextLine, UnplacedValue, BLANK_MAY_BE_ELSEWHERE, IN_TABLE_ORDER,
    PLACED_IN_ORDER,
};
