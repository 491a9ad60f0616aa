//! What the table readers give back: tables and their cells at ranges of the document text,
//! each cell saying how it was read.

use nianbao_model::{Doubt, Era, ReadMethod, TableId};

#[derive(Debug, Clone, PartialEq)]
pub struct CellRead {
    pub key: &'static str,
    pub value: Option<f64>,
    pub raw: String,
    /// Byte range in the document text.
    pub start: usize,
    pub end: usize,
    pub recovered: Option<String>,
    /// Why the reading of the cell is uncertain, if it is.
    pub doubt: Option<Box<Doubt>>,
    pub method: ReadMethod,
    pub alternative: Option<String>,
}

/// A value in a table that no cell of the form takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaced {
    pub text: String,
    pub row: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub struct TableRead {
    pub id: TableId,
    pub era: Option<Era>,
    /// Byte range of the table in the document text.
    pub start: usize,
    pub end: usize,
    pub cells: Vec<CellRead>,
    pub unplaced: Vec<Unplaced>,
}
